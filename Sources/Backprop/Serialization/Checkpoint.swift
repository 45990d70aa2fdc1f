import Foundation

/// Everything a training run needs to continue exactly where it stopped, in one safetensors file
/// written atomically: `DIRECTORY/checkpoint.safetensors`.
///
/// - the model, as a `ModelFile` (PyTorch-named tensors, architecture, loss, classes, scaler);
/// - the optimiser: its kind, hyperparameters, learning rate with schedule and position, step
///   count, and state tensors `optimizer.SLOT.PARAMETER` (e.g. `optimizer.exp_avg.layers.0.weight`);
/// - the progress: epochs done, the history, the model's random streams (dropout masks), the
///   callbacks' state (early stopping's best weights as `callback.early_stopping.snapshot.I`);
/// - the run's options that must not change on resume (seed, batch size, validation split,
///   shuffling, accumulation, training examples), checked by `restore`;
/// - application metadata (`app.*`: the command line stores its options there).
///
/// A killed writer leaves the previous checkpoint in place (temporary file, then rename).
public struct Checkpoint {
    public static let format = "backprop-checkpoint/1"
    public static let fileName = "checkpoint.safetensors"

    /// What a resumed run must have in common with the run that saved the checkpoint.
    public struct Run: Codable, Equatable, Sendable {
        public var seed: UInt64
        public var batchSize: Int
        public var validationSplit: Double
        public var shuffle: Bool
        public var accumulationSteps: Int
        public var trainingExamples: Int
    }

    /// How far the run got.
    public struct Progress: Codable, Sendable {
        /// Epochs done (the next epoch to run is `epochs + 1`).
        public var epochs: Int
        /// Whether the run ended (its last epoch, or early stopping).
        public var finished: Bool
        public var history: [EpochLog]
        public var randomStreams: [RandomGenerator]
    }

    public var model: ModelFile
    public var optimizerName: String
    public var optimizerHyperparameters: [String: Float]
    public var learningRate: ScheduledLearningRate
    public var optimizerStep: Int
    /// `SLOT.PARAMETER` → tensor of the parameter's shape.
    public var optimizerTensors: [String: Tensor]
    public var progress: Progress
    public var run: Run
    /// Callback name → state.
    public var callbacks: [String: CallbackState]
    /// Application metadata (stored as `app.KEY`).
    public var metadata: [String: String]

    /// The state of `trainer` after the epochs in `history`.
    init(trainer: Trainer, options: FitOptions, history: [EpochLog], finished: Bool) {
        let policy = options.checkpoint
        model = ModelFile(model: trainer.model, loss: trainer.loss.configuration, classes: policy?.classes, scaler: policy?.scaler)
        let o = trainer.optimizer
        optimizerName = o.name
        optimizerHyperparameters = Dictionary(o.hyperparameters.map { ($0.name, $0.value) }, uniquingKeysWith: { a, _ in a })
        learningRate = o.rate
        optimizerStep = o.state.step
        optimizerTensors = Dictionary(o.state.namedTensors(trainer.model.parameters).map { ($0.name, $0.tensor) },
                                      uniquingKeysWith: { a, _ in a })
        progress = Progress(epochs: history.count, finished: finished, history: history, randomStreams: trainer.model.randomStreams)
        run = Run(seed: options.seed, batchSize: options.batchSize, validationSplit: options.validationData == nil ? options.validationSplit : -1,
                  shuffle: options.shuffle, accumulationSteps: options.accumulationSteps, trainingExamples: 0)
        callbacks = [:]
        for case let c as any CheckpointableCallback in options.callbacks { callbacks[c.checkpointName] = c.checkpointState() }
        metadata = policy?.metadata ?? [:]
    }

    /// The training examples of the run (set by the trainer, which knows the split).
    func with(trainingExamples n: Int) -> Checkpoint {
        var c = self
        c.run.trainingExamples = n
        return c
    }

    /// The path of the checkpoint in `directory`.
    public static func path(in directory: String) -> String {
        URL(fileURLWithPath: directory).appendingPathComponent(fileName).path
    }

    /// Whether `directory` holds a checkpoint.
    public static func exists(in directory: String) -> Bool {
        FileManager.default.fileExists(atPath: path(in: directory))
    }

    /// Saves into `directory` (created if missing), replacing the previous checkpoint atomically.
    public func save(to directory: String, pauseBeforeCommit: Double = 0) throws {
        do {
            try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
        } catch {
            throw DataError(directory, "cannot create the checkpoint folder: \(error.localizedDescription)")
        }
        let path = Self.path(in: directory)
        AtomicFile.removeLeftovers(for: path)
        var (md, tensors) = try model.contents()
        let e = JSONEncoder()
        e.outputFormatting = [.sortedKeys]
        func json<T: Encodable>(_ v: T) throws -> String { String(decoding: try e.encode(v), as: UTF8.self) }
        md["checkpoint"] = Self.format
        md["optimizer"] = optimizerName
        md["optimizer.hyperparameters"] = try json(optimizerHyperparameters.mapValues { "\($0.bitPattern)" })
        md["optimizer.rate"] = try json(learningRate)
        md["optimizer.step"] = "\(optimizerStep)"
        md["progress"] = try json(progress)
        md["run"] = try json(run)
        for (k, v) in metadata { md["app.\(k)"] = v }
        tensors += optimizerTensors.keys.sorted().map { ("optimizer.\($0)", optimizerTensors[$0]!) }
        for (name, state) in callbacks.sorted(by: { $0.key < $1.key }) {
            md["callback.\(name)"] = try json(state.values)
            tensors += state.tensors.keys.sorted().map { ("callback.\(name).\($0)", state.tensors[$0]!) }
        }
        try SafeTensors.write(tensors, metadata: md, to: path) {
            if pauseBeforeCommit > 0 { Thread.sleep(forTimeInterval: pauseBeforeCommit) }
        }
    }

    /// Loads the checkpoint in `directory`, validating it.
    public static func load(from directory: String) throws -> Checkpoint {
        let path = Self.path(in: directory)
        guard FileManager.default.fileExists(atPath: path) else {
            throw DataError(directory, "no checkpoint here (expected \(fileName))")
        }
        let (all, order, md) = try SafeTensors.read(path)
        guard md["checkpoint"] == format else {
            throw DataError(path, "not a Backprop checkpoint (metadata 'checkpoint' is \(md["checkpoint"].map { "'\($0)'" } ?? "missing"), expected '\(format)')")
        }
        func field<T: Decodable>(_ key: String, _ type: T.Type) throws -> T {
            guard let text = md[key] else { throw DataError(path, "metadata '\(key)' is missing") }
            do {
                return try JSONDecoder().decode(T.self, from: Data(text.utf8))
            } catch {
                throw DataError(path, "metadata '\(key)': \(ModelFile.describe(error))")
            }
        }
        var modelTensors: [String: Tensor] = [:], optimizer: [String: Tensor] = [:], callbackTensors: [String: [String: Tensor]] = [:]
        for (name, t) in all {
            if name.hasPrefix("optimizer.") {
                optimizer[String(name.dropFirst("optimizer.".count))] = t
            } else if name.hasPrefix("callback.") {
                let rest = name.dropFirst("callback.".count)
                guard let dot = rest.firstIndex(of: ".") else { throw DataError(path, "tensor \(name): expected callback.NAME.TENSOR") }
                callbackTensors[String(rest[..<dot]), default: [:]][String(rest[rest.index(after: dot)...])] = t
            } else {
                modelTensors[name] = t
            }
        }
        let model = try ModelFile(path: path, tensors: modelTensors, order: order.filter { modelTensors[$0] != nil }, metadata: md)
        guard let name = md["optimizer"] else { throw DataError(path, "metadata 'optimizer' is missing") }
        guard let step = md["optimizer.step"].flatMap(Int.init), step >= 0 else { throw DataError(path, "metadata 'optimizer.step' is missing or negative") }
        let hyper = try field("optimizer.hyperparameters", [String: String].self)
        var hyperparameters: [String: Float] = [:]
        for (k, v) in hyper {
            guard let bits = UInt32(v) else { throw DataError(path, "optimizer hyperparameter \(k) is '\(v)'") }
            hyperparameters[k] = Float(bitPattern: bits)
        }
        var callbacks: [String: CallbackState] = [:]
        for (key, _) in md where key.hasPrefix("callback.") {
            let cb = String(key.dropFirst("callback.".count))
            callbacks[cb] = CallbackState(values: try field(key, [String: String].self), tensors: callbackTensors[cb] ?? [:])
        }
        var app: [String: String] = [:]
        for (k, v) in md where k.hasPrefix("app.") { app[String(k.dropFirst(4))] = v }
        return Checkpoint(model: model, optimizerName: name, optimizerHyperparameters: hyperparameters,
                          learningRate: try field("optimizer.rate", ScheduledLearningRate.self), optimizerStep: step,
                          optimizerTensors: optimizer, progress: try field("progress", Progress.self),
                          run: try field("run", Run.self), callbacks: callbacks, metadata: app)
    }

    private init(model: ModelFile, optimizerName: String, optimizerHyperparameters: [String: Float],
                 learningRate: ScheduledLearningRate, optimizerStep: Int, optimizerTensors: [String: Tensor],
                 progress: Progress, run: Run, callbacks: [String: CallbackState], metadata: [String: String]) {
        self.model = model
        self.optimizerName = optimizerName
        self.optimizerHyperparameters = optimizerHyperparameters
        self.learningRate = learningRate
        self.optimizerStep = optimizerStep
        self.optimizerTensors = optimizerTensors
        self.progress = progress
        self.run = run
        self.callbacks = callbacks
        self.metadata = metadata
    }

    /// Puts this checkpoint's state into `trainer` (whose model and optimiser must be of the
    /// checkpoint's kinds) and its callbacks, after checking that `options` describe the same run.
    func restore(into trainer: Trainer, options: FitOptions, trainingExamples: Int) throws {
        let source = "checkpoint"
        let want = Run(seed: options.seed, batchSize: options.batchSize,
                       validationSplit: options.validationData == nil ? options.validationSplit : -1,
                       shuffle: options.shuffle, accumulationSteps: options.accumulationSteps, trainingExamples: trainingExamples)
        func mismatch(_ what: String, _ a: Any, _ b: Any) -> TrainingError {
            .checkpointMismatch("resume: the checkpoint's \(what) is \(a), this run's is \(b)")
        }
        if want.seed != run.seed { throw mismatch("seed", run.seed, want.seed) }
        if want.batchSize != run.batchSize { throw mismatch("batch size", run.batchSize, want.batchSize) }
        if want.validationSplit != run.validationSplit { throw mismatch("validation split", run.validationSplit, want.validationSplit) }
        if want.shuffle != run.shuffle { throw mismatch("shuffling", run.shuffle, want.shuffle) }
        if want.accumulationSteps != run.accumulationSteps { throw mismatch("gradient accumulation", run.accumulationSteps, want.accumulationSteps) }
        if run.trainingExamples != 0 && want.trainingExamples != run.trainingExamples {
            throw mismatch("number of training examples", run.trainingExamples, want.trainingExamples)
        }
        let o = trainer.optimizer
        guard o.name == optimizerName else { throw mismatch("optimizer", optimizerName, o.name) }
        for (k, v) in o.hyperparameters where optimizerHyperparameters[k] != v {
            throw mismatch("optimizer \(k)", optimizerHyperparameters[k].map { "\($0)" } ?? "missing", v)
        }
        try trainer.model.loadStateDict(model.tensors, source: source)
        var streams = trainer.model.randomStreams
        guard streams.count == progress.randomStreams.count else {
            throw mismatch("number of random streams", progress.randomStreams.count, streams.count)
        }
        streams = progress.randomStreams
        trainer.model.randomStreams = streams
        o.rate = learningRate
        try o.state.restore(step: optimizerStep, tensors: optimizerTensors, arena: trainer.model.parameters, source: source)
        for case let c as any CheckpointableCallback in options.callbacks {
            guard let s = callbacks[c.checkpointName] else { throw mismatch("callbacks", callbacks.keys.sorted(), c.checkpointName) }
            try c.restore(s)
        }
    }
}
