/// The fused LSTM cell, forward (gate activations written over the pre-activations, c, tanh c,
/// h) and backward (∂L/∂z, ∂L/∂cPrev), over batch × hidden shapes that break 16-lane vectors and
/// thread bands, with normal pre-activations and saturating ones (|z| up to 60). Metric: NMSE ≤
/// 1e-10 per output, as for the other elementwise kernels; guard regions catch stray writes.
enum LSTMCellCases {
    static let shapes: [(batch: Int, hidden: Int)] = [(1, 1), (1, 7), (3, 16), (5, 17), (2, 33), (32, 64), (7, 100), (129, 20), (600, 48)]

    static func cases() -> [ConformanceCase] {
        var out: [ConformanceCase] = []
        for (b, h) in shapes {
            for saturated in [false, true] where !saturated || b * h >= 16 {
                out.append(forward(b, h, saturated: saturated))
                out.append(backward(b, h, saturated: saturated))
            }
        }
        return out
    }

    static func inputs(_ b: Int, _ h: Int, _ rng: inout RandomGenerator, saturated: Bool) -> (z: [Float], cPrev: [Float]) {
        let s: Float = saturated ? 60 : 3
        return (CaseInputs.values(4 * b * h, &rng, low: -s, high: s), CaseInputs.values(b * h, &rng, low: -2, high: 2))
    }

    static func compare(_ outputs: [(String, GuardedBuffer, GuardedBuffer)]) -> ConformanceResult.Outcome {
        var worst: ConformanceResult.Outcome?
        for (name, c, r) in outputs {
            let o = CaseInputs.check(.nmse(CaseInputs.elementwiseNMSE), candidate: c, reference: r)
            if !o.passed { return .init(passed: false, error: o.error, limit: o.limit, problem: "\(name): \(o.problem ?? "")") }
            if worst == nil || o.error > worst!.error { worst = o }
        }
        return worst!
    }

    static func forward(_ b: Int, _ h: Int, saturated: Bool) -> ConformanceCase {
        ConformanceCase(.lstmCell, "lstm_cell forward batch=\(b) hidden=\(h)\(saturated ? " saturated" : "")") { cand, ref, rng in
            let (z, cPrev) = inputs(b, h, &rng, saturated: saturated)
            let cp = CaseInputs.buffer(cPrev)
            var bufs: [(String, GuardedBuffer, GuardedBuffer)] = []
            for name in ["gates", "c", "tanh c", "h"] {
                let n = name == "gates" ? 4 * b * h : b * h
                bufs.append((name, CaseInputs.buffer(name == "gates" ? z : [Float](repeating: 0, count: n)),
                             CaseInputs.buffer(name == "gates" ? z : [Float](repeating: 0, count: n))))
            }
            cand.lstmCellForward(gates: bufs[0].1.pointer, cPrev: cp.pointer, c: bufs[1].1.pointer, tanhC: bufs[2].1.pointer,
                                 h: bufs[3].1.pointer, batch: b, hidden: h)
            ref.lstmCellForward(gates: bufs[0].2.pointer, cPrev: cp.pointer, c: bufs[1].2.pointer, tanhC: bufs[2].2.pointer,
                                h: bufs[3].2.pointer, batch: b, hidden: h)
            return compare(bufs)
        }
    }

    static func backward(_ b: Int, _ h: Int, saturated: Bool) -> ConformanceCase {
        ConformanceCase(.lstmCell, "lstm_cell backward batch=\(b) hidden=\(h)\(saturated ? " saturated" : "")") { cand, ref, rng in
            let (z, cPrev) = inputs(b, h, &rng, saturated: saturated)
            // The activations and tanh c from the reference forward, so both backwards read the same.
            let gates = CaseInputs.buffer(z), cp = CaseInputs.buffer(cPrev)
            let c = CaseInputs.buffer([Float](repeating: 0, count: b * h)), t = CaseInputs.buffer([Float](repeating: 0, count: b * h))
            let hb = CaseInputs.buffer([Float](repeating: 0, count: b * h))
            ref.lstmCellForward(gates: gates.pointer, cPrev: cp.pointer, c: c.pointer, tanhC: t.pointer, h: hb.pointer, batch: b, hidden: h)
            let dh = CaseInputs.buffer(CaseInputs.values(b * h, &rng)), dc = CaseInputs.values(b * h, &rng)
            let dcC = CaseInputs.buffer(dc), dcR = CaseInputs.buffer(dc)
            let dzC = CaseInputs.buffer([Float](repeating: 0, count: 4 * b * h)), dzR = CaseInputs.buffer([Float](repeating: 0, count: 4 * b * h))
            cand.lstmCellBackward(gates: gates.pointer, cPrev: cp.pointer, tanhC: t.pointer, dh: dh.pointer, dc: dcC.pointer,
                                  dGates: dzC.pointer, batch: b, hidden: h)
            ref.lstmCellBackward(gates: gates.pointer, cPrev: cp.pointer, tanhC: t.pointer, dh: dh.pointer, dc: dcR.pointer,
                                 dGates: dzR.pointer, batch: b, hidden: h)
            return compare([("dz", dzC, dzR), ("dc", dcC, dcR)])
        }
    }
}
