import Synchronization

/// The loss kinds model files can hold, by name: the built-ins (`LossKind`) and any registered
/// from outside.
public enum LossKinds {
    private static let table = Mutex<[String: any LossConfiguration.Type]>(
        Dictionary(uniqueKeysWithValues: LossKind.allCases.map { ($0.rawValue, BuiltInLossConfiguration.self) }))

    /// Makes `type` loadable under `kind` (replacing an earlier registration of that name).
    public static func register(_ type: any LossConfiguration.Type, as kind: String) {
        table.withLock { $0[kind] = type }
    }

    /// The configuration type registered as `kind`.
    public static func type(_ kind: String) -> (any LossConfiguration.Type)? {
        table.withLock { $0[kind] }
    }

    /// The registered kinds, sorted.
    public static var names: [String] { table.withLock { $0.keys.sorted() } }
}
