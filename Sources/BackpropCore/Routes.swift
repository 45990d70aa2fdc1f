/// Which provider runs each kernel group of a `RoutedBackend`: the routing table a registry entry
/// declares (ggml's `supports_op`, written down once per backend instead of implied by what each
/// provider happens to implement).
///
/// ```swift
/// let simd = SIMDKernels(threads: 2), blas = BLASKernels(threads: 1)
/// var routes = Routes(all: simd, solver: blas)          // everything on simd, solves on OpenBLAS
/// routes.gemmException = GEMMException(kernels: blas, rule: "k ≥ 4096") { $0.k >= 4096 }
/// ```
public struct Routes: Sendable {
    public var gemm: any GEMMKernels
    /// GEMM shapes sent to another provider (e.g. the shapes OpenBLAS measured faster at).
    public var gemmException: GEMMException?
    public var vector: any VectorKernels
    public var elementwise: any ElementwiseKernels
    public var reduction: any ReductionKernels
    public var random: any RandomKernels
    public var optimizer: any OptimizerKernels
    public var solver: any SolverKernels

    public init(gemm: any GEMMKernels, gemmException: GEMMException? = nil, vector: any VectorKernels,
                elementwise: any ElementwiseKernels, reduction: any ReductionKernels, random: any RandomKernels,
                optimizer: any OptimizerKernels, solver: any SolverKernels) {
        self.gemm = gemm
        self.gemmException = gemmException
        self.vector = vector
        self.elementwise = elementwise
        self.reduction = reduction
        self.random = random
        self.optimizer = optimizer
        self.solver = solver
    }

    /// Every group on `backend`.
    public init(all backend: any Backend) {
        self.init(gemm: backend, vector: backend, elementwise: backend, reduction: backend, random: backend,
                  optimizer: backend, solver: backend)
    }

    /// Every group but solves on `kernels` (which implements all the others), solves on `solver`.
    public init<K: GEMMKernels & VectorKernels & ElementwiseKernels & ReductionKernels & RandomKernels & OptimizerKernels>(
        all kernels: K, solver: any SolverKernels) {
        self.init(gemm: kernels, vector: kernels, elementwise: kernels, reduction: kernels, random: kernels,
                  optimizer: kernels, solver: solver)
    }

    /// The provider that runs a GEMM of this shape.
    @inline(__always)
    public func gemmKernels(for shape: GEMMShape) -> any GEMMKernels {
        if let e = gemmException, e.applies(shape) { return e.kernels }
        return gemm
    }

    /// The provider of `group` (for GEMM, the one that runs shapes outside the exception).
    public func provider(for group: KernelGroup) -> any KernelProvider {
        switch group {
        case .gemm: return gemm
        case .vector: return vector
        case .elementwise: return elementwise
        case .reduction: return reduction
        case .random: return random
        case .optimizer: return optimizer
        case .solver: return solver
        }
    }

    /// Every distinct provider, in group order.
    public var providers: [any KernelProvider] {
        var seen: [ObjectIdentifier] = [], out: [any KernelProvider] = []
        let all = KernelGroup.allCases.map(provider(for:)) + (gemmException.map { [$0.kernels] } ?? [])
        for p in all where !seen.contains(ObjectIdentifier(p)) {
            seen.append(ObjectIdentifier(p))
            out.append(p)
        }
        return out
    }

    /// The table `backprop backends` prints: one row per group (its ops, its provider and that
    /// provider's threads), plus a row for the GEMM exception when there is one.
    public var table: [(group: String, ops: String, provider: String)] {
        var rows = KernelGroup.allCases.map { g -> (String, String, String) in
            let p = provider(for: g)
            return (g.rawValue, g.ops.map(\.rawValue).joined(separator: ", "), "\(p.name) x\(p.threads)")
        }
        if let e = gemmException {
            rows.insert(("gemm when", e.rule, "\(e.kernels.name) x\(e.kernels.threads)"), at: 1)
        }
        return rows
    }
}

/// GEMM shapes a `RoutedBackend` sends to a second provider, with the rule in words.
public struct GEMMException: Sendable {
    public let kernels: any GEMMKernels
    /// The rule, as `backprop backends` prints it.
    public let rule: String
    public let applies: @Sendable (GEMMShape) -> Bool

    public init(kernels: any GEMMKernels, rule: String, applies: @escaping @Sendable (GEMMShape) -> Bool) {
        self.kernels = kernels
        self.rule = rule
        self.applies = applies
    }
}
