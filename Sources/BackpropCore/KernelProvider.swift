/// What every set of kernels says about itself: the base of the kernel-group protocols
/// (`GEMMKernels`, `VectorKernels`, `ElementwiseKernels`, `ReductionKernels`, `RandomKernels`,
/// `OptimizerKernels`, `SolverKernels`).
///
/// A kernel provider implements only the groups it has: OpenBLAS provides GEMM, the BLAS-1
/// vector ops and solves; the SIMD kernels provide everything but solves. A `RoutedBackend`
/// composes providers into a whole `Backend`, group by group, and the registry declares each
/// entry's routes (see `Routes`).
///
/// Threads: a provider runs each kernel on `threads` threads (1 = the calling thread only), and
/// the same inputs, provider and thread count give bit-identical results. Storage is plain host
/// memory, row-major Float32, owned by the caller: kernels never allocate in the hot path and never
/// read or write outside the extents they are given.
public protocol KernelProvider: AnyObject, Sendable {
    /// A short name for tables, e.g. `simd` or `openblas`.
    var name: String { get }
    /// The number of threads this provider's kernels use.
    var threads: Int { get }
    /// Facts for `backprop backends`: SIMD width, FMA status, library configuration, ...
    var details: [(key: String, value: String)] { get }
    /// Whether worker threads keep spinning after a call returns (OpenBLAS's pthread build with
    /// more than one thread does): benchmarks time such providers after the others, because the
    /// spinning workers halve whatever runs next.
    var leavesThreadsSpinning: Bool { get }
    /// `threads` single-threaded copies of this provider, of its own type, that may run at the same
    /// time on different threads, for `Backend.forEachPartition`; nil (the default) when the
    /// provider cannot be split that way (OpenBLAS: its thread count is process-wide).
    var partitions: [any KernelProvider]? { get }
    /// Runs `body(t)` for t in 0..<threads at the same time, t = 0 on the calling thread, on the
    /// threads this provider's kernels use (how a `RoutedBackend` runs its partitions). Default:
    /// in order on the calling thread.
    func runOnThreads(_ body: (Int) -> Void)
}

extension KernelProvider {
    public var details: [(key: String, value: String)] { [] }
    public var leavesThreadsSpinning: Bool { false }
    public var partitions: [any KernelProvider]? { nil }
    public func runOnThreads(_ body: (Int) -> Void) {
        for t in 0..<threads { body(t) }
    }
}
