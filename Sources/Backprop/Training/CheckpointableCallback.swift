/// What a callback keeps between epochs, for checkpoints: named values and tensors.
public struct CallbackState {
    public var values: [String: String]
    public var tensors: [String: Tensor]

    public init(values: [String: String] = [:], tensors: [String: Tensor] = [:]) {
        self.values = values
        self.tensors = tensors
    }
}

/// A callback with state that a resumed run must continue from (early stopping's best value,
/// patience count and best weights): checkpoints save it under `checkpointName`.
public protocol CheckpointableCallback: TrainingCallback {
    /// A name unique among the run's callbacks, e.g. `early_stopping`.
    var checkpointName: String { get }
    func checkpointState() -> CallbackState
    /// Restores what `checkpointState` saved; throws a message when it does not fit.
    func restore(_ state: CallbackState) throws
}
