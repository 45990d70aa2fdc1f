/// Dense linear algebra: solves of A·X = B (least squares through the normal equations uses it).
public protocol SolverKernels: KernelProvider {
    /// Solves A·X = B for X, A of shape [n, n], B of shape [n, nrhs]; overwrites B with X and
    /// A with its LU factors. Throws `BackendError.singular` when A is singular.
    func solve(n: Int, nrhs: Int, a: UnsafeMutablePointer<Float>, b: UnsafeMutablePointer<Float>) throws
}

extension RoutedBackend {
    public func solve(n: Int, nrhs: Int, a: UnsafeMutablePointer<Float>, b: UnsafeMutablePointer<Float>) throws {
        try routes.solver.solve(n: n, nrhs: nrhs, a: a, b: b)
    }
}
