/// The fused GRU cell, forward (r, z, n written over the input gates, h) and backward (∂L/∂ of
/// both gate projections, the direct ∂L/∂hPrev), over the LSTM cell's batch × hidden shapes, with
/// normal and saturating pre-activations. Metric: NMSE ≤ 1e-10 per output; guard regions catch
/// stray writes.
enum GRUCellCases {
    static func cases() -> [ConformanceCase] {
        var out: [ConformanceCase] = []
        for (b, h) in LSTMCellCases.shapes {
            for saturated in [false, true] where !saturated || b * h >= 16 {
                out.append(forward(b, h, saturated: saturated))
                out.append(backward(b, h, saturated: saturated))
            }
        }
        return out
    }

    static func inputs(_ b: Int, _ h: Int, _ rng: inout RandomGenerator, saturated: Bool) -> (x: [Float], g: [Float], hPrev: [Float]) {
        let s: Float = saturated ? 60 : 3
        return (CaseInputs.values(3 * b * h, &rng, low: -s, high: s), CaseInputs.values(3 * b * h, &rng, low: -s, high: s),
                CaseInputs.values(b * h, &rng, low: -1, high: 1))
    }

    static func forward(_ b: Int, _ h: Int, saturated: Bool) -> ConformanceCase {
        ConformanceCase(.gruCell, "gru_cell forward batch=\(b) hidden=\(h)\(saturated ? " saturated" : "")") { cand, ref, rng in
            let (x, g, hp) = inputs(b, h, &rng, saturated: saturated)
            let gb = CaseInputs.buffer(g), hpb = CaseInputs.buffer(hp)
            let xC = CaseInputs.buffer(x), xR = CaseInputs.buffer(x)
            let hC = CaseInputs.buffer([Float](repeating: 0, count: b * h)), hR = CaseInputs.buffer([Float](repeating: 0, count: b * h))
            cand.gruCellForward(inputGates: xC.pointer, hiddenGates: gb.pointer, hPrev: hpb.pointer, h: hC.pointer, batch: b, hidden: h)
            ref.gruCellForward(inputGates: xR.pointer, hiddenGates: gb.pointer, hPrev: hpb.pointer, h: hR.pointer, batch: b, hidden: h)
            return LSTMCellCases.compare([("gates", xC, xR), ("h", hC, hR)])
        }
    }

    static func backward(_ b: Int, _ h: Int, saturated: Bool) -> ConformanceCase {
        ConformanceCase(.gruCell, "gru_cell backward batch=\(b) hidden=\(h)\(saturated ? " saturated" : "")") { cand, ref, rng in
            let (x, g, hp) = inputs(b, h, &rng, saturated: saturated)
            // The activations from the reference forward, so both backwards read the same.
            let gates = CaseInputs.buffer(x), gb = CaseInputs.buffer(g), hpb = CaseInputs.buffer(hp)
            let hb = CaseInputs.buffer([Float](repeating: 0, count: b * h))
            ref.gruCellForward(inputGates: gates.pointer, hiddenGates: gb.pointer, hPrev: hpb.pointer, h: hb.pointer, batch: b, hidden: h)
            let dh = CaseInputs.buffer(CaseInputs.values(b * h, &rng))
            func zeros(_ n: Int) -> GuardedBuffer { CaseInputs.buffer([Float](repeating: 0, count: n)) }
            let (dxC, dxR, dgC, dgR) = (zeros(3 * b * h), zeros(3 * b * h), zeros(3 * b * h), zeros(3 * b * h))
            let (dpC, dpR) = (zeros(b * h), zeros(b * h))
            cand.gruCellBackward(gates: gates.pointer, hiddenGates: gb.pointer, hPrev: hpb.pointer, dh: dh.pointer,
                                 dInputGates: dxC.pointer, dHiddenGates: dgC.pointer, dhPrev: dpC.pointer, batch: b, hidden: h)
            ref.gruCellBackward(gates: gates.pointer, hiddenGates: gb.pointer, hPrev: hpb.pointer, dh: dh.pointer,
                                dInputGates: dxR.pointer, dHiddenGates: dgR.pointer, dhPrev: dpR.pointer, batch: b, hidden: h)
            return LSTMCellCases.compare([("d input gates", dxC, dxR), ("d hidden gates", dgC, dgR), ("dhPrev", dpC, dpR)])
        }
    }
}
