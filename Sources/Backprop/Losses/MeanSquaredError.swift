/// Mean squared error over every element (PyTorch's `MSELoss`, reduction "mean"):
/// L = (1/N) Σ (p − t)², ∂L/∂p = 2(p − t)/N, with N = batch · outputs.
public final class MeanSquaredError<B: Backend>: Loss {
    public let backend: B
    public var name: String { LossKind.mse.rawValue }
    public var outputKind: OutputKind { .values }
    private let diff = Workspace()

    public init(_ backend: B) { self.backend = backend }

    public func compute(_ p: Matrix, _ t: Matrix, gradient: Matrix?) -> Float {
        precondition(p.rows == t.rows && p.cols == t.cols, "prediction \(p.rows)x\(p.cols) vs target \(t.rows)x\(t.cols)")
        let d = gradient ?? diff.matrix(rows: p.rows, cols: p.cols)
        backend.binary(.sub, p.data, t.data, .none, d.data, rows: p.rows, cols: p.cols)
        var sum: Float = 0
        backend.reduce(.sumOfSquares, .all, d.data, rows: 1, cols: d.count, &sum)
        let n = Float(p.count)
        if gradient != nil { backend.scale(alpha: 2 / n, d.data, count: d.count) }
        return sum / n
    }
}
