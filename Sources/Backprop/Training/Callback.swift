/// Hooks into `Trainer.fit`. Every method has an empty default.
public protocol TrainingCallback: AnyObject {
    /// Before the first epoch.
    func trainingWillBegin(epochs: Int, batchesPerEpoch: Int, samplesPerEpoch: Int)
    /// After each batch: the running mean loss of the epoch so far.
    func batchDidEnd(epoch: Int, batch: Int, batches: Int, runningLoss: Float, samplesDone: Int)
    /// After each epoch. Return true to stop training.
    func epochDidEnd(_ log: EpochLog, parameters: [Parameter]) -> Bool
    /// After the last epoch (or a stop).
    func trainingDidEnd(parameters: [Parameter])
}

extension TrainingCallback {
    public func trainingWillBegin(epochs: Int, batchesPerEpoch: Int, samplesPerEpoch: Int) {}
    public func batchDidEnd(epoch: Int, batch: Int, batches: Int, runningLoss: Float, samplesDone: Int) {}
    public func epochDidEnd(_ log: EpochLog, parameters: [Parameter]) -> Bool { false }
    public func trainingDidEnd(parameters: [Parameter]) {}
}

/// A per-epoch hook from a closure; return true to stop.
public final class EpochHook: TrainingCallback {
    private let body: (EpochLog) -> Bool
    public init(_ body: @escaping (EpochLog) -> Bool) { self.body = body }
    public func epochDidEnd(_ log: EpochLog, parameters: [Parameter]) -> Bool { body(log) }
}
