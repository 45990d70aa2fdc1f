/// Softmax cross-entropy from logits (PyTorch's `CrossEntropyLoss` with one-hot or probability
/// targets): L = −(1/B) Σ_i Σ_k t_ik · log softmax(z_i)_k, with the fused gradient
/// ∂L/∂z = (softmax(z) − t)/B (rows of t sum to 1). B is the batch size.
public final class SoftmaxCrossEntropy<B: Backend>: Loss {
    public let backend: B
    public var name: String { LossKind.crossEntropy.rawValue }
    public var outputKind: OutputKind { .logits }
    private let logProbs = Workspace()

    public init(_ backend: B) { self.backend = backend }

    public func compute(_ z: Matrix, _ t: Matrix, gradient: Matrix?) -> Float {
        precondition(z.rows == t.rows && z.cols == t.cols, "prediction \(z.rows)x\(z.cols) vs target \(t.rows)x\(t.cols)")
        let r = z.rows, c = z.cols
        let lp = logProbs.matrix(rows: r, cols: c)
        backend.softmax(z.data, lp.data, rows: r, cols: c, log: true)
        if let g = gradient {
            backend.unary(.exp, lp.data, g.data, count: z.count)                               // softmax(z)
            backend.binary(.sub, g.data, t.data, .none, g.data, rows: r, cols: c)
            backend.scale(alpha: 1 / Float(r), g.data, count: g.count)
        }
        backend.binary(.mul, lp.data, t.data, .none, lp.data, rows: r, cols: c)
        var sum: Float = 0
        backend.reduce(.sum, .all, lp.data, rows: 1, cols: z.count, &sum)
        return -sum / Float(r)
    }
}
