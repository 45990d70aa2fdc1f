/// Binary cross-entropy from logits, numerically stable (PyTorch's `BCEWithLogitsLoss`):
/// L = (1/N) Σ [max(z, 0) − z·t + ln(1 + e^(−|z|))], ∂L/∂z = (σ(z) − t)/N, N = batch · outputs (reduction `sum`: N = 1). Class-index targets
/// are the 0/1 value of a single output, or one-hot rows for several.
public final class BinaryCrossEntropyWithLogits<B: Backend>: Loss {
    public let backend: B
    public let reduction: LossReduction
    public var name: String { LossKind.bceLogits.rawValue }
    public var configuration: any LossConfiguration { BuiltInLossConfiguration(.bceLogits, reduction: reduction) }
    public var outputKind: OutputKind { .logits }
    private let a = Workspace(), b = Workspace()
    private let targets = DenseTargets()

    public init(_ backend: B, reduction: LossReduction = .mean) {
        self.backend = backend
        self.reduction = reduction
    }

    /// One output (a 0/1 column) for two classes; one per class (multi-label) otherwise.
    public func outputCount(classes: Int) -> Int { classes == 2 ? 1 : classes }

    public func compute(_ z: TensorView, _ target: LossTarget, gradient: TensorView?) -> Float {
        precondition(z.isContiguous, "\(name): predictions must be contiguous, got \(z.shape) with row stride \(z.rowStride)")
        let r = z.rows, c = z.cols, s = scale(over: z.count)
        let t = targets.view(target, rows: r, cols: c, loss: name)
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
            backend.scale(alpha: s, g.data, count: g.count)
        }
        return sum * s
    }
}
