/// What the recurrent layers share: PyTorch's initialisation, the projections (X·W_ihᵀ + b for
/// every step in one GEMM, h_{t−1}·W_hhᵀ per step) and backpropagation through time around the
/// cell. Each layer runs its own cell forward and backward per step and leaves ∂L/∂Z, the
/// gradients of its projections' pre-activations, as one [time·batch, width] matrix; from it the
/// weight, bias and input gradients are single GEMMs over all steps.
enum Recurrence {
    /// Every parameter from U(−1/√hidden, 1/√hidden), PyTorch's default for its recurrent layers.
    static func initialize(_ parameters: [Parameter], hidden: Int, generator: inout RandomGenerator) {
        let k = 1 / Float(hidden).squareRoot()
        for (i, p) in parameters.enumerated() {
            var g = generator.derived(UInt64(i))
            g.fill(.uniform(low: -k, high: k), p.value.data, count: p.count)
        }
        generator.counter &+= 1
    }

    /// Z = X·W_ihᵀ + (b_ih + b_hh) for every step at once: z [t·b, width] from x [t, b, d].
    static func projectInputs<B: Backend>(_ backend: B, _ x: TensorView, weightIH: Parameter, biasIH: Parameter, biasHH: Parameter,
                                          biasSum: Workspace, into z: UnsafeMutablePointer<Float>, width g: Int) {
        let (rows, d) = (x.rows, x.cols)
        backend.gemm(.none, .transpose, m: rows, n: g, k: d, alpha: 1, a: x.data, lda: d, b: weightIH.value.data, ldb: d,
                     beta: 0, c: z, ldc: g)
        let bias = biasSum.matrix(rows: 1, cols: g)
        backend.binary(.add, biasIH.value.data, biasHH.value.data, .none, bias.data, rows: 1, cols: g)
        backend.binary(.add, z, bias.data, .row, z, rows: rows, cols: g)
    }

    /// Z_t += h_{t−1}·W_hhᵀ: zs [b, width], hPrev [b, hidden].
    static func addRecurrent<B: Backend>(_ backend: B, hPrev: UnsafePointer<Float>, weightHH: Parameter,
                                         into zs: UnsafeMutablePointer<Float>, batch b: Int, width g: Int, hidden h: Int) {
        backend.gemm(.none, .transpose, m: b, n: g, k: h, alpha: 1, a: hPrev, lda: h, b: weightHH.value.data, ldb: h,
                     beta: 1, c: zs, ldc: g)
    }

    /// ∂L/∂h_{t−1} = ∂Z_t·W_hh into `dhPrev` [b, hidden].
    static func previousHidden<B: Backend>(_ backend: B, dzs: UnsafePointer<Float>, weightHH: Parameter,
                                           into dhPrev: UnsafeMutablePointer<Float>, batch b: Int, width g: Int, hidden h: Int) {
        backend.gemm(.none, .none, m: b, n: h, k: g, alpha: 1, a: dzs, lda: g, b: weightHH.value.data, ldb: h,
                     beta: 0, c: dhPrev, ldc: h)
    }

    /// ∂L/∂h_s into `dh`: the layer's output gradient at step s (every step when
    /// `returnSequences`, else only the last) plus `dhNext`, the gradient from step s + 1.
    static func hidden<B: Backend>(_ backend: B, dy: UnsafePointer<Float>, dhNext: UnsafePointer<Float>,
                                   into dh: UnsafeMutablePointer<Float>, step s: Int, steps t: Int, count: Int, returnSequences: Bool) {
        if returnSequences {
            backend.binary(.add, dy + s * count, dhNext, .none, dh, rows: 1, cols: count)
        } else if s == t - 1 {
            backend.binary(.add, dy, dhNext, .none, dh, rows: 1, cols: count)
        } else {
            backend.copy(dhNext, dh, count: count)
        }
    }

    /// From ∂L/∂Z [t·b, width]: dW_ih += ∂Zᵀ·X, dW_hh += ∂Z_{1…}ᵀ·H_{0…t−2}, both biases += Σ ∂Z,
    /// and (when asked) dX = ∂Z·W_ih into `gradInput`, which is returned.
    static func finish<B: Backend>(_ backend: B, dz: UnsafePointer<Float>, width g: Int, x: TensorView, hiddens: UnsafePointer<Float>,
                                   steps t: Int, batch b: Int, hidden h: Int, weightIH: Parameter, weightHH: Parameter,
                                   biasIH: Parameter, biasHH: Parameter, sums: Workspace, gradInput: Workspace,
                                   needsInputGradient: Bool) -> TensorView {
        let d = x.cols
        backend.gemm(.transpose, .none, m: g, n: d, k: t * b, alpha: 1, a: dz, lda: g, b: x.data, ldb: d,
                     beta: 1, c: weightIH.grad.data, ldc: d)
        if t > 1 {
            backend.gemm(.transpose, .none, m: g, n: h, k: (t - 1) * b, alpha: 1, a: dz + b * g, lda: g, b: hiddens, ldb: h,
                         beta: 1, c: weightHH.grad.data, ldc: h)
        }
        let colSums = sums.matrix(rows: 1, cols: g)
        backend.reduce(.sum, .columns, dz, rows: t * b, cols: g, colSums.data)
        backend.axpy(alpha: 1, colSums.data, biasIH.grad.data, count: g)
        backend.axpy(alpha: 1, colSums.data, biasHH.grad.data, count: g)
        let dx = gradInput.view(x.shape)
        if needsInputGradient {
            backend.gemm(.none, .none, m: t * b, n: d, k: g, alpha: 1, a: dz, lda: g, b: weightIH.value.data, ldb: d,
                         beta: 0, c: dx.data, ldc: d)
        }
        return dx
    }
}
