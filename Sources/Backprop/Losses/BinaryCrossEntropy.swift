/// Binary cross-entropy from probabilities (PyTorch's `BCELoss`), class-index targets read as
/// for `BinaryCrossEntropyWithLogits`:
/// L = −(1/N) Σ [t·ln p + (1 − t)·ln(1 − p)], each log clamped at ≥ −100 as PyTorch does,
/// ∂L/∂p = (p − t) / max(p(1 − p), 10⁻¹²) / N (N = batch · outputs; reduction `sum`: N = 1). Use after a sigmoid output; for raw scores
/// `BinaryCrossEntropyWithLogits` is the numerically stable choice.
public final class BinaryCrossEntropy<B: Backend>: Loss {
    public let backend: B
    public let reduction: LossReduction
    public var name: String { LossKind.bce.rawValue }
    public var configuration: any LossConfiguration { BuiltInLossConfiguration(.bce, reduction: reduction) }
    public var outputKind: OutputKind { .probabilities }
    private let a = Workspace(), b = Workspace()
    private let targets = DenseTargets()

    public init(_ backend: B, reduction: LossReduction = .mean) {
        self.backend = backend
        self.reduction = reduction
    }

    /// One output (a 0/1 column) for two classes; one per class (multi-label) otherwise.
    public func outputCount(classes: Int) -> Int { classes == 2 ? 1 : classes }

    public func compute(_ p: TensorView, _ target: LossTarget, gradient: TensorView?) -> Float {
        precondition(p.isContiguous, "\(name): predictions must be contiguous, got \(p.shape) with row stride \(p.rowStride)")
        let r = p.rows, c = p.cols, s = scale(over: p.count)
        let t = targets.view(target, rows: r, cols: c, loss: name)
        let logP = a.matrix(rows: r, cols: c), log1mP = b.matrix(rows: r, cols: c)
        var floor: Float = -100, one: Float = 1
        backend.unary(.log, p.data, logP.data, count: p.count)
        backend.binary(.max, logP.data, &floor, .scalar, logP.data, rows: r, cols: c)
        backend.unary(.negate, p.data, log1mP.data, count: p.count)
        backend.binary(.add, log1mP.data, &one, .scalar, log1mP.data, rows: r, cols: c)
        backend.unary(.log, log1mP.data, log1mP.data, count: p.count)
        backend.binary(.max, log1mP.data, &floor, .scalar, log1mP.data, rows: r, cols: c)
        // t·ln p + (1 − t)·ln(1 − p) = t·(ln p − ln(1 − p)) + ln(1 − p)
        backend.binary(.sub, logP.data, log1mP.data, .none, logP.data, rows: r, cols: c)
        backend.binary(.mul, logP.data, t.data, .none, logP.data, rows: r, cols: c)
        backend.binary(.add, logP.data, log1mP.data, .none, logP.data, rows: r, cols: c)
        var sum: Float = 0
        backend.reduce(.sum, .all, logP.data, rows: 1, cols: p.count, &sum)
        if let g = gradient {
            var eps: Float = 1e-12
            backend.unary(.square, p.data, log1mP.data, count: p.count)
            backend.binary(.sub, p.data, log1mP.data, .none, log1mP.data, rows: r, cols: c)      // p − p²
            backend.binary(.max, log1mP.data, &eps, .scalar, log1mP.data, rows: r, cols: c)
            backend.binary(.sub, p.data, t.data, .none, g.data, rows: r, cols: c)
            backend.binary(.div, g.data, log1mP.data, .none, g.data, rows: r, cols: c)
            backend.scale(alpha: s, g.data, count: g.count)
        }
        return -sum * s
    }
}
