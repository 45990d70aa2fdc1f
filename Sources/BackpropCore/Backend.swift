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
                         OptimizerKernels, SolverKernels {}

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
