import Backprop
import Benchmark

/// Per backend: GEMM (square 32…2048 and the MLP training-step shapes), activations and other
/// elementwise kernels, reductions, softmax, and one full training step of the Fashion-MNIST MLP
/// (784-256-128-10, Adam, batch 128) — wall clock, throughput and malloc counts. The training
/// step's threshold — and the same step on a `GradientTape`'s, and the character LSTM's step — is zero allocations: a
/// regression there fails `swift package benchmark`.
let benchmarks: @Sendable () -> Void = {
    Benchmark.defaultConfiguration = .init(
        metrics: [.wallClock, .throughput, .mallocCountTotal],
        warmupIterations: 3,
        maxDuration: .milliseconds(800),
        maxIterations: 10_000
    )
    for name in ["naive", "simd", "blas"] {
        let backend = try! Backends.make(name)
        registerGEMM(backend)
        registerElementwise(backend)
        registerTrainingStep(backend)
        registerTapeStep(backend)
        if name != "naive" { registerLSTMStep(backend) }
    }
    // Two threads: the recurrent layer's bands of batch rows on the backend's partitions.
    registerLSTMStep(try! Backends.make("simd", threads: 2))
}

func registerGEMM(_ b: any Backend) {
    var shapes: [(Int, Int, Int, Transpose, Transpose)] = [32, 64, 128, 256, 512, 1024, 2048].map { ($0, $0, $0, .none, .none) }
    shapes += [(128, 784, 256, .none, .none), (128, 256, 128, .none, .none), (128, 128, 10, .none, .none),
               (784, 128, 256, .transpose, .none), (128, 256, 784, .none, .transpose), (128, 10, 128, .none, .transpose)]
    for (m, k, n, ta, tb) in shapes where b.name != "naive" || m * n * k <= 256 * 256 * 256 {
        let a = Tensor(shape: [m * k]), bm = Tensor(shape: [k * n]), c = Tensor(shape: [m * n])
        var g = RandomGenerator(seed: 1)
        g.fill(.uniform(low: -1, high: 1), a.data, count: a.count)
        g.fill(.uniform(low: -1, high: 1), bm.data, count: bm.count)
        let label = "gemm \(m)x\(k)x\(n)\(ta == .none && tb == .none ? "" : " \(ta.rawValue)\(tb.rawValue)") \(b.name)"
        Benchmark(label, configuration: .init(thresholds: [.mallocCountTotal: .init(absolute: [.p90: 0])])) { benchmark in
            for _ in benchmark.scaledIterations {
                b.gemm(ta, tb, m: m, n: n, k: k, alpha: 1, a: a.data, lda: ta == .none ? k : m, b: bm.data,
                       ldb: tb == .none ? n : k, beta: 0, c: c.data, ldc: n)
            }
            blackHole(c.data.pointee)
        }
    }
}

func registerElementwise(_ b: any Backend) {
    let n = 1 << 22, cols = 1000
    let x = Tensor(shape: [n]), y = Tensor(shape: [n]), z = Tensor(shape: [n])
    var g = RandomGenerator(seed: 2)
    g.fill(.uniform(low: -4, high: 4), x.data, count: n)
    g.fill(.uniform(low: 0.5, high: 1), z.data, count: n)
    var out = [Float](repeating: 0, count: n / cols + cols)
    let cases: [(String, () -> Void)] = [
        ("relu", { b.unary(.activation(.relu), x.data, y.data, count: n) }),
        ("sigmoid", { b.unary(.activation(.sigmoid), x.data, y.data, count: n) }),
        ("tanh", { b.unary(.activation(.tanh), x.data, y.data, count: n) }),
        ("elu", { b.unary(.activation(.elu(alpha: 1)), x.data, y.data, count: n) }),
        ("add", { b.binary(.add, x.data, z.data, .none, y.data, rows: 1, cols: n) }),
        ("axpy", { b.axpy(alpha: 0.5, x.data, y.data, count: n) }),
        ("bias_relu", { b.biasActivation(.relu, x.data, bias: z.data, y.data, rows: n / cols, cols: cols) }),
        ("sum", { b.reduce(.sum, .all, x.data, rows: 1, cols: n, &out) }),
        ("sum_columns", { b.reduce(.sum, .columns, x.data, rows: n / cols, cols: cols, &out) }),
        ("softmax", { b.softmax(x.data, y.data, rows: n / cols, cols: cols, log: false) }),
    ]
    for (label, body) in cases {
        Benchmark("\(label) 4Mi \(b.name)", configuration: .init(maxIterations: b.name == "naive" ? 20 : 10_000)) { benchmark in
            for _ in benchmark.scaledIterations { body() }
            blackHole(y.data.pointee)
        }
    }
}

func registerTrainingStep(_ backend: any Backend) {
    func register<B: Backend>(_ b: B) {
        var g = RandomGenerator(seed: 3)
        let model = Sequential.mlp(b, sizes: [784, 256, 128, 10], activation: .relu, generator: &g)
        let step = TrainingStep(model: model, loss: SoftmaxCrossEntropy(b), optimizer: Adam(b))
        // As `Trainer.fit` runs a step: a shuffled batch gathered from the set, class-index targets.
        let batches = randomBatches(&g)
        var i = 0
        func run() -> Float {
            let batch = batches.batch(i % batches.batchCount)
            i += 1
            return step.run(batch.x, .classes(batch.labels!)).loss
        }
        _ = run()   // size the workspaces
        Benchmark("train step 784-256-128-10 batch 128 \(b.name)",
                  configuration: .init(maxIterations: b.name == "naive" ? 5 : 10_000,
                                       thresholds: [.mallocCountTotal: .init(absolute: [.p90: 0])])) { benchmark in
            for _ in benchmark.scaledIterations { blackHole(run()) }
        }
    }
    register(backend)
}

/// The Fashion-MNIST MLP step on a `GradientTape` (dense primitives, softmax cross-entropy, Adam):
/// recording, back-propagation into the arena, update. Its buffers are reused from step to step,
/// so the threshold is zero allocations too.
func registerTapeStep(_ backend: any Backend) {
    func register<B: Backend>(_ b: B) {
        var g = RandomGenerator(seed: 3)
        let model = Sequential.mlp(b, sizes: [784, 256, 128, 10], activation: .relu, generator: &g)
        let p = model.parameters.parameters
        let adam = Adam(b)
        let tape = GradientTape(b)
        let batches = randomBatches(&g)
        var i = 0
        func run() -> Float {
            let batch = batches.batch(i % batches.batchCount)
            i += 1
            let loss = try! tape.valueAndGradient(wrt: p) { t in
                let h1 = dense(t.constant(batch.x), weight: t.watch(p[0]), bias: t.watch(p[1]), activation: .relu)
                let h2 = dense(h1, weight: t.watch(p[2]), bias: t.watch(p[3]), activation: .relu)
                return softmaxCrossEntropy(dense(h2, weight: t.watch(p[4]), bias: t.watch(p[5])), labels: batch.labels!)
            }
            adam.step(model.parameters)
            return loss
        }
        _ = run()   // size the tape's buffers
        Benchmark("tape step 784-256-128-10 batch 128 \(b.name)",
                  configuration: .init(maxIterations: b.name == "naive" ? 5 : 10_000,
                                       thresholds: [.mallocCountTotal: .init(absolute: [.p90: 0])])) { benchmark in
            for _ in benchmark.scaledIterations { blackHole(run()) }
        }
    }
    register(backend)
}

/// 1024 random 784-feature examples in 10 classes, as shuffled batches of 128 (class indices).
func randomBatches(_ g: inout RandomGenerator) -> BatchIterator {
    let x = Tensor(shape: [1024, 784])
    g.fill(.uniform(low: 0, high: 1), x.data, count: x.count)
    let data = Dataset.classification(name: "random", features: x, labels: (0..<1024).map { Int32($0 % 10) }, classes: 10)
    let batches = BatchIterator(data, batchSize: 128, targets: false)
    batches.shuffle(generator: g)
    return batches
}

/// The character-level LSTM language model's step (`bench --op lstm`'s: H = 256, sequence 64,
/// batch 32, token input over 114 symbols, Adam, clip-norm 5, state carried between windows) on
/// a random byte text. Every buffer is a workspace sized by the first step: zero allocations on
/// one thread; on two (bands of the batch on the backend's partitions), one per fork of the pool.
func registerLSTMStep(_ backend: any Backend) {
    func register<B: Backend>(_ b: B) {
        var g = RandomGenerator(seed: 5)
        let bytes = (0..<300_000).map { _ in UInt8(10 + g.nextInt(below: 114)) }
        let corpus = try! TextCorpus(bytes: bytes, tokens: .bytes, source: "random")
        let lm = LanguageModel(b, vocabulary: corpus.vocabulary, cell: .lstm, hidden: 256, generator: &g)
        let trainer = LanguageModelTrainer(model: lm, sequenceLength: 64, batchSize: 32)
        lm.recurrent.isStateful = true
        let ids = corpus.ids[...]
        let windows = LanguageModelTrainer<B>.windows(ids.count, batch: 32, sequence: 64)
        var w = 0
        func run() -> Float {
            defer { w += 1 }
            return trainer.trainStep(ids, window: w % windows.windows, perStream: windows.perStream)
        }
        _ = run()   // size the workspaces
        _ = run()   // and the carried state
        // Zero on two threads as well: the SIMD pool's forks (a fork per forward band region,
        // per chunk of BPTT and per head kernel) hand the workers the caller's closure without an
        // escaping copy (44 mallocs per step when each fork allocated withoutActuallyEscaping's thunk).
        Benchmark("lstm step H256 T64 B32 \(b.name)\(b.threads > 1 ? " x\(b.threads)" : "")",
                  configuration: .init(maxIterations: b.name == "naive" ? 2 : 1_000,
                                       thresholds: [.mallocCountTotal: .init(absolute: [.p90: 0])])) { benchmark in
            for _ in benchmark.scaledIterations { blackHole(run()) }
        }
    }
    register(backend)
}
