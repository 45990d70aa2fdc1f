/// The BLAS-1 vector ops: axpy, scale and copy over `count` contiguous values.
public protocol VectorKernels: KernelProvider {
    /// y ← alpha·x + y over `count` values.
    func axpy(alpha: Float, _ x: UnsafePointer<Float>, _ y: UnsafeMutablePointer<Float>, count: Int)

    /// x ← alpha·x over `count` values.
    func scale(alpha: Float, _ x: UnsafeMutablePointer<Float>, count: Int)

    /// y[i] = x[i] for i < count (non-overlapping).
    func copy(_ x: UnsafePointer<Float>, _ y: UnsafeMutablePointer<Float>, count: Int)
}

extension RoutedBackend {
    public func axpy(alpha: Float, _ x: UnsafePointer<Float>, _ y: UnsafeMutablePointer<Float>, count: Int) {
        routes.vector.axpy(alpha: alpha, x, y, count: count)
    }

    public func scale(alpha: Float, _ x: UnsafeMutablePointer<Float>, count: Int) {
        routes.vector.scale(alpha: alpha, x, count: count)
    }

    public func copy(_ x: UnsafePointer<Float>, _ y: UnsafeMutablePointer<Float>, count: Int) {
        routes.vector.copy(x, y, count: count)
    }
}
