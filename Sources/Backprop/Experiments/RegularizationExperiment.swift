import Foundation

/// Overfitting and its remedies: a 784-256-256-10 ReLU net trained by Adam on only
/// `trainCount` Fashion-MNIST images for many epochs, validated on `validationCount` others:
/// without regularisation, with L2 (λ₂), with L1 (λ₁: the weights it drives to zero are the
/// notes' sparsity, counted as |w| < 10⁻³), with dropout after each hidden layer, and with early
/// stopping (patience `patience`, best weights restored). Train and validation loss per epoch.
public struct RegularizationExperiment: Experiment {
    public static let name = "regularization"
    public static let claim = "a big net on a small training set overfits; L2, L1 (sparse weights), dropout and early stopping lower its validation loss"

    public var trainCount = 1000
    public var validationCount = 5000
    public var epochs = 60
    public var seeds = 3
    public var l2: Float = 5e-3
    public var l1: Float = 1e-4
    public var dropout: Float = 0.5
    public var patience = 5
    public var learningRate: Float = 0.001

    public init() {}

    public static var quick: RegularizationExperiment {
        var e = RegularizationExperiment()
        e.trainCount = 500
        e.validationCount = 1000
        e.epochs = 30
        e.seeds = 1
        return e
    }

    public static let methods = ["none", "L2", "L1", "dropout", "early stopping"]

    public var setup: String {
        "784-256-256-10 ReLU on \(trainCount) Fashion-MNIST images, validation on \(validationCount) test images; Adam \(learningRate), batches of 64, \(epochs) epochs; L2 λ₂ = \(l2), L1 λ₁ = \(l1), dropout \(dropout), early stopping with patience \(patience)"
    }

    public struct Run: Sendable {
        public var method: String
        public var seed: Int
        public var trainLoss: [Double]
        public var validationLoss: [Double]
        /// Of the final (for early stopping: restored) weights.
        public var validationAccuracy: Double
        public var finalValidationLoss: Double
        public var finalTrainLoss: Double
        public var sparsity: Double
        public var stoppedAt: Int
        /// A sample of the first layer's weights, for the histogram.
        public var weights: [Double]
    }

    public struct Results: Sendable {
        public var runs: [Run]
        public func runs(_ m: String) -> [Run] { runs.filter { $0.method == m } }
        public func validationLoss(_ m: String) -> Spread { Spread(runs(m).map(\.finalValidationLoss)) }
        public func sparsity(_ m: String) -> Spread { Spread(runs(m).map(\.sparsity)) }
    }

    public func measure<B: Backend>(on backend: B, progress: (String) -> Void) throws -> Results {
        let (train, validation) = try ExperimentData.fashionMNIST(train: trainCount, test: validationCount)
        var runs: [Run] = []
        for seed in 0..<seeds {
            for m in Self.methods {
                var g = RandomGenerator(seed: UInt64(1000 + seed))
                let model = Sequential.mlp(backend, sizes: [784, 256, 256, 10], dropout: m == "dropout" ? dropout : 0, generator: &g)
                let trainer = Trainer(model: model, loss: SoftmaxCrossEntropy(backend), optimizer: Adam(backend, learningRate: learningRate))
                let stopper = EarlyStopping(monitor: "val_loss", patience: patience, restoreBestWeights: true)
                let options = FitOptions(epochs: epochs, batchSize: 64, validationData: validation,
                                         penalty: Penalty(l1: m == "L1" ? l1 : 0, l2: m == "L2" ? l2 : 0),
                                         callbacks: m == "early stopping" ? [stopper] : [], seed: UInt64(seed))
                let h = try trainer.fit(train, options: options)
                let weights = model.parameters.parameters.filter(\.isWeight)
                var small = 0, total = 0
                for w in weights {
                    for i in 0..<w.count where abs(w.value.data[i]) < 1e-3 { small += 1 }
                    total += w.count
                }
                let first = weights[0]
                let sample = stride(from: 0, to: first.count, by: max(1, first.count / 5000)).map { Double(first.value.data[$0]) }
                let evaluation = try trainer.evaluate(validation)
                let run = Run(method: m, seed: seed, trainLoss: h.epochs.map { Double($0.loss) }, validationLoss: h.epochs.map { Double($0.validationLoss ?? .nan) },
                              validationAccuracy: Double(evaluation.accuracy ?? 0), finalValidationLoss: Double(evaluation.loss),
                              finalTrainLoss: Double(try trainer.evaluate(train).loss), sparsity: Double(small) / Double(total), stoppedAt: h.epochs.count, weights: sample)
                runs.append(run)
                progress(String(format: "%@ seed %d: %d epochs, train loss %.3f, validation loss %.3f (lowest %.3f), accuracy %.3f, %.1f%% of weights below 1e-3",
                                m as NSString, seed, run.stoppedAt, run.finalTrainLoss, run.finalValidationLoss, run.validationLoss.min() ?? .nan,
                                run.validationAccuracy, 100 * run.sparsity))
            }
        }
        return Results(runs: runs)
    }

    public func report(_ r: Results) -> ExperimentReport {
        let table = markdownTable(["method", "epochs run", "train loss", "validation loss", "gap", "validation accuracy", "weights |w| < 1e-3"], Self.methods.map { m in
            let rs = r.runs(m)
            return [m, Spread(rs.map { Double($0.stoppedAt) }).text("%.0f"), Spread(rs.map(\.finalTrainLoss)).text("%.3f"), r.validationLoss(m).text("%.3f"),
                    Spread(rs.map { $0.finalValidationLoss - $0.finalTrainLoss }).text("%.3f"), Spread(rs.map(\.validationAccuracy)).text("%.3f"),
                    String(format: "%.1f%%", 100 * r.sparsity(m).mean)]
        })
        let none = r.runs("none")
        let lowest = Spread(none.map { $0.validationLoss.min() ?? .nan }).mean
        let lowestAt = Spread(none.map { Double(($0.validationLoss.firstIndex(of: $0.validationLoss.min() ?? 0) ?? 0) + 1) }).mean
        func v(_ m: String) -> Double { r.validationLoss(m).mean }
        func acc(_ m: String) -> Double { Spread(r.runs(m).map(\.validationAccuracy)).mean }
        let verdict = String(format: "Verdict: trained on %d images, the unregularised net drives its training loss to %.3f while its validation loss, lowest (%.3f) around epoch %.0f, climbs back to %.3f by epoch %d: it memorises the training set (validation accuracy %.3f). L2 ends at validation loss %.3f (accuracy %.3f), L1 at %.3f (%.3f) with %.0f%% of its weights below 10⁻³ against %.0f%% without (sparsity), dropout at %.3f (%.3f), early stopping at %.3f (%.3f, stopped after %.0f epochs with the best weights restored).",
                             trainCount, Spread(none.map(\.finalTrainLoss)).mean, lowest, lowestAt, v("none"), epochs, acc("none"),
                             v("L2"), acc("L2"), v("L1"), acc("L1"), 100 * r.sparsity("L1").mean, 100 * r.sparsity("none").mean,
                             v("dropout"), acc("dropout"), v("early stopping"), acc("early stopping"),
                             Spread(r.runs("early stopping").map { Double($0.stoppedAt) }).mean)
        var csv = "method,seed,epoch,train_loss,validation_loss\n"
        for run in r.runs {
            for e in 0..<run.trainLoss.count { csv += "\(run.method),\(run.seed),\(e + 1),\(run.trainLoss[e]),\(run.validationLoss[e])\n" }
        }
        func curve(_ m: String, _ key: KeyPath<Run, [Double]>) -> LineChart.Series? {
            guard let run = r.runs(m).first else { return nil }
            return LineChart.Series(name: m, points: run[keyPath: key].enumerated().map { (Double($0.offset + 1), $0.element) })
        }
        var a = LineChart(title: "Training loss (seed 0)", xLabel: "epoch", yLabel: "cross-entropy", series: Self.methods.compactMap { curve($0, \.trainLoss) })
        a.logY = true
        let b = LineChart(title: "Validation loss (seed 0)", xLabel: "epoch", yLabel: "cross-entropy", series: Self.methods.compactMap { curve($0, \.validationLoss) })
        var h = Histogram(title: "First-layer weights (seed 0)", xLabel: "w", samples: ["none", "L2", "L1"].compactMap { m in
            r.runs(m).first.map { Histogram.Sample(name: m, values: $0.weights) }
        })
        h.range = -0.15...0.15
        h.bins = 60
        h.logCount = true
        return ExperimentReport(table: table, verdict: verdict, csv: csv, svg: Figure.svg([a, b, h]))
    }
}
