/// The groups of the kernel contract. A `KernelProvider` implements whole groups; a
/// `RoutedBackend` routes each group to one provider (and GEMM, by shape, to up to two).
public enum KernelGroup: String, CaseIterable, Hashable, Sendable, Comparable {
    /// `GEMMKernels`: C = αop(A)op(B) + βC.
    case gemm
    /// `VectorKernels`: the BLAS-1 ops axpy, scale and copy.
    case vector
    /// `ElementwiseKernels`: unary maps, activation gradients, binary maps with broadcasting,
    /// fused bias + activation, fills, transposes, the fused LSTM cell.
    case elementwise
    /// `ReductionKernels`: sums, means, maxima, argmax and row softmax.
    case reduction
    /// `RandomKernels`: seeded uniform and normal fills.
    case random
    /// `OptimizerKernels`: the fused Adam/AdamW update.
    case optimizer
    /// `SolverKernels`: dense linear solves.
    case solver

    /// The ops of this group, in table order.
    public var ops: [OpKind] { OpKind.allCases.filter { $0.group == self } }

    public static func < (a: KernelGroup, b: KernelGroup) -> Bool {
        allCases.firstIndex(of: a)! < allCases.firstIndex(of: b)!
    }
}
