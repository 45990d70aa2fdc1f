import Synchronization

/// Maps backend names to routing tables. Thread-safe.
///
/// `BackendRegistry.shared` holds the built-ins (`naive`, `simd`, `blas`, `auto`; see `Backends`)
/// from its first use. A backend from any package joins by calling `register(_:)` on it; no
/// Backprop source needs editing. `make(_:options:)` composes the entry's routes into a
/// `RoutedBackend`, one concrete type whatever the name, so applications pick a backend at run time
/// without writing generic code:
///
/// ```swift
/// let backend = try BackendRegistry.shared.make("simd", options: BackendOptions(threads: 2))
/// var g = RandomGenerator(seed: 1)
/// let model = Sequential.mlp(backend, sizes: [4, 16, 3], generator: &g)
/// ```
public final class BackendRegistry: Sendable {
    /// The process-wide registry, with the built-in backends registered.
    public static let shared: BackendRegistry = {
        let r = BackendRegistry()
        for e in Backends.builtIns { r.register(e) }
        return r
    }()

    private let entries = Mutex<[BackendEntry]>([])

    /// An empty registry (for tests and for applications that want their own list).
    public init() {}

    /// Adds `entry`, replacing an entry of the same name.
    public func register(_ entry: BackendEntry) {
        entries.withLock { list in
            list.removeAll { $0.name == entry.name }
            list.append(entry)
        }
    }

    /// Removes the entry called `name`, if any.
    public func unregister(_ name: String) {
        entries.withLock { $0.removeAll { $0.name == name } }
    }

    /// All entries, in registration order.
    public var all: [BackendEntry] { entries.withLock { $0 } }

    /// The registered names, in registration order.
    public var names: [String] { all.map(\.name) }

    /// The entry called `name`.
    public func entry(_ name: String) throws -> BackendEntry {
        let list = all
        guard let e = list.first(where: { $0.name == name }) else {
            throw BackendSelectionError.unknown(name: name, available: list.map(\.name))
        }
        return e
    }

    /// Makes the backend called `name`: its entry's routes, composed.
    public func make(_ name: String, options: BackendOptions = BackendOptions()) throws -> RoutedBackend {
        guard options.threads >= 1 else { throw BackendSelectionError.invalidThreads(options.threads) }
        guard options.threads <= BackendOptions.maximumThreads else {
            throw BackendSelectionError.tooManyThreads(options.threads, maximum: BackendOptions.maximumThreads)
        }
        let e = try entry(name)
        guard e.isAvailable() else { throw BackendSelectionError.unavailable(name: name) }
        return RoutedBackend(name: e.name, summary: e.summary, routes: try e.routes(options))
    }

    /// The backend name to use: `option` if given, else the `BACKPROP_BACKEND` environment
    /// variable, else `fallback`.
    public static func selectedName(option: String?, environment: [String: String], fallback: String = "auto") -> String {
        if let option, !option.isEmpty { return option }
        if let env = environment["BACKPROP_BACKEND"], !env.isEmpty { return env }
        return fallback
    }
}
