import ArgumentParser
import Backprop
import Foundation

struct TrainCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "train",
        abstract: "Train an MLP on a dataset and report test loss and accuracy.")

    @OptionGroup var compute: ComputeOptions

    @Option(help: "fashion-mnist | idx:IMAGES,LABELS | csv:PATH | spiral | xor | circles | moons | blobs | uat")
    var dataset: String = "fashion-mnist"

    @Option(help: "Hidden layer sizes, comma-separated (empty for none: a single-layer model).")
    var layers: String = "256,128"

    @Option(help: "Hidden activation: relu, leaky_relu[(α)], elu[(α)], tanh, sigmoid, identity.")
    var activation: String = "relu"

    @Option(help: "Loss: cross_entropy, bce, bce_logits, mse (default: cross_entropy, or mse for regression).")
    var loss: String?

    @Option(help: "Optimizer: \(OptimizerKind.allCases.map(\.rawValue).joined(separator: ", ")).")
    var optimizer: String = "adam"

    @Option(parsing: .unconditional, help: "Learning rate (default: the optimizer's PyTorch default).")
    var lr: Float?

    @Option(help: "Learning-rate schedule: cosine (decay to 0 over the epochs), constant, step:EVERY:GAMMA, exp:GAMMA.")
    var schedule: String = "cosine"

    @Option(name: .customLong("batch-size"), parsing: .unconditional, help: "Examples per step.")
    var batchSize: Int = 128

    @Option(parsing: .unconditional, help: "Passes over the training set.")
    var epochs: Int = 10

    @Option(parsing: .unconditional, help: "L1 penalty λ₁ on weights.")
    var l1: Float = 0

    @Option(parsing: .unconditional, help: "L2 penalty λ₂ on weights (gradient λ₂·w).")
    var l2: Float = 0

    @Option(parsing: .unconditional, help: "Dropout rate after each hidden layer, in [0, 1).")
    var dropout: Float = 0

    @Option(name: .customLong("early-stopping"), parsing: .unconditional, help: "Stop after this many epochs without val_loss improvement (restores the best weights).")
    var earlyStopping: Int?

    @Option(name: .customLong("clip-norm"), parsing: .unconditional, help: "Clip gradients to this global norm.")
    var clipNorm: Float?

    @Option(name: .customLong("clip-value"), parsing: .unconditional, help: "Clip each gradient element to ±this value.")
    var clipValue: Float?

    @Option(name: .customLong("validation-split"), parsing: .unconditional, help: "Fraction of the training set held out for validation, in [0, 1).")
    var validationSplit: Double = 0.1

    @Option(help: "Feature scaling: none, standard, minmax (default: standard for csv, none otherwise).")
    var scale: String?

    @Option(parsing: .unconditional, help: "Random seed (initialisation, shuffling, dropout, splits).")
    var seed: UInt64 = 42

    @Option(help: "Save the trained model (safetensors) here.")
    var save: String?

    @Option(help: "Write a JSON report here.")
    var report: String?

    @Flag(help: "Print nothing but errors and the final summary.")
    var quiet = false

    func run() throws {
        let config = try TrainConfiguration(self)
        let backend = try compute.make(compute.name())
        try runTraining(config, backend: backend)
    }

    func runTraining<B: Backend>(_ c: TrainConfiguration, backend: B) throws {
        var (train, test) = try c.source.load(loss: c.loss, seed: seed)
        if c.loss == .bce || c.loss == .bceLogits {
            guard train.classes == 2 else {
                throw CLIError("--loss \(c.loss.rawValue) needs a 2-class dataset; \(train.name) has \(train.classes.map(String.init) ?? "no") classes")
            }
            train = train.binaryTargets()
            test = test.binaryTargets()
        }
        var scaler: FeatureScaler? = nil
        if let kind = c.scaling {
            scaler = FeatureScaler.fit(kind, to: train.features, backend: backend)
            scaler!.apply(to: train.features, backend: backend)
            scaler!.apply(to: test.features, backend: backend)
        }
        var g = RandomGenerator(seed: seed)
        let output: Activation = c.loss == .bce ? .sigmoid : .identity
        let model = Sequential.mlp(backend, sizes: [train.featureCount] + c.hidden + [train.targetCount],
                                   activation: c.activation, output: output, dropout: dropout, generator: &g)
        let trainer = Trainer(model: model, loss: c.loss.make(backend), optimizer: c.optimizer.make(backend, learningRate: lr))

        var options = FitOptions()
        options.epochs = epochs
        options.batchSize = batchSize
        options.validationSplit = validationSplit
        options.penalty = Penalty(l1: l1, l2: l2)
        options.clipping = clipNorm.map { .norm($0) } ?? clipValue.map { .value($0) }
        options.schedule = c.schedule
        options.seed = seed
        let early = earlyStopping.map { EarlyStopping(patience: $0) }
        if let early { options.callbacks.append(early) }
        if !quiet { options.callbacks.append(ProgressPrinter()) }

        if !quiet {
            let params = model.parameters.reduce(0) { $0 + $1.count }
            let held = Int((Double(train.count) * validationSplit).rounded())
            print("backprop train: \(train.name) (\(train.count - held) train, \(held) validation, \(test.count) test, \(train.featureCount) features), "
                  + "model \(([train.featureCount] + c.hidden + [train.targetCount]).map(String.init).joined(separator: "-")) "
                  + "\(c.activation), \(params) parameters, \(c.loss.rawValue), \(trainer.optimizer.name) lr \(trainer.optimizer.learningRate), "
                  + "batch \(batchSize), backend \(backend.name) x\(backend.threads) thread(s)")
        }
        let history = try trainer.fit(train, options: options)
        let result = trainer.evaluate(test)
        if let early, let stopped = early.stoppedEpoch {
            print("early stopping at epoch \(stopped); restored weights of epoch \(early.bestEpoch)")
        }
        let acc = result.accuracy.map { String(format: " test accuracy %.4f", $0) } ?? ""
        print(String(format: "test loss %.4f%@ | train %.2f s, %.0f samples/s", result.loss, acc as NSString,
                     history.seconds, history.samplesPerSecond))
        if let save {
            try ModelFile(model: model, loss: c.loss, classes: train.classes, scaler: scaler).save(to: save)
            print("saved model to \(save)")
        }
        if let report {
            let r = TrainReport(backend: backend.name, threads: backend.threads, dataset: train.name,
                                epochs: history.epochs.count, testAccuracy: result.accuracy, testLoss: result.loss,
                                trainSeconds: history.seconds, samplesPerSecond: history.samplesPerSecond,
                                secondsPerEpoch: history.epochs.map(\.seconds), history: history.epochs)
            try r.write(to: report)
        }
    }
}

/// The validated options of `train`: every range check, with one-line errors.
struct TrainConfiguration {
    let source: DatasetSource
    let hidden: [Int]
    let activation: Activation
    let loss: LossKind
    let optimizer: OptimizerKind
    let schedule: LearningRateSchedule
    let scaling: FeatureScaler.Kind?

    init(_ t: TrainCommand) throws {
        source = try DatasetSource(parsing: t.dataset)
        hidden = try t.layers.split(separator: ",", omittingEmptySubsequences: false).filter { !$0.isEmpty || t.layers.contains(",") }.map { s in
            guard let n = Int(s.trimmingCharacters(in: .whitespaces)), n >= 1 else {
                throw CLIError("--layers: '\(s)' is not a positive layer size (expected e.g. 256,128)")
            }
            return n
        }
        guard let a = Activation(name: t.activation), a != .step else {
            throw CLIError("--activation: unknown activation '\(t.activation)'; expected relu, leaky_relu, elu, tanh, sigmoid, identity")
        }
        activation = a
        if let l = t.loss {
            guard let k = LossKind(name: l) else {
                throw CLIError("--loss: unknown loss '\(l)'; expected \(LossKind.allCases.map(\.rawValue).joined(separator: ", "))")
            }
            loss = k
        } else {
            loss = source == .synthetic(.uat) ? .mse : .crossEntropy
        }
        guard let o = OptimizerKind(name: t.optimizer) else {
            throw CLIError("--optimizer: unknown optimizer '\(t.optimizer)'; expected \(OptimizerKind.allCases.map(\.rawValue).joined(separator: ", "))")
        }
        optimizer = o
        if let lr = t.lr, !(lr > 0 && lr.isFinite) { throw CLIError("--lr must be a positive number, got \(lr)") }
        guard t.batchSize >= 1 else { throw CLIError("--batch-size must be ≥ 1, got \(t.batchSize)") }
        guard t.epochs >= 1 else { throw CLIError("--epochs must be ≥ 1, got \(t.epochs)") }
        guard t.l1 >= 0, t.l1.isFinite else { throw CLIError("--l1 must be ≥ 0, got \(t.l1)") }
        guard t.l2 >= 0, t.l2.isFinite else { throw CLIError("--l2 must be ≥ 0, got \(t.l2)") }
        guard t.dropout >= 0 && t.dropout < 1 else { throw CLIError("--dropout must be in [0, 1), got \(t.dropout)") }
        if let p = t.earlyStopping, p < 1 { throw CLIError("--early-stopping patience must be ≥ 1, got \(p)") }
        if let c = t.clipNorm, !(c > 0) { throw CLIError("--clip-norm must be > 0, got \(c)") }
        if let c = t.clipValue, !(c > 0) { throw CLIError("--clip-value must be > 0, got \(c)") }
        guard t.validationSplit >= 0 && t.validationSplit < 1 else {
            throw CLIError("--validation-split must be in [0, 1), got \(t.validationSplit)")
        }
        schedule = try Self.parseSchedule(t.schedule, epochs: t.epochs)
        switch t.scale ?? "auto" {
        case "auto": if case .csv = source { scaling = .standard } else { scaling = nil }
        case "none": scaling = nil
        case let s:
            guard let k = FeatureScaler.Kind(rawValue: s) else { throw CLIError("--scale: unknown scaling '\(s)'; expected none, standard, minmax") }
            scaling = k
        }
    }

    static func parseSchedule(_ s: String, epochs: Int) throws -> LearningRateSchedule {
        let parts = s.split(separator: ":").map(String.init)
        switch parts.first {
        case "constant" where parts.count == 1: return .constant
        case "cosine" where parts.count == 1: return .cosine(epochs: epochs, minimum: 0)
        case "exp" where parts.count == 2:
            if let g = Float(parts[1]), g > 0 { return .exponential(gamma: g) }
        case "step" where parts.count == 3:
            if let k = Int(parts[1]), let g = Float(parts[2]), k >= 1, g > 0 { return .step(every: k, gamma: g) }
        default: break
        }
        throw CLIError("--schedule: '\(s)' is not constant, step:EVERY:GAMMA, exp:GAMMA or cosine")
    }
}

/// The JSON `--report` writes.
struct TrainReport: Encodable {
    let backend: String
    let threads: Int
    let dataset: String
    let epochs: Int
    let testAccuracy: Float?
    let testLoss: Float
    let trainSeconds: Double
    let samplesPerSecond: Double
    let secondsPerEpoch: [Double]
    let history: [EpochLog]

    enum CodingKeys: String, CodingKey {
        case backend, threads, dataset, epochs, history
        case testAccuracy = "test_accuracy"
        case testLoss = "test_loss"
        case trainSeconds = "train_seconds"
        case samplesPerSecond = "samples_per_second"
        case secondsPerEpoch = "seconds_per_epoch"
    }

    func write(to path: String) throws {
        let e = JSONEncoder()
        e.outputFormatting = [.prettyPrinted, .sortedKeys]
        try AtomicFile.write(try e.encode(self), to: path)
    }
}
