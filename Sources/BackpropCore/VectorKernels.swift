/// The BLAS-1 style vector ops: axpy, scale, copy and fill over `count` contiguous values.
public protocol VectorKernels: KernelProvider {
    /// y ← alpha·x + y over `count` values.
    func axpy(alpha: Float, _ x: UnsafePointer<Float>, _ y: UnsafeMutablePointer<Float>, count: Int)

    /// x ← alpha·x over `count` values.
    func scale(alpha: Float, _ x: UnsafeMutablePointer<Float>, count: Int)

    /// y[i] = x[i] for i < count (non-overlapping).
    func copy(_ x: UnsafePointer<Float>, _ y: UnsafeMutablePointer<Float>, count: Int)

    /// y[i] = value for i < count.
    func fill(_ value: Float, _ y: UnsafeMutablePointer<Float>, count: Int)
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

    public func fill(_ value: Float, _ y: UnsafeMutablePointer<Float>, count: Int) {
        routes.vector.fill(value, y, count: count)
    }
}
