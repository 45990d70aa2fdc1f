/// The parts of backpropagation through time that the recurrent layers share. Each layer walks
/// the steps backwards itself (its cell's backward differs) and leaves ∂L/∂Z, the gradients of
/// its projections' pre-activations, as one [time·batch, width] matrix; from it the weight, bias
/// and input gradients are single GEMMs over all steps.
enum RecurrentGradients {
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
