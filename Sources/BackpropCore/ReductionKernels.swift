/// Reductions of a [rows, cols] matrix, argmax and the row softmax.
public protocol ReductionKernels: KernelProvider {
    /// Reduces a [rows, cols] matrix along `axis` into `axis.outputCount(rows:cols:)` outputs.
    func reduce(_ op: ReduceOp, _ axis: ReduceAxis, _ x: UnsafePointer<Float>, rows: Int, cols: Int,
                _ out: UnsafeMutablePointer<Float>)

    /// Index of the largest element along `axis` (the first one on ties; a NaN counts as largest,
    /// its first position wins). For `.all` the index is row-major, `i * cols + j`.
    func argmax(_ axis: ReduceAxis, _ x: UnsafePointer<Float>, rows: Int, cols: Int,
                _ out: UnsafeMutablePointer<Int32>)

    /// Row-wise softmax: y_ij = e^(x_ij − m_i) / Σ_j e^(x_ij − m_i) with m_i the row max; with
    /// `log`, y_ij = x_ij − m_i − ln Σ_j e^(x_ij − m_i). `y` may equal `x`.
    func softmax(_ x: UnsafePointer<Float>, _ y: UnsafeMutablePointer<Float>, rows: Int, cols: Int, log: Bool)
}

extension RoutedBackend {
    public func reduce(_ op: ReduceOp, _ axis: ReduceAxis, _ x: UnsafePointer<Float>, rows: Int, cols: Int,
                       _ out: UnsafeMutablePointer<Float>) {
        routes.reduction.reduce(op, axis, x, rows: rows, cols: cols, out)
    }

    public func argmax(_ axis: ReduceAxis, _ x: UnsafePointer<Float>, rows: Int, cols: Int,
                       _ out: UnsafeMutablePointer<Int32>) {
        routes.reduction.argmax(axis, x, rows: rows, cols: cols, out)
    }

    public func softmax(_ x: UnsafePointer<Float>, _ y: UnsafeMutablePointer<Float>, rows: Int, cols: Int, log: Bool) {
        routes.reduction.softmax(x, y, rows: rows, cols: cols, log: log)
    }
}
