/// Stops training when a monitored metric stops improving (Keras's `EarlyStopping`).
///
/// An epoch improves on the best so far when it is better by more than `minDelta` (lower for
/// losses, higher for accuracies). After `patience` epochs without improvement training stops;
/// with `restoreBestWeights`, the parameters are then set back to the best epoch's.
/// Defaults: monitor `val_loss` (falls back to `loss` when there is no validation data),
/// patience 5, minDelta 0, restoreBestWeights true.
public final class EarlyStopping: CheckpointableCallback {
    public let monitor: String
    public let patience: Int
    public let minDelta: Float
    public let restoreBestWeights: Bool

    /// The best epoch (1-based) and its value, once seen.
    public private(set) var bestEpoch = 0
    public private(set) var best: Float?
    /// The epoch training stopped at, if it did.
    public private(set) var stoppedEpoch: Int?
    private var wait = 0
    private var snapshot: [Tensor] = []

    public init(monitor: String = "val_loss", patience: Int = 5, minDelta: Float = 0, restoreBestWeights: Bool = true) {
        precondition(patience >= 0, "patience must be ≥ 0")
        self.monitor = monitor
        self.patience = patience
        self.minDelta = abs(minDelta)
        self.restoreBestWeights = restoreBestWeights
    }

    private var higherIsBetter: Bool { monitor.hasSuffix("accuracy") }

    public func epochDidEnd(_ log: EpochLog, parameters: [Parameter]) -> Bool {
        guard let value = log.metric(monitor) ?? log.metric(monitor.replacingOccurrences(of: "val_", with: "")) else { return false }
        let improved: Bool
        if let b = best {
            improved = higherIsBetter ? value > b + minDelta : value < b - minDelta
        } else {
            improved = value.isFinite
        }
        if improved {
            best = value
            bestEpoch = log.epoch
            wait = 0
            if restoreBestWeights {
                if snapshot.count != parameters.count { snapshot = parameters.map { Tensor(shape: $0.value.shape) } }
                for (s, p) in zip(snapshot, parameters) { s.assign(from: p.value) }
            }
            return false
        }
        wait += 1
        if wait >= patience {
            stoppedEpoch = log.epoch
            return true
        }
        return false
    }

    public func trainingDidEnd(parameters: [Parameter]) {
        if restoreBestWeights, stoppedEpoch != nil, snapshot.count == parameters.count {
            for (s, p) in zip(snapshot, parameters) { p.value.assign(from: s) }
        }
    }

    public var checkpointName: String { "early_stopping" }

    public func checkpointState() -> CallbackState {
        var values = ["best_epoch": "\(bestEpoch)", "wait": "\(wait)"]
        if let best { values["best"] = "\(best.bitPattern)" }
        if let stoppedEpoch { values["stopped_epoch"] = "\(stoppedEpoch)" }
        var tensors: [String: Tensor] = [:]
        for (i, t) in snapshot.enumerated() { tensors["snapshot.\(i)"] = t }
        return CallbackState(values: values, tensors: tensors)
    }

    public func restore(_ state: CallbackState) throws {
        guard let e = state.values["best_epoch"].flatMap(Int.init), let w = state.values["wait"].flatMap(Int.init) else {
            throw ConfigurationError("early stopping state needs best_epoch and wait")
        }
        bestEpoch = e
        wait = w
        best = state.values["best"].flatMap(UInt32.init).map(Float.init(bitPattern:))
        stoppedEpoch = state.values["stopped_epoch"].flatMap(Int.init)
        snapshot = (0..<state.tensors.count).compactMap { state.tensors["snapshot.\($0)"]?.copy() }
        guard snapshot.count == state.tensors.count else { throw ConfigurationError("early stopping snapshot tensors are not numbered 0..<n") }
    }
}
