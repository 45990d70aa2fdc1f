/// Binary cross-entropy from logits, numerically stable (PyTorch's `BCEWithLogitsLoss`):
/// L = (1/N) Σ [max(z, 0) − z·t + ln(1 + e^(−|z|))], ∂L/∂z = (σ(z) − t)/N.
public final class BinaryCrossEntropyWithLogits<B: Backend>: Loss {
    public let backend: B
    public var name: String { LossKind.bceLogits.rawValue }
    public var outputKind: OutputKind { .logits }
    private let a = Workspace(), b = Workspace()

    public init(_ backend: B) { self.backend = backend }

    public func compute(_ z: Matrix, _ t: Matrix, gradient: Matrix?) -> Float {
        precondition(z.rows == t.rows && z.cols == t.cols, "prediction \(z.rows)x\(z.cols) vs target \(t.rows)x\(t.cols)")
        let r = z.rows, c = z.cols, n = Float(z.count)
        let terms = a.matrix(rows: r, cols: c), soft = b.matrix(rows: r, cols: c)
        var one: Float = 1
        backend.unary(.abs, z.data, soft.data, count: z.count)
        backend.unary(.negate, soft.data, soft.data, count: z.count)
        backend.unary(.exp, soft.data, soft.data, count: z.count)
        backend.binary(.add, soft.data, &one, .scalar, soft.data, rows: r, cols: c)
        backend.unary(.log, soft.data, soft.data, count: z.count)                              // ln(1 + e^−|z|)
        backend.binary(.mul, z.data, t.data, .none, terms.data, rows: r, cols: c)              // z·t
        backend.binary(.sub, soft.data, terms.data, .none, terms.data, rows: r, cols: c)
        backend.unary(.activation(.relu), z.data, soft.data, count: z.count)                   // max(z, 0)
        backend.binary(.add, terms.data, soft.data, .none, terms.data, rows: r, cols: c)
        var sum: Float = 0
        backend.reduce(.sum, .all, terms.data, rows: 1, cols: z.count, &sum)
        if let g = gradient {
            backend.unary(.activation(.sigmoid), z.data, g.data, count: z.count)
            backend.binary(.sub, g.data, t.data, .none, g.data, rows: r, cols: c)
            backend.scale(alpha: 1 / n, g.data, count: g.count)
        }
        return sum / n
    }
}
