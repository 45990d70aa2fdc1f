/// Reduction cases: sum, mean, max and sum of squares over all / rows / columns, argmax, and
/// softmax / log-softmax, on shapes that break tails (1x1, 1xN, Nx1, 5x7, 17x33, 129x129, ...),
/// past the threading threshold (300x257), narrow softmax rows in blocks (1000x2, 37x3) and with
/// NaN/±∞ planted.
///
/// Metrics: max and argmax exact; sums bounded by (n + 2)·ε·Σ|x| (Σx² for sums of squares) for
/// n terms per output; softmax NMSE ≤ 1e-10.
enum ReductionCases {
    static let shapes: [(Int, Int)] = [(1, 1), (1, 17), (17, 1), (5, 7), (16, 16), (17, 33), (128, 10), (129, 129), (300, 257), (3, 5000), (2500, 3)]

    static func cases() -> [ConformanceCase] {
        var out: [ConformanceCase] = []
        for op in ReduceOp.allCases {
            for axis in ReduceAxis.allCases {
                for (r, c) in shapes { out.append(reduce(op, axis, r, c, .normal)) }
                out.append(reduce(op, axis, 9, 17, .special))
                out.append(reduce(op, axis, 9, 17, .huge))
            }
        }
        for axis in ReduceAxis.allCases {
            for (r, c) in shapes { out.append(argmax(axis, r, c, .normal)) }
            out.append(argmax(axis, 9, 17, .special))
        }
        for log in [false, true] {
            for (r, c) in shapes {
                out.append(softmax(r, c, log: log, .normal, inPlace: r == 5))
                out.append(softmax(r, c, log: log, .huge, inPlace: false))
            }
            out.append(softmax(9, 17, log: log, .special, inPlace: false))
            // Narrow rows in blocks of 16 (SIMD transposes them) plus a tail: a 2-class loss, and
            // NaN/±∞ planted in narrow rows.
            out.append(softmax(1000, 2, log: log, .normal, inPlace: false))
            out.append(softmax(37, 3, log: log, .special, inPlace: false))
            out.append(softmax(37, 3, log: log, .normal, inPlace: true))
        }
        return out
    }

    static func reduce(_ op: ReduceOp, _ axis: ReduceAxis, _ r: Int, _ c: Int, _ v: InputVariant) -> ConformanceCase {
        let name = "reduce \(op.rawValue) axis=\(axis.rawValue) \(r)x\(c)\(v == .normal ? "" : " " + v.rawValue)"
        return ConformanceCase(.reduce, name) { cand, ref, rng in
            let x = CaseInputs.values(r * c, &rng, variant: v == .huge ? .normal : v).map { v == .huge ? $0 * 1e15 : $0 }
            let xb = CaseInputs.buffer(x)
            let outs = axis.outputCount(rows: r, cols: c)
            let oC = GuardedBuffer(count: outs), oR = GuardedBuffer(count: outs)
            cand.reduce(op, axis, xb.pointer, rows: r, cols: c, oC.pointer)
            ref.reduce(op, axis, xb.pointer, rows: r, cols: c, oR.pointer)
            if op == .max { return CaseInputs.check(.exact, candidate: oC, reference: oR) }
            // Per output: the terms it sums.
            let terms = axis == .all ? r * c : (axis == .rows ? c : r)
            var scale = [Double](repeating: 0, count: outs)
            for i in 0..<r {
                for j in 0..<c {
                    let t = Double(x[i * c + j])
                    let s = op == .sumOfSquares ? t * t : Swift.abs(t)
                    let o = axis == .all ? 0 : (axis == .rows ? i : j)
                    scale[o] += op == .mean ? s / Double(terms) : s
                }
            }
            let limit = Double(terms + 2) * Double(Float.ulpOfOne)
            return CaseInputs.check(.bounded(limit, scale: scale, floor: 1e-37), candidate: oC, reference: oR)
        }
    }

    static func argmax(_ axis: ReduceAxis, _ r: Int, _ c: Int, _ v: InputVariant) -> ConformanceCase {
        let name = "argmax axis=\(axis.rawValue) \(r)x\(c)\(v == .normal ? "" : " " + v.rawValue)"
        return ConformanceCase(.argmax, name) { cand, ref, rng in
            var x = CaseInputs.values(r * c, &rng, variant: v)
            if v == .special, x.count > 20 { x[0] = 1; x[20] = .nan }   // NaN not first: it must still win
            let xb = CaseInputs.buffer(x)
            let outs = axis.outputCount(rows: r, cols: c)
            var iC = [Int32](repeating: -1, count: outs + 1), iR = [Int32](repeating: -1, count: outs + 1)
            cand.argmax(axis, xb.pointer, rows: r, cols: c, &iC)
            ref.argmax(axis, xb.pointer, rows: r, cols: c, &iR)
            if iC[outs] != -1 { return CaseInputs.fail("wrote past its output") }
            if let i = (0..<outs).first(where: { iC[$0] != iR[$0] }) {
                return CaseInputs.fail("output \(i): index \(iC[i]), expected \(iR[i])")
            }
            return CaseInputs.pass
        }
    }

    static func softmax(_ r: Int, _ c: Int, log: Bool, _ v: InputVariant, inPlace: Bool) -> ConformanceCase {
        let name = "softmax\(log ? " log" : "") \(r)x\(c)\(v == .normal ? "" : " " + v.rawValue)\(inPlace ? " in-place" : "")"
        return ConformanceCase(.softmax, name) { cand, ref, rng in
            // "huge" logits here are ±50: far apart enough that a missing max-subtraction overflows.
            let x = CaseInputs.values(r * c, &rng, low: v == .huge ? -50 : -3, high: v == .huge ? 90 : 3,
                                      variant: v == .huge ? .normal : v)
            let xb = CaseInputs.buffer(x)
            let yC = CaseInputs.buffer(inPlace ? x : [Float](repeating: 0, count: r * c))
            let yR = GuardedBuffer(count: r * c)
            cand.softmax(inPlace ? UnsafePointer(yC.pointer) : UnsafePointer(xb.pointer), yC.pointer, rows: r, cols: c, log: log)
            ref.softmax(xb.pointer, yR.pointer, rows: r, cols: c, log: log)
            return CaseInputs.check(.nmse(CaseInputs.elementwiseNMSE), candidate: yC, reference: yR)
        }
    }
}
