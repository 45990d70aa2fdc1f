import Foundation

/// Trains any `Model` with a loss and an optimiser.
///
/// Each batch runs one `TrainingStep` (forward, loss, zero gradients, backward, the gradient
/// pipeline, update); all buffers are sized by the first batch and reused, so steady-state steps
/// allocate nothing. Classification sets (`Dataset.labels`) train on class indices; others on
/// their dense targets. Data that does not fit the model throws `TrainingError.dataMismatch`.
///
/// ```swift
/// let backend = try Backends.make("simd")
/// var g = RandomGenerator(seed: 1)
/// let model = Sequential.mlp(backend, sizes: [2, 16, 2], generator: &g)
/// let trainer = Trainer(model: model, loss: SoftmaxCrossEntropy(backend), optimizer: Adam(backend, learningRate: 0.01))
/// let history = try trainer.fit(SyntheticDataset.moons.make(count: 500, seed: 1), options: FitOptions(epochs: 20))
/// ```
public final class Trainer {
    public let model: any Model
    public let loss: any Loss
    public let optimizer: any Optimizer
    public let evaluator: Evaluator

    public init(model: any Model, loss: any Loss, optimizer: any Optimizer) {
        self.model = model
        self.loss = loss
        self.optimizer = optimizer
        self.evaluator = Evaluator(model: model, loss: loss)
    }

    /// The backend the model runs on.
    public var backend: any Backend { model.backend }

    /// Throws unless `data` fits the model (see `Evaluator.check`).
    public func check(_ data: Dataset, role: String = "data") throws { try evaluator.check(data, role: role) }

    /// Trains on `data`; throws `TrainingError.nonFiniteLoss` if the loss diverges.
    ///
    /// With `resume`, the run continues from a checkpoint of the same run (same data, seed, batch
    /// size, validation split): the model, optimiser state and schedule position, dropout streams,
    /// epochs done, history and callback state are restored first, so that the result is the one
    /// an uninterrupted run gives, bit for bit (same backend and thread count).
    ///
    /// With a `communicator` of several ranks (data parallelism), every rank calls `fit` with the
    /// same data and options: rank 0's initial weights are broadcast, each rank trains on its
    /// slice of every global batch (the shuffle is the same everywhere), the gradients are
    /// all-reduced once per step (`AllReduceGradients`) and every rank applies the same update;
    /// the epoch's loss and accuracy are over all ranks; only rank 0 writes checkpoints. A last
    /// batch with fewer rows than ranks is skipped.
    @discardableResult
    public func fit(_ data: Dataset, options: FitOptions = FitOptions(), resume: Checkpoint? = nil) throws -> History {
        try check(data, role: "training")
        guard options.epochs >= 1 else { throw TrainingError.dataMismatch("fit: epochs must be ≥ 1, got \(options.epochs)") }
        guard options.batchSize >= 1 else { throw TrainingError.dataMismatch("fit: batch size must be ≥ 1, got \(options.batchSize)") }
        var generator = RandomGenerator(seed: options.seed)
        var train = data
        var validation = options.validationData
        if validation == nil && options.validationSplit > 0 {
            (train, validation) = data.split(fraction: options.validationSplit, generator: &generator)
            guard train.count > 0 else {
                throw TrainingError.dataMismatch("\(data.name): a validation split of \(options.validationSplit) leaves no training examples out of \(data.count)")
            }
        }
        if let v = validation, v.count > 0 { try check(v, role: "validation") }
        var logs: [EpochLog] = []
        if let resume {
            try resume.restore(into: self, options: options, trainingExamples: train.count)
            logs = resume.progress.history
            if resume.progress.finished && logs.count >= options.epochs { return History(epochs: logs, seconds: 0, samplesPerSecond: 0) }
        }
        let communicator = options.communicator ?? SingleProcess()
        let ranks = communicator.size
        let globalBatch = min(options.batchSize, train.count)
        if ranks > 1 {
            guard globalBatch >= ranks else {
                throw TrainingError.dataMismatch("fit: a global batch of \(globalBatch) rows cannot be split between \(ranks) ranks")
            }
            try communicator.broadcast(model.parameters.values.data, count: model.parameters.count, root: 0)
        }
        let batches = BatchIterator(train, batchSize: globalBatch, targets: train.labels == nil,
                                    shard: (communicator.rank, ranks))
        let pipeline = options.pipeline
        let allReduce = pipeline.lazy.compactMap { $0 as? AllReduceGradients }.first
        let step = TrainingStep(model: model, loss: loss, optimizer: optimizer, transforms: pipeline)
        var steps = 0
        let parameters = model.parameters.parameters
        for c in options.callbacks {
            c.trainingWillBegin(epochs: options.epochs, batchesPerEpoch: batches.batchCount, samplesPerEpoch: train.count)
        }
        let shuffleStream = RandomGenerator(seed: options.seed).derived(0x5348_5546)   // "SHUF"
        let start = DispatchTime.now().uptimeNanoseconds
        let first = logs.count + 1
        var last = options.epochs
        if let s = options.stopAfter { last = min(last, max(s, first - 1)) }
        var stopped = false
        var epoch = first
        while epoch <= last && !stopped {
            let epochStart = DispatchTime.now().uptimeNanoseconds
            if options.shuffle { batches.shuffle(generator: shuffleStream.derived(UInt64(epoch))) }
            var lossSum = 0.0, correct = 0, seen = 0, rows = 0
            for b in 0..<batches.batchCount {
                if ranks > 1 && batches.globalRows(b) < ranks { continue }
                let batch = batches.batch(b)
                allReduce?.weight = Float(batch.x.batch) / Float(batches.globalRows(b))
                let target: LossTarget = batch.labels.map { .classes($0) } ?? .values(batch.y)
                let (value, out, updated) = step.run(batch.x, target)
                if let failure = allReduce?.failure { throw failure }
                if updated { steps += 1 }
                guard value.isFinite else { throw TrainingError.nonFiniteLoss(epoch: epoch, batch: b + 1, value: value) }
                if let labels = batch.labels { correct += evaluator.countCorrect(out, labels) }
                lossSum += Double(value) * Double(out.rows)
                rows += out.rows
                seen += batch.x.batch
                for c in options.callbacks {
                    c.batchDidEnd(epoch: epoch, batch: b + 1, batches: batches.batchCount,
                                  runningLoss: Float(lossSum / Double(rows)), samplesDone: seen)
                }
            }
            if step.finishEpoch() { steps += 1 }
            if let failure = allReduce?.failure { throw failure }
            if ranks > 1 {
                var sums = [lossSum, Double(correct), Double(rows)]
                try communicator.allReduceSum(&sums)
                lossSum = sums[0]
                correct = Int(sums[1])
                rows = Int(sums[2])
            }
            var log = EpochLog(epoch: epoch, loss: Float(lossSum / Double(rows)),
                               accuracy: train.isClassification ? Float(correct) / Float(rows) : nil,
                               learningRate: optimizer.learningRate, seconds: 0)
            if let v = validation, v.count > 0 {
                let r = try evaluate(v, batchSize: max(options.batchSize, 256))
                log.validationLoss = r.loss
                log.validationAccuracy = r.accuracy
            }
            log.seconds = Double(DispatchTime.now().uptimeNanoseconds - epochStart) * 1e-9
            logs.append(log)
            optimizer.rate.epoch += 1
            for c in options.callbacks where c.epochDidEnd(log, parameters: parameters) { stopped = true }
            if let policy = options.checkpoint, communicator.isLeader, stopped || epoch == last || epoch % policy.every == 0 {
                try Checkpoint(trainer: self, options: options, history: logs, finished: stopped || epoch == options.epochs)
                    .with(trainingExamples: train.count)
                    .save(to: policy.directory, pauseBeforeCommit: policy.pauseBeforeCommit)
            }
            epoch += 1
        }
        for c in options.callbacks { c.trainingDidEnd(parameters: parameters) }
        let seconds = Double(DispatchTime.now().uptimeNanoseconds - start) * 1e-9
        let samples = Double(train.count * (logs.count - first + 1))
        return History(epochs: logs, seconds: seconds, samplesPerSecond: seconds > 0 ? samples / seconds : 0,
                       steps: steps, allReduceSeconds: allReduce?.seconds ?? 0)
    }

    /// Mean loss (without penalty) and, for classification, accuracy over `data`; throws when the
    /// data does not fit the model or has no examples.
    public func evaluate(_ data: Dataset, batchSize: Int = 1024) throws -> (loss: Float, accuracy: Float?) {
        try evaluator.evaluate(data, batchSize: batchSize)
    }

    /// Predicted classes of outputs `out` (see `Evaluator.classes(of:)`).
    public func classes(of out: TensorView) -> ArraySlice<Int32> { evaluator.classes(of: out) }
}

/// Where and how often `Trainer.fit` saves checkpoints.
public struct CheckpointPolicy: Sendable {
    /// The folder; the checkpoint is `DIRECTORY/checkpoint.safetensors`, replaced atomically.
    public var directory: String
    /// Save after every `every` epochs (and after the last epoch of the call).
    public var every: Int
    /// Application metadata stored with each checkpoint (e.g. the command line's options).
    public var metadata: [String: String]
    /// The classes of the training data and the feature scaler, stored with the model.
    public var classes: Int?
    public var scaler: FeatureScaler?
    /// For tests of crash safety: seconds to sleep after writing the temporary file and before
    /// renaming it into place (a process killed then leaves the previous checkpoint).
    public var pauseBeforeCommit: Double

    public init(directory: String, every: Int = 1, metadata: [String: String] = [:],
                classes: Int? = nil, scaler: FeatureScaler? = nil, pauseBeforeCommit: Double = 0) {
        precondition(every >= 1, "checkpoint every \(every) epochs: must be ≥ 1")
        self.directory = directory
        self.every = every
        self.metadata = metadata
        self.classes = classes
        self.scaler = scaler
        self.pauseBeforeCommit = pauseBeforeCommit
    }
}
