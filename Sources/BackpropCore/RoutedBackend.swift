/// A whole `Backend` composed of kernel providers, each group routed as its `Routes` declare.
/// `BackendRegistry.make(_:)` returns one, so an application names a backend at run time and still
/// has one concrete type to build its models on:
///
/// ```swift
/// let backend = try Backends.make("simd", threads: 2)     // a RoutedBackend
/// var g = RandomGenerator(seed: 1)
/// let model = Sequential.mlp(backend, sizes: [784, 256, 10], generator: &g)
/// ```
///
/// Each kernel call goes through one existential hop to its provider; kernels are coarse (whole
/// arrays), so that costs nothing measurable (`backprop bench --op train-tiny` runs ~40 calls per
/// 60 µs step).
public final class RoutedBackend: Backend {
    public let name: String
    /// One line saying what the backend is.
    public let summary: String
    public let routes: Routes

    /// The single-threaded backends of `forEachPartition`: empty when there is one partition.
    private let partitionBackends: [RoutedBackend]

    public init(name: String, summary: String = "", routes: Routes) {
        self.name = name
        self.summary = summary
        self.routes = routes
        partitionBackends = Self.partitions(of: routes).enumerated().map { p, r in
            RoutedBackend(name: "\(name) partition \(p)", summary: summary, routes: r)
        }
    }

    /// `routes`' threads when every provider but the solver offers that many single-threaded
    /// copies (`KernelProvider.partitions`): the routes of each partition, each group on its own
    /// copy of its provider. Solves go to the shared solver (no layer solves inside a partition).
    /// Otherwise none: one partition, the backend itself.
    private static func partitions(of routes: Routes) -> [Routes] {
        let n = routes.gemm.threads
        guard n > 1 else { return [] }
        var copies: [ObjectIdentifier: [any KernelProvider]] = [:]
        for p in routes.providers where ObjectIdentifier(p) != ObjectIdentifier(routes.solver) {
            guard let c = p.partitions, c.count == n else { return [] }
            copies[ObjectIdentifier(p)] = c
        }
        func copy<T>(_ provider: any KernelProvider, _ p: Int, as _: T.Type) -> T? {
            copies[ObjectIdentifier(provider)]?[p] as? T
        }
        var out: [Routes] = []
        for p in 0..<n {
            guard let gemm = copy(routes.gemm, p, as: (any GEMMKernels).self),
                  let vector = copy(routes.vector, p, as: (any VectorKernels).self),
                  let elementwise = copy(routes.elementwise, p, as: (any ElementwiseKernels).self),
                  let reduction = copy(routes.reduction, p, as: (any ReductionKernels).self),
                  let random = copy(routes.random, p, as: (any RandomKernels).self),
                  let optimizer = copy(routes.optimizer, p, as: (any OptimizerKernels).self) else { return [] }
            var r = Routes(gemm: gemm, vector: vector, elementwise: elementwise, reduction: reduction, random: random,
                           optimizer: optimizer, solver: routes.solver)
            if let e = routes.gemmException {
                guard let k = copy(e.kernels, p, as: (any GEMMKernels).self) else { return [] }
                r.gemmException = GEMMException(kernels: k, rule: e.rule, applies: e.applies)
            }
            out.append(r)
        }
        return out
    }

    public var partitionCount: Int { max(1, partitionBackends.count) }

    public func partition(_ p: Int) -> RoutedBackend { partitionBackends.isEmpty ? self : partitionBackends[p] }

    /// The partitions run on the GEMM provider's threads (`KernelProvider.runOnThreads`).
    public func runPartitions(_ body: (Int) -> Void) {
        if partitionBackends.isEmpty { body(0) } else { routes.gemm.runOnThreads(body) }
    }

    /// The most threads any of its providers uses.
    public var threads: Int { routes.providers.map(\.threads).max() ?? 1 }

    public var leavesThreadsSpinning: Bool { routes.providers.contains { $0.leavesThreadsSpinning } }

    /// Each provider's details, prefixed by its name when there are several.
    public var details: [(key: String, value: String)] {
        let ps = routes.providers
        return ps.flatMap { p in p.details.map { (ps.count > 1 ? "\(p.name) \($0.key)" : $0.key, $0.value) } }
    }
}
