import ArgumentParser
import Backprop
import BackpropMPI
import Foundation

struct TrainCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "train",
        abstract: "Train an MLP on a dataset and report test loss and accuracy; checkpoint and resume exactly.")

    @OptionGroup var compute: ComputeOptions

    @Option(help: "fashion-mnist | idx:IMAGES,LABELS | csv:PATH | spiral | xor | circles | moons | blobs | uat (default: fashion-mnist).")
    var dataset: String?

    @Option(help: "Hidden layer sizes, comma-separated; empty for none, a single-layer model (default: 256,128).")
    var layers: String?

    @Option(help: "Hidden activation: relu, leaky_relu[(α)], elu[(α)], tanh, sigmoid, identity (default: relu).")
    var activation: String?

    @Option(help: "Loss: cross_entropy, bce, bce_logits, mse (default: cross_entropy, or mse for regression).")
    var loss: String?

    @Option(help: "Optimizer: \(OptimizerKind.allCases.map(\.rawValue).joined(separator: ", ")) (default: adam).")
    var optimizer: String?

    @Option(parsing: .unconditional, help: "Learning rate (default: the optimizer's PyTorch default).")
    var lr: Float?

    @Option(help: "Learning-rate schedule: cosine (decay to 0 over the epochs), cosine:EPOCHS:MIN, constant, step:EVERY:GAMMA, exp:GAMMA (default: cosine).")
    var schedule: String?

    @Option(name: .customLong("batch-size"), parsing: .unconditional, help: "Examples per step (default: 128).")
    var batchSize: Int?

    @Option(parsing: .unconditional, help: "Passes over the training set (default: 10). With --resume: the run's new total.")
    var epochs: Int?

    @Option(parsing: .unconditional, help: "L1 penalty λ₁ on weights (default: 0).")
    var l1: Float?

    @Option(parsing: .unconditional, help: "L2 penalty λ₂ on weights, gradient λ₂·w (default: 0).")
    var l2: Float?

    @Option(parsing: .unconditional, help: "Dropout rate after each hidden layer, in [0, 1) (default: 0).")
    var dropout: Float?

    @Option(name: .customLong("early-stopping"), parsing: .unconditional, help: "Stop after this many epochs without val_loss improvement (restores the best weights).")
    var earlyStopping: Int?

    @Option(name: .customLong("clip-norm"), parsing: .unconditional, help: "Clip gradients to this global norm.")
    var clipNorm: Float?

    @Option(name: .customLong("clip-value"), parsing: .unconditional, help: "Clip each gradient element to ±this value.")
    var clipValue: Float?

    @Option(name: .customLong("accumulate"), parsing: .unconditional, help: "Sum the gradients of this many batches into one update (default: 1).")
    var accumulate: Int?

    @Option(name: .customLong("validation-split"), parsing: .unconditional, help: "Fraction of the training set held out for validation, in [0, 1) (default: 0.1).")
    var validationSplit: Double?

    @Option(help: "Feature scaling: none, standard, minmax (default: standard for csv, none otherwise).")
    var scale: String?

    @Option(parsing: .unconditional, help: "Random seed: initialisation, shuffling, dropout, splits (default: 42).")
    var seed: UInt64?

    @Option(parsing: .unconditional, help: "The number of classes of an idx: or csv: set (default: the largest label + 1, every class present).")
    var classes: Int?

    @Option(help: "Save checkpoints (model, optimizer state, schedule, random streams, progress) in this folder.")
    var checkpoint: String?

    @Option(name: .customLong("checkpoint-every"), parsing: .unconditional, help: "Epochs between checkpoints (default: 1; the last epoch is always saved).")
    var checkpointEvery: Int?

    @Option(help: "Continue the run whose checkpoint is in this folder (its options are kept; give --epochs to extend it). Checkpoints go on being saved there.")
    var resume: String?

    @Option(name: .customLong("stop-after"), parsing: .unconditional, help: "Stop after this epoch of the run (the schedule still spans --epochs); resume later with --resume.")
    var stopAfter: Int?

    @Option(help: "Save the trained model here (safetensors, PyTorch state-dict names and layout).")
    var save: String?

    @Option(help: "Write a JSON report here.")
    var report: String?

    @Option(help: "Write the metrics of every epoch to this CSV (epoch,loss,accuracy,val_loss,val_accuracy,learning_rate,seconds), rewritten atomically after each epoch.")
    var log: String?

    @Option(help: "Draw the loss and accuracy curves to this SVG after training.")
    var plot: String?

    @Option(name: .customLong("plot-boundary"), help: "For a 2-D classification dataset: draw the learnt decision boundary over the training data to this SVG (in the model's input space, after --scale).")
    var plotBoundary: String?

    @Flag(help: "Print nothing but errors and the final summary.")
    var quiet = false

    @Flag(help: "Data-parallel training on MPI: start with `mpirun -np N backprop train --distributed ...`; --batch-size stays the global batch. Needs a build with the MPI trait.")
    var distributed = false

    func run() throws {
        guard distributed else { return try train(communicator: nil) }
        #if MPI
        let mpi = try MPICommunicator.start()
        do {
            try train(communicator: mpi)
        } catch {
            // Every rank must stop, not wait in a collective for the one that failed.
            if mpi.size > 1 { mpi.abort("\(error)") }
            mpi.finish()
            throw error
        }
        mpi.finish()
        #else
        throw CLIError("--distributed: this backprop was built without MPI; build it with `swift build -c release --traits MPI` (needs Debian's openmpi-bin and libopenmpi-dev)")
        #endif
    }

    func train(communicator: (any Communicator)?) throws {
        var resumed: Checkpoint? = nil
        var options = RunOptions(self)
        if let dir = resume {
            let c = try Checkpoint.load(from: dir)
            guard let text = c.metadata["train.options"], let stored = try? JSONDecoder().decode(RunOptions.self, from: Data(text.utf8)) else {
                throw CLIError("\(Checkpoint.path(in: dir)): the checkpoint was not written by `backprop train` (no train.options)")
            }
            options = try stored.resumed(with: self)
            resumed = c
        }
        let config = try TrainConfiguration(options)
        try checkOutputs()
        if let n = checkpointEvery, n < 1 { throw CLIError("--checkpoint-every must be ≥ 1, got \(n)") }
        if let n = stopAfter, n < 1 { throw CLIError("--stop-after must be ≥ 1, got \(n)") }
        if checkpointEvery != nil && checkpoint == nil && resume == nil { throw CLIError("--checkpoint-every needs --checkpoint DIR") }
        if let c = checkpoint, let r = resume, c != r { throw CLIError("--resume \(r) keeps saving checkpoints there; drop --checkpoint \(c)") }
        let backend = try compute.make(compute.name())
        try TrainingRun(config: config, options: options, command: self, backend: backend, resume: resumed,
                        communicator: communicator).run()
    }

    /// Every output is checked before any training: a bad path fails in a second, not after an hour.
    func checkOutputs() throws {
        var files: [(flag: String, path: String)] = []
        if let save { files.append(("--save", save)) }
        if let report { files.append(("--report", report)) }
        if let log { files.append(("--log", log)) }
        if let plot { files.append(("--plot", plot)) }
        if let plotBoundary { files.append(("--plot-boundary", plotBoundary)) }
        for (flag, path) in files {
            guard !path.isEmpty else { throw CLIError("\(flag): the path is empty") }
            do { try AtomicFile.checkWritable(path) } catch let e as DataError { throw CLIError("\(flag) \(e)") }
        }
        if let dir = checkpoint ?? resume {
            guard !dir.isEmpty else { throw CLIError("--checkpoint: an output path is empty") }
            var isDirectory: ObjCBool = false
            if FileManager.default.fileExists(atPath: dir, isDirectory: &isDirectory) {
                guard isDirectory.boolValue else { throw CLIError("--checkpoint \(dir): is a file, not a folder") }
                guard FileManager.default.isWritableFile(atPath: dir) else { throw CLIError("--checkpoint \(dir): folder is not writable") }
            } else {
                do { try AtomicFile.checkWritable(dir) } catch let e as DataError { throw CLIError("--checkpoint \(e)") }
            }
            files.append(("--checkpoint", Checkpoint.path(in: dir)))
        }
        for (i, a) in files.enumerated() {
            let pa = URL(fileURLWithPath: a.path).standardizedFileURL.path
            if let b = files[(i + 1)...].first(where: { URL(fileURLWithPath: $0.path).standardizedFileURL.path == pa }) {
                throw CLIError("\(a.flag) and \(b.flag) name the same file, \(a.path)")
            }
        }
    }
}

/// `backprop train` with validated options: load data, build the model, fit, evaluate, save.
struct TrainingRun {
    let config: TrainConfiguration
    let options: RunOptions
    let command: TrainCommand
    let backend: RoutedBackend
    let resume: Checkpoint?
    let communicator: (any Communicator)?

    /// Rank 0 (or the only process) prints and writes files.
    var leader: Bool { communicator?.isLeader ?? true }
    var quiet: Bool { command.quiet || !leader }

    func run() throws {
        let c = config
        let (train, test) = try c.source.load(loss: c.loss, seed: c.seed, classes: c.classes)
        if c.loss == .bce || c.loss == .bceLogits {
            guard train.classes == 2 else {
                throw CLIError("--loss \(c.loss.rawValue) needs a 2-class dataset; \(train.name) has \(train.classes.map(String.init) ?? "no") classes")
            }
        }
        var scaler: FeatureScaler? = resume?.model.scaler
        if scaler == nil, let kind = c.scaling { scaler = FeatureScaler.fit(kind, to: train.features, backend: backend) }
        if let scaler {
            scaler.apply(to: train.features, backend: backend)
            scaler.apply(to: test.features, backend: backend)
        }
        let loss = c.loss.make(backend)
        let outputs = train.classes.map { loss.outputCount(classes: $0) } ?? train.targetCount
        var g = RandomGenerator(seed: c.seed)
        let sizes = [train.featureCount] + c.hidden + [outputs]
        let batch = min(c.batchSize, max(train.count, 1))
        guard let parameters = MemoryEstimate.mlpParameters(sizes),
              let bytes = MemoryEstimate.mlpTrainingBytes(sizes, batch: max(batch, 1024)) else {
            throw CLIError("--layers \(c.hidden.map(String.init).joined(separator: ",")): the model \(sizes.map(String.init).joined(separator: "-")) has more parameters than can be counted")
        }
        let available = MemoryEstimate.availableBytes
        guard bytes <= available else {
            throw CLIError("--layers \(c.hidden.map(String.init).joined(separator: ",")): the model \(sizes.map(String.init).joined(separator: "-")) has \(parameters) parameters; "
                           + "training it needs about \(MemoryEstimate.gib(bytes)), more than the \(MemoryEstimate.gib(available)) available")
        }
        let model = Sequential.mlp(backend, sizes: sizes, activation: c.activation, output: c.loss.outputActivation,
                                   dropout: c.dropout, generator: &g)
        let optimizer = c.optimizer.make(backend, learningRate: c.lr, schedule: c.schedule)
        let trainer = Trainer(model: model, loss: loss, optimizer: optimizer)

        var fit = FitOptions(epochs: c.epochs, batchSize: c.batchSize, validationSplit: c.validationSplit,
                             penalty: Penalty(l1: c.l1, l2: c.l2), clipping: c.clipping,
                             accumulationSteps: c.accumulate, seed: c.seed, stopAfter: command.stopAfter,
                             communicator: communicator)
        let early = c.earlyStopping.map { EarlyStopping(patience: $0) }
        if let early { fit.callbacks.append(early) }
        if !quiet { fit.callbacks.append(ProgressPrinter()) }
        if let b = command.plotBoundary, train.featureCount != 2 || train.classes == nil || train.features.shape.count != 2 {
            throw CLIError("--plot-boundary \(b): needs a classification dataset with 2 features; \(train.name) has \(train.featureCount) feature(s)\(train.classes == nil ? " and no classes" : "")")
        }
        var logger: CSVLogger? = nil
        if let path = command.log, leader {
            let l = CSVLogger(path: path, history: resume?.progress.history ?? [])
            fit.callbacks.append(l)
            logger = l
        }
        if let dir = command.resume ?? command.checkpoint {
            let pause = ProcessInfo.processInfo.environment["BACKPROP_CHECKPOINT_PAUSE"].flatMap(Double.init) ?? 0
            fit.checkpoint = CheckpointPolicy(directory: dir, every: command.checkpointEvery ?? 1,
                                              metadata: ["train.options": try options.json()],
                                              classes: train.classes, scaler: scaler, pauseBeforeCommit: pause)
        }
        if let r = resume, !quiet {
            print("resuming \(command.resume!) after epoch \(r.progress.epochs) of \(c.epochs)")
        }
        if let comm = communicator, !quiet {
            print("distributed: \(comm.description); global batch \(c.batchSize), about \(c.batchSize / comm.size) rows per rank")
        }
        if !quiet {
            let held = Int((Double(train.count) * c.validationSplit).rounded())
            print("backprop train: \(train.name) (\(train.count - held) train, \(held) validation, \(test.count) test, \(train.featureCount) features), "
                  + "model \(sizes.map(String.init).joined(separator: "-")) "
                  + "\(c.activation), \(model.parameters.parameterCount) parameters, \(c.loss.rawValue), \(optimizer.name) lr \(optimizer.rate.base) \(c.schedule), "
                  + "batch \(c.batchSize), backend \(backend.name) x\(backend.threads) thread(s)")
        }
        var resume = self.resume
        resume?.learningRate.schedule = c.schedule   // the same unless --epochs stretched a cosine schedule
        let history = try trainer.fit(train, options: fit, resume: resume)
        guard leader else { return }
        if let early, let stopped = early.stoppedEpoch {
            print("early stopping at epoch \(stopped); restored weights of epoch \(early.bestEpoch)")
        }
        if let s = command.stopAfter, history.epochs.count < c.epochs, early?.stoppedEpoch == nil {
            print("stopped after epoch \(history.epochs.count) of \(c.epochs) (--stop-after \(s))"
                  + (fit.checkpoint.map { "; resume with --resume \($0.directory)" } ?? ""))
        }
        var result: (loss: Float, accuracy: Float?)? = nil
        if test.count > 0 {
            result = try trainer.evaluate(test)
            let acc = result!.accuracy.map { String(format: " test accuracy %.4f", $0) } ?? ""
            print(String(format: "test loss %.4f%@ | train %.2f s, %.0f samples/s", result!.loss, acc as NSString,
                         history.seconds, history.samplesPerSecond))
        } else {
            print(String(format: "no test examples (%@ held none out) | train %.2f s, %.0f samples/s", train.name as NSString,
                         history.seconds, history.samplesPerSecond))
        }
        if let comm = communicator, comm.size > 1, history.steps > 0 {
            let perStep = history.allReduceSeconds / Double(history.steps)
            print(String(format: "all-reduce: %.3f ms per step, %.1f%% of the training time (%d steps, %d floats)",
                         perStep * 1e3, 100 * history.allReduceSeconds / max(history.seconds, 1e-9), history.steps, model.parameters.count))
        }
        var written: [String] = []
        func failing(_ what: String, _ body: () throws -> Void) throws {
            do { try body() } catch {
                throw CLIError("\(error)" + (written.isEmpty ? "" : " (written before this: \(written.joined(separator: ", ")))"))
            }
            written.append(what)
        }
        if let save = command.save {
            try failing("the model \(save)") {
                try ModelFile(model: model, loss: loss.configuration, classes: train.classes, scaler: scaler).save(to: save)
            }
            print("saved model to \(save)")
        }
        if let logger, let path = command.log {
            if let e = logger.error { throw CLIError("--log \(path): \(e)") }
            written.append("the log \(path)")
        }
        if let plot = command.plot {
            let all = (resume?.progress.history ?? []) + history.epochs
            try failing("the plot \(plot)") { try AtomicFile.write(Data(TrainingCurves.svg(all, title: train.name).utf8), to: plot) }
            print("wrote the training curves to \(plot)")
        }
        if let path = command.plotBoundary, let labels = train.labels {
            let svg = Self.boundary(Evaluator(model: model, loss: loss), model, train.features, labels,
                                    title: "\(train.name): decision boundary after \(history.epochs.count) epoch(s)")
            try failing("the boundary plot \(path)") { try AtomicFile.write(Data(svg.utf8), to: path) }
            print("wrote the decision boundary to \(path)")
        }
        if let report = command.report {
            let r = TrainReport(backend: backend.name, threads: backend.threads, dataset: train.name,
                                epochs: history.epochs.count, testAccuracy: result?.accuracy, testLoss: result?.loss,
                                trainSeconds: history.seconds, samplesPerSecond: history.samplesPerSecond,
                                secondsPerEpoch: history.epochs.map(\.seconds), history: history.epochs,
                                ranks: communicator?.size ?? 1, steps: history.steps, allReduceSeconds: history.allReduceSeconds)
            try failing("the report \(report)") { try r.write(to: report) }
        }
    }

    /// The decision-boundary SVG of `model` over 2-D `points`.
    static func boundary(_ evaluator: Evaluator, _ model: any Model, _ points: Tensor, _ labels: [Int32], title: String) -> String {
        DecisionBoundaryChart(title: title).svg(points: points, labels: labels) { (grid: Tensor) -> [Int32] in
            let out: Tensor = model.predict(grid)
            return Array(evaluator.classes(of: out.matrix))
        }
    }
}
