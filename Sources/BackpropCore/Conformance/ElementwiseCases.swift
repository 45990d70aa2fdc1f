/// Elementwise cases: unary maps, activation gradients, binary maps with each broadcast, axpy,
/// scale and fused bias + activation. Lengths 1, 7, 8, 9, 15, 16, 17, 33, 127, 128, 129, 1000
/// and 70 001 (past the SIMD backend's threading threshold); in-place variants; special, huge
/// and tiny values. Metric: NMSE ≤ 1e-10 over finite values, non-finite values identical.
enum ElementwiseCases {
    static let counts = [1, 7, 8, 9, 15, 16, 17, 33, 127, 128, 129, 1000, 70_001]
    static let matrices: [(Int, Int)] = [(1, 1), (1, 17), (17, 1), (5, 7), (16, 16), (33, 17), (128, 10), (129, 129), (300, 257), (2500, 3)]
    static let activations: [Activation] = Activation.allDefaults + [.leakyReLU(alpha: 0.2), .elu(alpha: 0.5)]
    static var unaryOps: [UnaryOp] { activations.map { .activation($0) } + [.exp, .log, .sqrt, .square, .abs, .negate] }

    static func cases() -> [ConformanceCase] {
        var out: [ConformanceCase] = []
        for op in unaryOps {
            for n in counts { out.append(unary(op, n, .normal, inPlace: n == 129)) }
            for v in [InputVariant.special, .huge, .tiny] { out.append(unary(op, 33, v, inPlace: false)) }
        }
        out.append(expEdges())
        for f in activations {
            for n in counts { out.append(gradient(f, n, .normal, inPlace: n == 33)) }
            out.append(gradient(f, 33, .special, inPlace: false))
            for (r, c) in matrices { out.append(biasActivation(f, r, c, .normal, inPlace: r == 5)) }
            out.append(biasActivation(f, 17, 33, .special, inPlace: false))
        }
        for op in BinaryOp.allCases {
            for bc in Broadcast.allCases {
                for (r, c) in matrices { out.append(binary(op, bc, r, c, .normal, inPlace: r == 16)) }
                out.append(binary(op, bc, 9, 17, .special, inPlace: false))
            }
        }
        let adam: [(String, AdamHyperparameters)] = [
            ("adam t=1", AdamHyperparameters(learningRate: 1e-3, beta1: 0.9, beta2: 0.999, epsilon: 1e-8, step: 1)),
            ("adam t=50", AdamHyperparameters(learningRate: 1e-2, beta1: 0.8, beta2: 0.99, epsilon: 1e-6, step: 50)),
            ("adam l2", AdamHyperparameters(learningRate: 1e-3, beta1: 0.9, beta2: 0.999, epsilon: 1e-8, weightDecay: 0.1, step: 3)),
            ("adamw", AdamHyperparameters(learningRate: 1e-3, beta1: 0.9, beta2: 0.999, epsilon: 1e-8, decoupledWeightDecay: 0.01, step: 7)),
        ]
        for (label, h) in adam {
            for n in counts { out.append(adamStep(label, h, n)) }
        }
        for n in counts {
            out.append(axpy(n, alpha: n % 2 == 0 ? 0.75 : -2))
            out.append(scale(n, alpha: n % 2 == 0 ? 0.75 : -2))
        }
        return out
    }

    static func domain(_ op: UnaryOp) -> (Float, Float) {
        switch op {
        case .log, .sqrt: return (0, 4)
        case .sign: return (-1, 1)
        case .exp: return (-20, 20)
        case .activation: return (-6, 6)
        default: return (-3, 3)
        }
    }

    static func unary(_ op: UnaryOp, _ n: Int, _ v: InputVariant, inPlace: Bool) -> ConformanceCase {
        let name = "unary \(op) n=\(n)\(v == .normal ? "" : " " + v.rawValue)\(inPlace ? " in-place" : "")"
        return ConformanceCase(.unary, name) { cand, ref, rng in
            let (lo, hi) = domain(op)
            let x = CaseInputs.values(n, &rng, low: lo, high: hi, variant: v)
            let yC = CaseInputs.buffer(inPlace ? x : [Float](repeating: 0, count: n))
            let yR = GuardedBuffer(count: n)
            let xb = CaseInputs.buffer(x)
            cand.unary(op, inPlace ? UnsafePointer(yC.pointer) : UnsafePointer(xb.pointer), yC.pointer, count: n)
            ref.unary(op, xb.pointer, yR.pointer, count: n)
            return CaseInputs.check(.nmse(CaseInputs.elementwiseNMSE), candidate: yC, reference: yR)
        }
    }

    /// exp around its overflow (ln FLT_MAX ≈ 88.7228) and underflow (ln FLT_MIN ≈ −87.3365)
    /// thresholds, where a vector exp clamps its input: +∞ and finite values must match exactly
    /// in kind.
    static func expEdges() -> ConformanceCase {
        ConformanceCase(.unary, "unary exp n=32 overflow and underflow edges") { cand, ref, _ in
            let x: [Float] = [88.5, 88.7, 88.72, 88.7228, 88.72283, 88.72284, 88.7229, 88.73, 88.8, 88.99, 89, 89.01,
                              90, 1000, -87.3, -87.33, -87.34, -87.4, -88, -103, -104, -1000, 0, 1, -1, 0.5,
                              10, -10, 50, -50, 80, 88]
            let yC = CaseInputs.buffer([Float](repeating: 0, count: x.count))
            let yR = GuardedBuffer(count: x.count)
            let xb = CaseInputs.buffer(x)
            cand.unary(.exp, xb.pointer, yC.pointer, count: x.count)
            ref.unary(.exp, xb.pointer, yR.pointer, count: x.count)
            return CaseInputs.check(.nmse(CaseInputs.elementwiseNMSE), candidate: yC, reference: yR)
        }
    }

    static func gradient(_ f: Activation, _ n: Int, _ v: InputVariant, inPlace: Bool) -> ConformanceCase {
        let name = "activation_gradient \(f) n=\(n)\(v == .normal ? "" : " " + v.rawValue)\(inPlace ? " in-place" : "")"
        return ConformanceCase(.activationGradient, name) { cand, ref, rng in
            let x = CaseInputs.buffer(CaseInputs.values(n, &rng, low: -6, high: 6, variant: v))
            let y = GuardedBuffer(count: n)
            ref.unary(.activation(f), x.pointer, y.pointer, count: n)
            let dy = CaseInputs.values(n, &rng)
            let dxC = CaseInputs.buffer(dy)
            let dyb = CaseInputs.buffer(dy)
            let dxR = GuardedBuffer(count: n)
            cand.activationGradient(f, x: x.pointer, y: y.pointer, dy: inPlace ? UnsafePointer(dxC.pointer) : UnsafePointer(dyb.pointer),
                                    dx: dxC.pointer, count: n)
            ref.activationGradient(f, x: x.pointer, y: y.pointer, dy: dyb.pointer, dx: dxR.pointer, count: n)
            return CaseInputs.check(.nmse(CaseInputs.elementwiseNMSE), candidate: dxC, reference: dxR)
        }
    }

    static func biasActivation(_ f: Activation, _ r: Int, _ c: Int, _ v: InputVariant, inPlace: Bool) -> ConformanceCase {
        let name = "bias_activation \(f) \(r)x\(c)\(v == .normal ? "" : " " + v.rawValue)\(inPlace ? " in-place" : "")"
        return ConformanceCase(.biasActivation, name) { cand, ref, rng in
            let x = CaseInputs.values(r * c, &rng, low: -4, high: 4, variant: v)
            let bias = CaseInputs.buffer(CaseInputs.values(c, &rng))
            let xb = CaseInputs.buffer(x)
            let yC = CaseInputs.buffer(inPlace ? x : [Float](repeating: 0, count: r * c))
            let yR = GuardedBuffer(count: r * c)
            cand.biasActivation(f, inPlace ? UnsafePointer(yC.pointer) : UnsafePointer(xb.pointer), bias: bias.pointer, yC.pointer, rows: r, cols: c)
            ref.biasActivation(f, xb.pointer, bias: bias.pointer, yR.pointer, rows: r, cols: c)
            return CaseInputs.check(.nmse(CaseInputs.elementwiseNMSE), candidate: yC, reference: yR)
        }
    }

    static func binary(_ op: BinaryOp, _ bc: Broadcast, _ r: Int, _ c: Int, _ v: InputVariant, inPlace: Bool) -> ConformanceCase {
        let name = "binary \(op.rawValue) broadcast=\(bc.rawValue) \(r)x\(c)\(v == .normal ? "" : " " + v.rawValue)\(inPlace ? " in-place" : "")"
        return ConformanceCase(.binary, name) { cand, ref, rng in
            let a = CaseInputs.values(r * c, &rng, variant: v)
            let bn = switch bc { case .none: r * c; case .row: c; case .column: r; case .scalar: 1 }
            var bvals = CaseInputs.values(bn, &rng, low: 0.25, high: 2)
            if v == .special && bn > 3 { bvals[1] = .nan; bvals[2] = 0; bvals[3] = -.infinity }
            let ab = CaseInputs.buffer(a)
            let bb = CaseInputs.buffer(bvals)
            let oC = CaseInputs.buffer(inPlace ? a : [Float](repeating: 0, count: r * c))
            let oR = GuardedBuffer(count: r * c)
            cand.binary(op, inPlace ? UnsafePointer(oC.pointer) : UnsafePointer(ab.pointer), bb.pointer, bc, oC.pointer, rows: r, cols: c)
            ref.binary(op, ab.pointer, bb.pointer, bc, oR.pointer, rows: r, cols: c)
            return CaseInputs.check(.nmse(CaseInputs.elementwiseNMSE), candidate: oC, reference: oR)
        }
    }

    /// Fused Adam: m and v within NMSE 1e-10 of the reference; the weight update w − w₀ within
    /// NMSE 1e-6 (w ≈ 1 and the update ≈ 1e-3, so one rounding of w is ~1e-4 of the update:
    /// measured ≤ 3e-8; a wrong formula gives ≥ 1e-2).
    static func adamStep(_ label: String, _ h: AdamHyperparameters, _ n: Int) -> ConformanceCase {
        ConformanceCase(.adamStep, "adam_step \(label) n=\(n)") { cand, ref, rng in
            let w = CaseInputs.values(n, &rng), g = CaseInputs.values(n, &rng)
            let m = CaseInputs.values(n, &rng, low: -0.1, high: 0.1), v = CaseInputs.values(n, &rng, low: 0, high: 0.01)
            let gb = CaseInputs.buffer(g)
            let (wC, mC, vC) = (CaseInputs.buffer(w), CaseInputs.buffer(m), CaseInputs.buffer(v))
            let (wR, mR, vR) = (CaseInputs.buffer(w), CaseInputs.buffer(m), CaseInputs.buffer(v))
            cand.adamStep(h, w: wC.pointer, g: gb.pointer, m: mC.pointer, v: vC.pointer, count: n)
            ref.adamStep(h, w: wR.pointer, g: gb.pointer, m: mR.pointer, v: vR.pointer, count: n)
            // Compare the updates w − w₀: the weights themselves would hide errors in a small step.
            for (name, c, r) in [("m", mC, mR), ("v", vC, vR)] {
                let o = CaseInputs.check(.nmse(CaseInputs.elementwiseNMSE), candidate: c, reference: r)
                if !o.passed { return .init(passed: false, error: o.error, limit: o.limit, problem: "\(name): \(o.problem ?? "")") }
            }
            if !wC.guardsIntact { return CaseInputs.fail("wrote outside w") }
            let dC = zip(wC.values, w).map { $0 - $1 }, dR = zip(wR.values, w).map { $0 - $1 }
            let r = ErrorMetric.nmse(1e-6).compare(dC, dR)
            return .init(passed: r.passed, error: r.error, limit: r.limit, problem: r.problem.map { "w update: " + $0 })
        }
    }

    static func axpy(_ n: Int, alpha: Float) -> ConformanceCase {
        ConformanceCase(.axpy, "axpy n=\(n) alpha=\(alpha)") { cand, ref, rng in
            let x = CaseInputs.buffer(CaseInputs.values(n, &rng))
            let y = CaseInputs.values(n, &rng)
            let yC = CaseInputs.buffer(y), yR = CaseInputs.buffer(y)
            cand.axpy(alpha: alpha, x.pointer, yC.pointer, count: n)
            ref.axpy(alpha: alpha, x.pointer, yR.pointer, count: n)
            return CaseInputs.check(.nmse(CaseInputs.elementwiseNMSE), candidate: yC, reference: yR)
        }
    }

    static func scale(_ n: Int, alpha: Float) -> ConformanceCase {
        ConformanceCase(.scale, "scale n=\(n) alpha=\(alpha)") { cand, ref, rng in
            let x = CaseInputs.values(n, &rng)
            let xC = CaseInputs.buffer(x), xR = CaseInputs.buffer(x)
            cand.scale(alpha: alpha, xC.pointer, count: n)
            ref.scale(alpha: alpha, xR.pointer, count: n)
            return CaseInputs.check(.nmse(CaseInputs.elementwiseNMSE), candidate: xC, reference: xR)
        }
    }
}
