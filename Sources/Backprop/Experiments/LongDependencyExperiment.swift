import Foundation

/// The lecture's claim about recurrent networks, measured: a plain RNN stops learning a
/// dependency as it gets longer (its gradient through time shrinks as a product of factors below
/// one), while an LSTM — and a GRU — keep learning it.
///
/// **Task: the adding problem** (Hochreiter & Schmidhuber 1997; Le et al. 2015). Each of the
/// `length` steps carries a value U(0, 1) and a marker; two steps are marked, one among the first
/// tenth of the sequence and one in its second half; the answer, read from the last step's
/// output, is the sum of the two marked values. Predicting the mean, 1, gives MSE 1/6 ≈ 0.167;
/// a run counts as solved when the test MSE is below a tenth of that. The dependency spans at
/// least half the sequence. Fresh sequences every step (no overfitting), a fixed test set of
/// `testSize` sequences.
///
/// **Models**, at equal parameter counts: LSTM (hidden `lstmHidden`, unit forget bias), GRU and
/// tanh RNN with the largest hidden size whose recurrent layer has no more parameters than the
/// LSTM's; each followed by a dense layer to one output, MSE, Adam, gradients clipped to norm 1.
///
/// **Measured** per cell, length and seed: test MSE after `steps` steps (and the fraction of
/// test sequences answered within 0.04, Hochreiter's criterion), and the norm of ∂L/∂x₁ — the
/// gradient that reaches the first time step — per sequence (the mean of its per-sequence
/// norms), at initialisation and after training.
public struct LongDependencyExperiment: Sendable {
    public var lengths: [Int] = [10, 25, 50, 100, 200]
    public var seeds = 3
    public var steps = 4000
    public var batchSize = 32
    public var lstmHidden = 24
    public var learningRate: Float = 0.005
    public var testSize = 512

    public init() {}

    /// The small version the tests run: T = 10 and 50, two seeds, 1500 steps.
    public static var quick: LongDependencyExperiment {
        var e = LongDependencyExperiment()
        e.lengths = [10, 50]
        e.seeds = 2
        e.steps = 1500
        e.testSize = 256
        return e
    }

    /// The MSE of always answering the mean (1): the variance of a sum of two U(0, 1).
    public static let baselineMSE = 1.0 / 6
    /// Solved: test MSE below a tenth of the baseline.
    public static let solvedMSE = baselineMSE / 10

    /// One run's outcome.
    public struct Result: Sendable {
        public var cell: SequenceCell
        public var hidden: Int
        public var parameters: Int
        public var length: Int
        public var seed: Int
        public var mse: Double
        /// The fraction of test sequences answered within 0.04.
        public var accuracy: Double
        public var finalLoss: Double
        /// ‖∂L/∂x₁‖ per sequence at initialisation and after training.
        public var firstStepGradientAtStart: Double
        public var firstStepGradientAtEnd: Double
        public var seconds: Double
    }

    /// Features per step: the value and the marker.
    let features = 2

    /// The hidden size of each cell at (at most) the LSTM's parameter count.
    public func hiddenSize(_ cell: SequenceCell) -> Int {
        let d = features
        func count(_ g: Int, _ h: Int) -> Int { g * h * (d + h) + 2 * g * h }
        let budget = count(4, lstmHidden)
        let g = cell == .lstm ? 4 : cell == .gru ? 3 : 1
        var h = 1
        while count(g, h + 1) <= budget { h += 1 }
        return h
    }

    /// `count` sequences from `generator`: x [length, count, 2], the sums [count, 1].
    func batch(length t: Int, count b: Int, generator g: inout RandomGenerator) -> (x: Tensor, y: Tensor) {
        let d = features
        let x = Tensor(shape: [t, b, d]), y = Tensor(shape: [b, 1])
        for i in 0..<b {
            for step in 0..<t { x.data[(step * b + i) * d] = g.nextUnit() }
            let first = g.nextInt(below: max(1, t / 10)), second = t / 2 + g.nextInt(below: t - t / 2)
            x.data[(first * b + i) * d + 1] = 1
            x.data[(second * b + i) * d + 1] = 1
            y.data[i] = x.data[(first * b + i) * d] + x.data[(second * b + i) * d]
        }
        return (x, y)
    }

    /// Every length × cell × seed, in that order; `progress(done, total, result)` after each.
    public func run<B: Backend>(on backend: B, progress: (Int, Int, Result) -> Void = { _, _, _ in }) -> [Result] {
        var out: [Result] = []
        let total = SequenceCell.allCases.count * lengths.count * seeds
        for length in lengths {
            for cell in [SequenceCell.rnn, .gru, .lstm] {
                for seed in 0..<seeds {
                    let r = run(cell, length: length, seed: seed, on: backend)
                    out.append(r)
                    progress(out.count, total, r)
                }
            }
        }
        return out
    }

    /// One run.
    public func run<B: Backend>(_ cell: SequenceCell, length: Int, seed: Int, on backend: B) -> Result {
        let start = DispatchTime.now().uptimeNanoseconds
        let h = hiddenSize(cell)
        var g = RandomGenerator(seed: UInt64(1000 * seed + 17))
        let rec: Recurrent<B>
        switch cell {
        case .lstm: rec = LSTM(backend, inputSize: features, hiddenSize: h, returnSequences: false, unitForgetBias: true, generator: &g)
        case .gru: rec = GRU(backend, inputSize: features, hiddenSize: h, returnSequences: false, generator: &g)
        case .rnn: rec = RNN(backend, inputSize: features, hiddenSize: h, returnSequences: false, generator: &g)
        }
        let head = Dense(backend, inputs: h, outputs: 1, generator: &g)
        let model = Sequential(backend, layers: [rec, head])
        let loss = MeanSquaredError(backend)
        let step = TrainingStep(model: model, loss: loss, optimizer: Adam(backend, learningRate: learningRate),
                                transforms: [ClipGradients(.norm(1))])
        var testGenerator = RandomGenerator(seed: UInt64(90_000 + length))
        let test = batch(length: length, count: testSize, generator: &testGenerator)
        let before = firstStepGradient(rec, head, test)
        var data = RandomGenerator(seed: UInt64(7 * seed + 3)).derived(UInt64(length))
        var last = 0.0
        for _ in 0..<steps {
            let (x, y) = batch(length: length, count: batchSize, generator: &data)
            last = Double(step.run(TensorView(x), TensorView(y)).loss)
        }
        let after = firstStepGradient(rec, head, test)
        let out = model.forward(TensorView(test.x), training: false)
        var squares = 0.0, within = 0
        for i in 0..<testSize {
            let e = Double(out.data[i] - test.y.data[i])
            squares += e * e
            if abs(e) < 0.04 { within += 1 }
        }
        return Result(cell: cell, hidden: h, parameters: model.parameters.parameters.reduce(0) { $0 + $1.count }, length: length, seed: seed,
                      mse: squares / Double(testSize), accuracy: Double(within) / Double(testSize), finalLoss: last,
                      firstStepGradientAtStart: before, firstStepGradientAtEnd: after,
                      seconds: Double(DispatchTime.now().uptimeNanoseconds - start) * 1e-9)
    }

    /// The mean over the test sequences of ‖∂L_i/∂x₁‖, L_i = (ŷ_i − y_i)², each sequence's own loss.
    func firstStepGradient<B: Backend>(_ rec: Recurrent<B>, _ head: Dense<B>, _ test: (x: Tensor, y: Tensor)) -> Double {
        let b = test.y.count, d = features
        let y = head.forward(rec.forward(TensorView(test.x), training: false), training: false)
        let dy = Tensor(shape: [b, 1])
        for i in 0..<b { dy.data[i] = 2 * (y.data[i] - test.y.data[i]) }
        let dh = head.backward(TensorView(dy), needsInputGradient: true)
        let dx = rec.backward(dh, needsInputGradient: true)
        for p in rec.parameters + head.parameters { p.grad.data.update(repeating: 0, count: p.count) }
        var total = 0.0
        for i in 0..<b {
            var s = 0.0
            for k in 0..<d { s += Double(dx.data[i * d + k]) * Double(dx.data[i * d + k]) }
            total += s.squareRoot()
        }
        return total / Double(b)
    }
}
