import Synchronization

/// The layer kinds model files can hold, by name: the built-ins (`dense`, `activation`,
/// `dropout`, `softmax`, `lstm`, `rnn`, `gru`) and any registered from outside.
public enum LayerKinds {
    private static let table = Mutex<[String: any LayerConfiguration.Type]>([
        "dense": DenseConfiguration.self,
        "activation": ActivationConfiguration.self,
        "dropout": DropoutConfiguration.self,
        "softmax": SoftmaxConfiguration.self,
        "lstm": LSTMConfiguration.self,
        "rnn": RNNConfiguration.self,
        "gru": GRUConfiguration.self,
    ])

    /// Makes `type` loadable under `kind` (replacing an earlier registration of that name).
    public static func register(_ type: any LayerConfiguration.Type, as kind: String) {
        table.withLock { $0[kind] = type }
    }

    /// The configuration type registered as `kind`.
    public static func type(_ kind: String) -> (any LayerConfiguration.Type)? {
        table.withLock { $0[kind] }
    }

    /// The registered kinds, sorted.
    public static var names: [String] { table.withLock { $0.keys.sorted() } }
}
