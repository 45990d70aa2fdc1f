/// An entry of the registry: a name, what to say about it, and how to compose its routes.
///
/// ```swift
/// // A provider of GEMM only, with the reference for everything else:
/// BackendRegistry.shared.register(BackendEntry(name: "mine", summary: "my GEMM") { opts in
///     var routes = Routes(all: NaiveBackend())
///     routes.gemm = MyGEMM(threads: opts.threads)
///     return routes
/// })
/// ```
public struct BackendEntry: Sendable {
    /// The name users select it by (`--backend NAME`, `BACKPROP_BACKEND`).
    public let name: String
    /// One line saying what it is.
    public let summary: String
    /// Whether it can run on this machine (e.g. SIMD kernels compiled for AVX2 on a CPU without it).
    public let isAvailable: @Sendable () -> Bool
    /// The routing table for the given options: which provider runs each kernel group.
    public let routes: @Sendable (BackendOptions) throws -> Routes

    public init(name: String, summary: String,
                isAvailable: @escaping @Sendable () -> Bool = { true },
                routes: @escaping @Sendable (BackendOptions) throws -> Routes) {
        self.name = name
        self.summary = summary
        self.isAvailable = isAvailable
        self.routes = routes
    }

    /// An entry whose every group runs on the backend `make` returns.
    public init(name: String, summary: String,
                isAvailable: @escaping @Sendable () -> Bool = { true },
                make: @escaping @Sendable (BackendOptions) throws -> any Backend) {
        self.init(name: name, summary: summary, isAvailable: isAvailable) { Routes(all: try make($0)) }
    }
}
