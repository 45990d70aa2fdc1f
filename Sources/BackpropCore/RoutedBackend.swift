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

    public init(name: String, summary: String = "", routes: Routes) {
        self.name = name
        self.summary = summary
        self.routes = routes
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
