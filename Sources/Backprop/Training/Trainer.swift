import Foundation

/// How `Trainer.fit` trains.
public struct FitOptions {
    public var epochs = 10
    /// Examples per step: the set's size for full-batch gradient descent, 1 for single-example SGD.
    public var batchSize = 32
    public var shuffle = true
    /// A fraction of the training set held out (after a seeded shuffle) for validation,
    /// ignored when `validationData` is given.
    public var validationSplit: Double = 0
    public var validationData: Dataset?
    public var penalty = Penalty()
    public var clipping: GradientClipping?
    public var schedule: LearningRateSchedule = .constant
    public var callbacks: [any TrainingCallback] = []
    public var seed: UInt64 = 42

    public init() {}

    /// Full-batch gradient descent: every step sees the whole set, in order.
    public static func fullBatch(epochs: Int, size: Int) -> FitOptions {
        var o = FitOptions()
        o.epochs = epochs
        o.batchSize = max(size, 1)
        o.shuffle = false
        return o
    }
}

/// The result of `fit`: one log per epoch.
public struct History: Codable, Sendable {
    public var epochs: [EpochLog]
    /// Wall time of the whole fit, seconds.
    public var seconds: Double
    /// Training examples processed per second.
    public var samplesPerSecond: Double
}

/// Trains a `Sequential` model with a loss and an optimiser, all on one backend.
///
/// Each batch runs one `TrainingStep` (forward, loss, backward, penalty, clipping, update); all
/// buffers are sized by the first batch and reused, so steady-state steps allocate nothing.
public final class Trainer<B: Backend> {
    public let model: Sequential<B>
    public let loss: any Loss<B>
    public let optimizer: any Optimizer<B>
    private var predicted: [Int32] = []

    public init(model: Sequential<B>, loss: any Loss<B>, optimizer: any Optimizer<B>) {
        self.model = model
        self.loss = loss
        self.optimizer = optimizer
    }

    public var backend: B { model.backend }

    /// Trains on `data`; throws `TrainingError.nonFiniteLoss` if the loss diverges.
    @discardableResult
    public func fit(_ data: Dataset, options: FitOptions = FitOptions()) throws -> History {
        precondition(data.featureCount == model.inputSize, "data has \(data.featureCount) features, model takes \(model.inputSize)")
        precondition(data.targetCount == model.outputSize, "data has \(data.targetCount) targets, model outputs \(model.outputSize)")
        var generator = RandomGenerator(seed: options.seed)
        var train = data
        var validation = options.validationData
        if validation == nil && options.validationSplit > 0 {
            (train, validation) = data.split(fraction: options.validationSplit, generator: &generator)
        }
        let batches = BatchIterator(train, batchSize: min(options.batchSize, train.count))
        let step = TrainingStep(model: model, loss: loss, optimizer: optimizer, penalty: options.penalty, clipping: options.clipping)
        let parameters = step.parameters
        let baseRate = optimizer.learningRate
        for c in options.callbacks {
            c.trainingWillBegin(epochs: options.epochs, batchesPerEpoch: batches.batchCount, samplesPerEpoch: train.count)
        }
        var logs: [EpochLog] = []
        let start = DispatchTime.now().uptimeNanoseconds
        for epoch in 1...max(options.epochs, 1) where options.epochs > 0 {
            let epochStart = DispatchTime.now().uptimeNanoseconds
            optimizer.learningRate = options.schedule.rate(base: baseRate, epoch: epoch - 1)
            if options.shuffle { batches.shuffle(generator: &generator) }
            var lossSum = 0.0, correct = 0, seen = 0
            for b in 0..<batches.batchCount {
                let (x, y, labels) = batches.batch(b)
                let (value, out) = step.run(x, y)
                guard value.isFinite else { throw TrainingError.nonFiniteLoss(epoch: epoch, batch: b + 1, value: value) }
                if let labels { correct += countCorrect(out, labels) }
                lossSum += Double(value) * Double(x.rows)
                seen += x.rows
                for c in options.callbacks {
                    c.batchDidEnd(epoch: epoch, batch: b + 1, batches: batches.batchCount,
                                  runningLoss: Float(lossSum / Double(seen)), samplesDone: seen)
                }
            }
            var log = EpochLog(epoch: epoch, loss: Float(lossSum / Double(seen)),
                               accuracy: train.isClassification ? Float(correct) / Float(seen) : nil,
                               learningRate: optimizer.learningRate, seconds: 0)
            if let v = validation {
                let r = evaluate(v, batchSize: max(options.batchSize, 256))
                log.validationLoss = r.loss
                log.validationAccuracy = r.accuracy
            }
            log.seconds = Double(DispatchTime.now().uptimeNanoseconds - epochStart) * 1e-9
            logs.append(log)
            var stop = false
            for c in options.callbacks where c.epochDidEnd(log, parameters: parameters) { stop = true }
            if stop { break }
        }
        optimizer.learningRate = baseRate
        for c in options.callbacks { c.trainingDidEnd(parameters: parameters) }
        let seconds = Double(DispatchTime.now().uptimeNanoseconds - start) * 1e-9
        let samples = Double(train.count * logs.count)
        return History(epochs: logs, seconds: seconds, samplesPerSecond: seconds > 0 ? samples / seconds : 0)
    }

    /// Mean loss (without penalty) and, for classification, accuracy over `data`.
    public func evaluate(_ data: Dataset, batchSize: Int = 1024) -> (loss: Float, accuracy: Float?) {
        let batches = BatchIterator(data, batchSize: min(batchSize, max(data.count, 1)))
        var lossSum = 0.0, correct = 0
        for b in 0..<batches.batchCount {
            let (x, y, labels) = batches.batch(b)
            let out = model.forward(x, training: false)
            lossSum += Double(loss.compute(out, y, gradient: nil)) * Double(x.rows)
            if let labels { correct += countCorrect(out, labels) }
        }
        let n = max(data.count, 1)
        return (Float(lossSum / Double(n)), data.isClassification ? Float(correct) / Float(n) : nil)
    }

    /// Predicted classes of outputs `out` (argmax; one output: z ≥ 0 for logits, p ≥ 0.5 for probabilities).
    public func classes(of out: Matrix) -> ArraySlice<Int32> {
        if predicted.count < out.rows { predicted = [Int32](repeating: 0, count: out.rows) }
        if out.cols == 1 {
            let threshold: Float = loss.outputKind == .probabilities ? 0.5 : 0
            for i in 0..<out.rows { predicted[i] = out.data[i] >= threshold ? 1 : 0 }
        } else {
            predicted.withUnsafeMutableBufferPointer { backend.argmax(.rows, out.data, rows: out.rows, cols: out.cols, $0.baseAddress!) }
        }
        return predicted[0..<out.rows]
    }

    private func countCorrect(_ out: Matrix, _ labels: ArraySlice<Int32>) -> Int {
        let p = classes(of: out)
        var n = 0
        for (a, b) in zip(p, labels) where a == b { n += 1 }
        return n
    }
}
