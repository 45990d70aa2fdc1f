import Synchronization

/// The model kinds model files can hold, by name: `sequential`, and any registered from outside.
public enum ModelKinds {
    private static let table = Mutex<[String: any ModelConfiguration.Type]>(["sequential": SequentialConfiguration.self])

    /// Makes `type` loadable under `kind` (replacing an earlier registration of that name).
    public static func register(_ type: any ModelConfiguration.Type, as kind: String) {
        table.withLock { $0[kind] = type }
    }

    /// The configuration type registered as `kind`.
    public static func type(_ kind: String) -> (any ModelConfiguration.Type)? {
        table.withLock { $0[kind] }
    }
}
