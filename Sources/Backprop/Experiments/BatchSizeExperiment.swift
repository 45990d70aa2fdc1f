import Foundation

/// Full-batch gradient descent vs single-example SGD vs mini-batches: the same 784-64-10 ReLU
/// net from the same initialisation, trained by plain SGD at one learning rate on a Fashion-MNIST
/// subset with batches of 1, 32, 256 and the whole set. Per epoch: the loss over the whole
/// training set and the wall-clock time; per step: the batch losses, whose spread from one step
/// to the next is the noise of the gradient estimate.
public struct BatchSizeExperiment: Experiment {
    public static let name = "batch-size"
    public static let claim = "mini-batches learn more per epoch than full-batch descent and more smoothly than single examples, at a fraction of single-example SGD's time"

    public var batchSizes = [1, 32, 256, 0]
    public var seeds = 3
    public var trainCount = 5000
    public var epochs = 5
    public var hidden = 64
    public var learningRate: Float = 0.05

    public init() {}

    public static var quick: BatchSizeExperiment {
        var e = BatchSizeExperiment()
        e.seeds = 2
        e.trainCount = 1500
        e.epochs = 3
        return e
    }

    public var setup: String {
        "784-\(hidden)-10 ReLU on \(trainCount) Fashion-MNIST images, SGD \(learningRate), \(epochs) epochs, batches of \(batchSizes.map { $0 == 0 ? "\(trainCount) (full)" : "\($0)" }.joined(separator: ", "))"
    }

    public struct Run: Sendable {
        public var batchSize: Int
        public var seed: Int
        /// The loss over the whole training set after each epoch (index 0: before training).
        public var losses: [Double]
        /// Seconds of training at the end of each epoch (index 0: 0).
        public var times: [Double]
        /// The median over the last epoch of |ℓ_t − ℓ_{t−1}| between consecutive batch losses.
        public var stepNoise: Double
        public var steps: Int
        /// The batch losses of the first 300 steps.
        public var firstSteps: [Double]
    }

    public struct Results: Sendable {
        public var runs: [Run]
        public func runs(_ b: Int) -> [Run] { runs.filter { $0.batchSize == b } }
        public func finalLoss(_ b: Int) -> Spread { Spread(runs(b).map { $0.losses.last! }) }
        public func noise(_ b: Int) -> Spread { Spread(runs(b).map(\.stepNoise)) }
        public func seconds(_ b: Int) -> Spread { Spread(runs(b).map { $0.times.last! }) }
    }

    func label(_ b: Int) -> String { b == 0 || b >= trainCount ? "full batch (\(trainCount))" : "batch \(b)" }

    public func measure<B: Backend>(on backend: B, progress: (String) -> Void) throws -> Results {
        let (train, _) = try ExperimentData.fashionMNIST(train: trainCount, test: 1)
        let n = train.count
        let loss = SoftmaxCrossEntropy(backend)
        func fullLoss(_ model: Sequential<B>) -> Double {
            let p = model.predict(train.features)
            return Double(loss.compute(TensorView(p), .classes(train.labels![...]), gradient: nil))
        }
        var runs: [Run] = []
        for seed in 0..<seeds {
            for b in batchSizes {
                let size = b == 0 ? n : min(b, n)
                var g = RandomGenerator(seed: UInt64(900 + seed))
                let model = Sequential.mlp(backend, sizes: [784, hidden, 10], generator: &g)
                let step = TrainingStep(model: model, loss: loss, optimizer: SGD(backend, learningRate: learningRate))
                let batches = BatchIterator(train, batchSize: size, targets: false)
                let shuffler = RandomGenerator(seed: UInt64(seed))
                var losses = [fullLoss(model)], times = [0.0]
                var seconds = 0.0
                var last: [Double] = []
                var steps = 0
                var firstSteps: [Double] = []
                for epoch in 1...epochs {
                    batches.shuffle(generator: shuffler.derived(UInt64(epoch)))
                    last.removeAll(keepingCapacity: true)
                    let t0 = Date()
                    for b in 0..<(n / size) {   // full batches only
                        let batch = batches.batch(b)
                        last.append(Double(step.run(batch.x, .classes(batch.labels!)).loss))
                        if firstSteps.count < 300 { firstSteps.append(last.last!) }
                        steps += 1
                    }
                    seconds += Date().timeIntervalSince(t0)
                    times.append(seconds)
                    losses.append(fullLoss(model))
                }
                let diffs = zip(last.dropFirst(), last).map { abs($0 - $1) }.sorted()
                let run = Run(batchSize: size, seed: seed, losses: losses, times: times, stepNoise: diffs.isEmpty ? 0 : diffs[diffs.count / 2], steps: steps, firstSteps: firstSteps)
                runs.append(run)
                progress(String(format: "%@ seed %d: %d steps, training loss %.3f → %.3f, %.2f s, step-to-step loss change %.3g", label(size) as NSString, seed,
                                steps, losses.first!, losses.last!, seconds, run.stepNoise))
            }
        }
        return Results(runs: runs)
    }

    var sizes: [Int] { batchSizes.map { $0 == 0 ? trainCount : $0 } }

    public func report(_ r: Results) -> ExperimentReport {
        let table = markdownTable(["batch", "updates per epoch", "training loss after \(epochs) epochs", "seconds for \(epochs) epochs", "median |Δ batch loss| per step"], sizes.map { b in
            [label(b), "\(trainCount / b)", r.finalLoss(b).text("%.3f"), r.seconds(b).text("%.2f"), r.noise(b).text("%.3g")]
        })
        let full = trainCount, one = sizes.min()!
        let mini = sizes.contains(32) ? 32 : sizes.sorted()[sizes.count / 2]
        let verdict = String(format: "Verdict: after %d epochs at η = %g, full-batch descent has made %d updates and its loss is %.3f; mini-batches of %d made %d and reach %.3f; single examples %d and reach %.3f. Single-example SGD's batch loss jumps by a median %.3g from one step to the next against %.3g for batches of %d (the gradient of one example is a noisy estimate), and its %d tiny steps take %.2f s against %.2f s for the mini-batches (matrix products amortise the per-step work). Mini-batches are the middle way: many updates per epoch, each cheap and reasonably accurate.",
                             epochs, learningRate, epochs, r.finalLoss(full).mean, mini, epochs * (trainCount / mini), r.finalLoss(mini).mean,
                             epochs * trainCount, r.finalLoss(one).mean, r.noise(one).mean, r.noise(mini).mean, mini, epochs * trainCount,
                             r.seconds(one).mean, r.seconds(mini).mean)
        var csv = "batch_size,seed,epoch,training_loss,seconds\n"
        for run in r.runs {
            for e in 0...epochs { csv += "\(run.batchSize),\(run.seed),\(e),\(run.losses[e]),\(run.times[e])\n" }
        }
        func series(_ b: Int, time: Bool) -> LineChart.Series {
            let rs = r.runs(b)
            return LineChart.Series(name: label(b), points: (0...epochs).compactMap { e -> (x: Double, y: Double)? in
                let x = time ? Spread(rs.map { $0.times[e] }).mean : Double(e)
                return time && e == 0 ? nil : (x, Spread(rs.map { $0.losses[e] }).mean)
            })
        }
        var a = LineChart(title: "Training loss per epoch", xLabel: "epoch", yLabel: "cross-entropy (whole set)", series: sizes.map { series($0, time: false) })
        a.logY = true
        var b = LineChart(title: "Training loss per second", xLabel: "seconds", yLabel: "cross-entropy (whole set)", series: sizes.map { series($0, time: true) })
        b.logX = true
        b.logY = true
        let c = LineChart(title: "Batch loss, first 300 steps (seed 0)", xLabel: "step", yLabel: "cross-entropy (batch)", series: sizes.filter { $0 < trainCount }.compactMap { b in
            r.runs(b).first.map { run in LineChart.Series(name: label(b), points: run.firstSteps.enumerated().map { (Double($0.offset + 1), $0.element) }) }
        })
        return ExperimentReport(table: table, verdict: verdict, csv: csv, svg: Figure.svg([a, b, c]))
    }
}
