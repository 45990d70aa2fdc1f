/// The whole compute contract: every kernel group. Layers, losses and optimisers are generic over
/// `B: Backend`.
///
/// All matrices are row-major Float32 in plain host memory (`UnsafeMutablePointer<Float>`, 64-byte
/// aligned when it comes from `Tensor`). All of Backprop's backends run on the CPU, and one storage
/// type lets layers, optimisers, model files and the conformance suite share buffers across
/// backends without copies; a device backend would add its own storage behind `Tensor`, not
/// change these signatures' meaning. Determinism: the same inputs, backend and thread count give
/// bit-identical results.
///
/// Two kinds of type conform:
/// - `RoutedBackend`, what `BackendRegistry.make(_:)` returns: each kernel group routed to the
///   provider that implements it, as the registry entry declares. This is what applications use:
///   `let backend = try Backends.make("simd")`.
/// - A provider that implements every group itself, such as `NaiveBackend`, the reference.
///
/// Providers that implement only some groups (`SIMDKernels`, `BLASKernels`) are not backends on
/// their own; they become part of one through `Routes`.
public protocol Backend: GEMMKernels, VectorKernels, ElementwiseKernels, ReductionKernels, RandomKernels,
                         OptimizerKernels, SolverKernels {
    /// How many partitions `forEachPartition` runs at once: the backend's threads when its
    /// providers can be split into single-threaded copies (the SIMD kernels can), else 1.
    var partitionCount: Int { get }
    /// The single-threaded backend of partition p (0..<`partitionCount`), with workspaces of its
    /// own; `self` when there is one partition.
    func partition(_ p: Int) -> Self
    /// Runs `body(p)` for p in 0..<`partitionCount` at the same time, p = 0 on the calling thread.
    func runPartitions(_ body: (Int) -> Void)
}

extension Backend {
    public var partitionCount: Int { 1 }
    public func partition(_ p: Int) -> Self { self }
    public func runPartitions(_ body: (Int) -> Void) { body(0) }

    /// Runs `body(p, partition(p))` for p in 0..<`partitionCount` at the same time, p = 0 on the
    /// calling thread: each partition a single-threaded backend that only its call may use. For
    /// work that splits into independent parts for the whole of a longer computation — a
    /// recurrent layer's batch rows over every time step — so that the threads meet once instead
    /// of at every kernel. With one partition, `body(0, self)`.
    public func forEachPartition(_ body: (_ partition: Int, _ backend: Self) -> Void) {
        if partitionCount == 1 { body(0, self); return }
        runPartitions { p in body(p, partition(p)) }
    }
}

/// Errors a kernel reports about its inputs.
public enum BackendError: Error, Equatable, CustomStringConvertible {
    /// The matrix of a linear solve is singular (a zero pivot at `pivot`).
    case singular(pivot: Int)

    public var description: String {
        switch self {
        case .singular(let p): return "matrix is singular (zero pivot at row \(p))"
        }
    }
}
