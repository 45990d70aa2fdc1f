import Synchronization

/// Options a backend factory receives.
public struct BackendOptions: Sendable, Hashable {
    /// Threads for the backend's kernels (≥ 1).
    public var threads: Int

    public init(threads: Int = 1) {
        self.threads = threads
    }
}

/// An entry of the registry: how to make one backend, and what to say about it.
public struct BackendEntry: Sendable {
    /// The name users select it by (`--backend NAME`, `BACKPROP_BACKEND`).
    public let name: String
    /// One line saying what it is.
    public let summary: String
    /// Whether it can run on this machine (e.g. a SIMD backend compiled for AVX2 on a CPU without it).
    public let isAvailable: @Sendable () -> Bool
    /// Makes a backend with the given options.
    public let make: @Sendable (BackendOptions) throws -> any Backend

    public init(name: String, summary: String,
                isAvailable: @escaping @Sendable () -> Bool = { true },
                make: @escaping @Sendable (BackendOptions) throws -> any Backend) {
        self.name = name
        self.summary = summary
        self.isAvailable = isAvailable
        self.make = make
    }
}

/// Errors from choosing a backend.
public enum BackendSelectionError: Error, Equatable, CustomStringConvertible {
    case unknown(name: String, available: [String])
    case unavailable(name: String)
    case invalidThreads(Int)

    public var description: String {
        switch self {
        case .unknown(let name, let available):
            return "unknown backend '\(name)'; available backends: \(available.joined(separator: ", "))"
        case .unavailable(let name):
            return "backend '\(name)' is registered but cannot run on this machine"
        case .invalidThreads(let n):
            return "invalid thread count \(n); expected an integer ≥ 1"
        }
    }
}

/// Maps backend names to factories. Thread-safe.
///
/// A backend from any package joins by calling `register(_:)` on `BackendRegistry.shared`; no
/// Backprop source needs editing. The `Backprop` module registers `naive`, `simd`, `blas` and
/// `auto` the first time `Backends.registry` is touched.
///
/// ```swift
/// BackendRegistry.shared.register(BackendEntry(name: "mine", summary: "my kernels") { opts in
///     MyBackend(threads: opts.threads)
/// })
/// let b = try BackendRegistry.shared.make("mine")
/// ```
public final class BackendRegistry: Sendable {
    /// The process-wide registry.
    public static let shared = BackendRegistry()

    private let entries = Mutex<[BackendEntry]>([])

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

    /// Makes the backend called `name`.
    public func make(_ name: String, options: BackendOptions = BackendOptions()) throws -> any Backend {
        guard options.threads >= 1 else { throw BackendSelectionError.invalidThreads(options.threads) }
        let e = try entry(name)
        guard e.isAvailable() else { throw BackendSelectionError.unavailable(name: name) }
        return try e.make(options)
    }

    /// The backend name to use: `option` if given, else the `BACKPROP_BACKEND` environment
    /// variable, else `fallback`.
    public static func selectedName(option: String?, environment: [String: String], fallback: String = "auto") -> String {
        if let option, !option.isEmpty { return option }
        if let env = environment["BACKPROP_BACKEND"], !env.isEmpty { return env }
        return fallback
    }
}
