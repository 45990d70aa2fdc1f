/// Softmax cross-entropy from logits (PyTorch's `CrossEntropyLoss`), with class-index targets or
/// one-hot / probability rows t:
/// L = −(1/B) Σ_i Σ_k t_ik · log softmax(z_i)_k (for class indices, −(1/B) Σ_i log softmax(z_i)_{y_i}),
/// with the fused gradient ∂L/∂z = (softmax(z) − t)/B (rows of t sum to 1). B is the number of
/// rows (examples, or time steps × examples); reduction `sum` drops the 1/B.
public final class SoftmaxCrossEntropy<B: Backend>: Loss {
    public let backend: B
    public let reduction: LossReduction
    public var name: String { LossKind.crossEntropy.rawValue }
    public var outputKind: OutputKind { .logits }
    public var configuration: any LossConfiguration { BuiltInLossConfiguration(.crossEntropy, reduction: reduction) }
    private let logProbs = Workspace()

    public init(_ backend: B, reduction: LossReduction = .mean) {
        self.backend = backend
        self.reduction = reduction
    }

    public func compute(_ z: TensorView, _ target: LossTarget, gradient: TensorView?) -> Float {
        precondition(z.isContiguous, "SoftmaxCrossEntropy: logits must be contiguous, got \(z.shape) with row stride \(z.rowStride)")
        let r = z.rows, c = z.cols
        let s = scale(over: r)
        let lp = logProbs.matrix(rows: r, cols: c)
        backend.softmax(z.data, lp.data, rows: r, cols: c, log: true)
        switch target {
        case .classes(let labels):
            precondition(labels.count == r, "SoftmaxCrossEntropy: \(labels.count) class indices for \(r) rows of logits")
            var sum: Float = 0
            let g = gradient
            if let g { backend.unary(.exp, lp.data, g.data, count: z.count) }                // softmax(z)
            labels.withUnsafeBufferPointer { lb in
                for i in 0..<r {
                    let l = Int(lb[i])
                    precondition(l >= 0 && l < c, "SoftmaxCrossEntropy: class \(l) for \(c) outputs")
                    sum += lp.data[i * c + l]
                    g?.data[i * c + l] -= 1                                                 // − one-hot
                }
            }
            if let g { backend.scale(alpha: s, g.data, count: g.count) }
            return -sum * s
        case .values(let t):
            precondition(t.rows == r && t.cols == c && t.isContiguous, "SoftmaxCrossEntropy: logits \(r)x\(c) vs target \(t.shape)")
            if let g = gradient {
                backend.unary(.exp, lp.data, g.data, count: z.count)                           // softmax(z)
                backend.binary(.sub, g.data, t.data, .none, g.data, rows: r, cols: c)
                backend.scale(alpha: s, g.data, count: g.count)
            }
            backend.binary(.mul, lp.data, t.data, .none, lp.data, rows: r, cols: c)
            var sum: Float = 0
            backend.reduce(.sum, .all, lp.data, rows: 1, cols: z.count, &sum)
            return -sum * s
        }
    }
}
