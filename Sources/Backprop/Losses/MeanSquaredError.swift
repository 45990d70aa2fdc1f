/// Mean squared error over every element (PyTorch's `MSELoss`):
/// L = (1/N) Σ (p − t)², ∂L/∂p = 2(p − t)/N, with N = batch · outputs (reduction `sum`: N = 1).
/// Class-index targets are read as one-hot rows (the course's MSE on one-hot labels).
public final class MeanSquaredError<B: Backend>: Loss {
    public let backend: B
    public let reduction: LossReduction
    public var name: String { LossKind.mse.rawValue }
    public var outputKind: OutputKind { .values }
    public var configuration: any LossConfiguration { BuiltInLossConfiguration(.mse, reduction: reduction) }
    private let diff = Workspace()
    private let targets = DenseTargets()

    public init(_ backend: B, reduction: LossReduction = .mean) {
        self.backend = backend
        self.reduction = reduction
    }

    public func compute(_ p: TensorView, _ target: LossTarget, gradient: TensorView?) -> Float {
        precondition(p.isContiguous, "MeanSquaredError: predictions must be contiguous, got \(p.shape) with row stride \(p.rowStride)")
        let t = targets.view(target, rows: p.rows, cols: p.cols, loss: name)
        let d = gradient ?? diff.matrix(rows: p.rows, cols: p.cols)
        backend.binary(.sub, p.data, t.data, .none, d.data, rows: p.rows, cols: p.cols)
        var sum: Float = 0
        backend.reduce(.sumOfSquares, .all, d.data, rows: 1, cols: p.count, &sum)
        let s = scale(over: p.count)
        if gradient != nil { backend.scale(alpha: 2 * s, d.data, count: p.count) }
        return sum * s
    }
}
