/// Jacobians of tensor functions: J[i, j] = ∂f(x)_i / ∂x_j for f: ℝⁿ → ℝᵐ, [m, n].
///
/// `jacobian` uses reverse mode: f is recorded once, then one vector-Jacobian product per output
/// element (seed eᵢ) gives row i. `numericalJacobian` is the forward-difference reference,
/// (f(x + h·eⱼ) − f(x)) / h, column by column. The notes' N-step chain rule, J_{f∘g}(x) =
/// J_f(g(x)) · J_g(x), holds for these (see the tests).
public enum Jacobian {
    /// J by reverse mode, [f(x).count, x.count].
    public static func jacobian(_ backend: any Backend, of f: (GradientTape, Variable) -> Variable, at x: Tensor) throws -> Tensor {
        let tape = GradientTape(backend)
        let v = tape.input(x)
        let y = f(tape, v)
        let m = y.value.count, n = x.count
        let j = Tensor(shape: [m, n])
        let seed = Tensor(shape: [m])
        for i in 0..<m {
            seed.data.update(repeating: 0, count: m)
            seed[i] = 1
            try tape.gradient(of: y, seed: TensorView(seed))
            if let g = tape.grad(of: v) { (j.data + i * n).update(from: g.data, count: n) }
        }
        return j
    }

    /// J by forward differences with step h, [f(x).count, x.count].
    public static func numericalJacobian(_ backend: any Backend, of f: (GradientTape, Variable) -> Variable, at x: Tensor,
                                         h: Float = 1e-3) -> Tensor {
        func eval() -> [Float] {
            let t = GradientTape(backend)
            return f(t, t.constant(x)).value.array
        }
        let base = eval()
        let m = base.count, n = x.count
        let j = Tensor(shape: [m, n])
        for c in 0..<n {
            let old = x.data[c]
            x.data[c] = old + h
            let up = eval()
            x.data[c] = old
            for r in 0..<m { j.data[r * n + c] = (up[r] - base[r]) / h }
        }
        return j
    }
}
