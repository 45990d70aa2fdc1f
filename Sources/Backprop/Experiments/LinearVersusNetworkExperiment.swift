import Foundation

/// "LR vs a 1-FC layer net: which is better? why?" — answered twice.
///
/// 1. Regression: linear regression in closed form (the normal equations [X 1]ᵀ[X 1]·θ = [X 1]ᵀy
///    solved by the backend: LAPACK on blas, LU in Swift elsewhere) against the same model as a
///    one-layer net (Dense d→1, no activation) trained by mini-batch SGD: the distance between
///    their weights, train and test MSE, time, and the epochs SGD needs to come within 1% of the
///    closed form's training MSE. Same model, same optimum: the closed form reaches it exactly
///    and at once; SGD approaches it.
/// 2. Fashion-MNIST classification: the least-squares classifier (ridge regression onto one-hot
///    targets, λ = `ridge`, argmax), logistic (softmax) regression trained on cross-entropy, and a
///    net with one hidden layer of `hidden` ReLU units: test accuracy and time.
public struct LinearVersusNetworkExperiment: Experiment {
    public static let name = "lr-vs-fc"
    public static let claim = "linear regression's closed form is the exact optimum a one-layer net only approaches by SGD; on Fashion-MNIST least squares < softmax regression < one hidden layer"

    public var features = 10
    public var count = 2000
    public var noise: Float = 0.5
    public var learningRate: Float = 0.01
    public var batchSize = 32
    public var maxEpochs = 100
    public var seeds = 5
    public var fashionTrain = 60_000
    public var fashionTest = 10_000
    public var fashionEpochs = 5
    public var hidden = 128
    public var ridge: Float = 1

    public init() {}

    public static var quick: LinearVersusNetworkExperiment {
        var e = LinearVersusNetworkExperiment()
        e.seeds = 2
        e.fashionTrain = 6000
        e.fashionTest = 2000
        e.fashionEpochs = 10
        return e
    }

    public var setup: String {
        "regression: \(count) examples (half for test), \(features) Gaussian features, y = x·w + 0.5 + N(0, \(noise)²); closed form vs Dense \(features)→1 by SGD \(learningRate), batches of \(batchSize). Fashion-MNIST (\(fashionTrain) / \(fashionTest)): least squares (ridge \(ridge)) vs softmax regression vs 784-\(hidden)-10 ReLU, Adam 1e-3, \(fashionEpochs) epochs"
    }

    public struct RegressionRun: Sendable {
        public var seed: Int
        public var closedTrainMSE: Double, closedTestMSE: Double, closedSeconds: Double
        public var netTrainMSE: Double, netTestMSE: Double, netSeconds: Double
        /// Epochs until the net's training MSE was within 1% of the closed form's (nil: not in `maxEpochs`).
        public var epochsToClosedForm: Int?
        public var weightDistance: Double
        /// The net's training MSE after each epoch.
        public var curve: [Double]
    }

    public struct ClassifierRun: Sendable {
        public var method: String
        public var seed: Int
        public var testAccuracy: Double
        public var seconds: Double
    }

    public struct Results: Sendable {
        public var regression: [RegressionRun]
        public var classifiers: [ClassifierRun]
        public func accuracy(_ method: String) -> Spread { Spread(classifiers.filter { $0.method == method }.map(\.testAccuracy)) }
    }

    public static let methods = ["least squares", "softmax regression", "one hidden layer"]

    func regressionData(seed: UInt64) -> (Dataset, Dataset) {
        var g = RandomGenerator(seed: seed)
        let x = Tensor(shape: [count, features])
        g.fill(.normal(mean: 0, std: 1), x.data, count: x.count)
        var w = [Float](repeating: 0, count: features)
        w.withUnsafeMutableBufferPointer { g.fill(.normal(mean: 0, std: 1), $0.baseAddress!, count: features) }
        var e = [Float](repeating: 0, count: count)
        e.withUnsafeMutableBufferPointer { g.fill(.normal(mean: 0, std: noise), $0.baseAddress!, count: count) }
        let y = Tensor(shape: [count, 1], values: (0..<count).map { i in (0..<features).reduce(0.5 + e[i]) { $0 + x.data[i * features + $1] * w[$1] } })
        let all = Dataset(name: "linear", features: x, targets: y)
        return (all.subset(Array(0..<(count / 2))), all.subset(Array((count / 2)..<count)))
    }

    public func measure<B: Backend>(on backend: B, progress: (String) -> Void) throws -> Results {
        var regression: [RegressionRun] = []
        for seed in 0..<seeds {
            let (train, test) = regressionData(seed: UInt64(seed + 1))
            let t0 = Date()
            let lr = LinearRegression(backend, inputs: features)
            try lr.solve(train)
            let closedSeconds = Date().timeIntervalSince(t0)
            let closedTrain = ExperimentData.meanSquaredError(lr.model, train), closedTest = ExperimentData.meanSquaredError(lr.model, test)
            var g = RandomGenerator(seed: UInt64(300 + seed))
            let net = Sequential.mlp(backend, sizes: [features, 1], generator: &g)
            let step = TrainingStep(model: net, loss: MeanSquaredError(backend), optimizer: SGD(backend, learningRate: learningRate))
            let batches = BatchIterator(train, batchSize: batchSize)
            var curve: [Double] = []
            var reached: Int?
            let t1 = Date()
            for epoch in 1...maxEpochs {
                batches.shuffle(generator: g.derived(UInt64(epoch)))
                for b in 0..<(train.count / batchSize) {   // full batches only
                    let batch = batches.batch(b)
                    _ = step.run(batch.x, batch.y)
                }
                curve.append(ExperimentData.meanSquaredError(net, train))
                if reached == nil && curve.last! <= 1.01 * closedTrain { reached = epoch }
                if reached != nil && epoch >= 2 * reached! { break }
            }
            let netSeconds = Date().timeIntervalSince(t1)
            let dense = net.layers[0] as! Dense<B>
            var d2 = 0.0
            for j in 0..<features { let d = Double(dense.weight.value.data[j]) - Double(lr.dense.weight.value.data[j]); d2 += d * d }
            let db = Double(dense.bias.value.data[0]) - Double(lr.dense.bias.value.data[0])
            let run = RegressionRun(seed: seed, closedTrainMSE: closedTrain, closedTestMSE: closedTest, closedSeconds: closedSeconds,
                                    netTrainMSE: curve.last!, netTestMSE: ExperimentData.meanSquaredError(net, test), netSeconds: netSeconds,
                                    epochsToClosedForm: reached, weightDistance: (d2 + db * db).squareRoot(), curve: curve)
            regression.append(run)
            progress(String(format: "regression seed %d: closed form train MSE %.4f in %.2g s; SGD within 1%% after %@ epochs, train MSE %.4f after %d, ‖θ_SGD − θ_LS‖ %.3g",
                            seed, closedTrain, closedSeconds, (reached.map(String.init) ?? "no") as NSString, run.netTrainMSE, curve.count, run.weightDistance))
        }
        let (train, test) = try ExperimentData.fashionMNIST(train: fashionTrain, test: fashionTest)
        var classifiers: [ClassifierRun] = []
        let t0 = Date()
        let accuracy = try leastSquaresAccuracy(backend, train, test)
        classifiers.append(ClassifierRun(method: Self.methods[0], seed: 0, testAccuracy: accuracy, seconds: Date().timeIntervalSince(t0)))
        progress(String(format: "Fashion-MNIST least squares: test accuracy %.4f (%.1f s)", accuracy, classifiers[0].seconds))
        for seed in 0..<seeds {
            for (m, sizes) in [(Self.methods[1], [784, 10]), (Self.methods[2], [784, hidden, 10])] {
                var g = RandomGenerator(seed: UInt64(400 + seed))
                let model = Sequential.mlp(backend, sizes: sizes, generator: &g)
                let trainer = Trainer(model: model, loss: SoftmaxCrossEntropy(backend), optimizer: Adam(backend, learningRate: 0.001))
                let t = Date()
                let history = try trainer.fit(train, options: FitOptions(epochs: fashionEpochs, batchSize: 128, validationSplit: 0, seed: UInt64(seed)))
                let run = ClassifierRun(method: m, seed: seed, testAccuracy: ExperimentData.accuracy(model, test), seconds: Date().timeIntervalSince(t))
                classifiers.append(run)
                progress(String(format: "Fashion-MNIST %@ seed %d: test accuracy %.4f after %d steps, training loss %.3f (%.2f s)", m as NSString, seed,
                                run.testAccuracy, history.steps, history.epochs.last!.loss, run.seconds))
            }
        }
        return Results(regression: regression, classifiers: classifiers)
    }

    /// Ridge least squares onto one-hot targets: ([X 1]ᵀ[X 1] + λI)·W = [X 1]ᵀY, class = argmax.
    func leastSquaresAccuracy<B: Backend>(_ backend: B, _ train: Dataset, _ test: Dataset) throws -> Double {
        let n = train.count, d = train.featureCount + 1, k = train.classes ?? 10
        let xa = Tensor(shape: [n, d])
        for i in 0..<n {
            (xa.data + i * d).update(from: train.features.data + i * (d - 1), count: d - 1)
            xa.data[i * d + d - 1] = 1
        }
        let a = Tensor(shape: [d, d]), w = Tensor(shape: [d, k])
        backend.gemm(.transpose, .none, m: d, n: d, k: n, alpha: 1, a: xa.data, lda: d, b: xa.data, ldb: d, beta: 0, c: a.data, ldc: d)
        for i in 0..<d { a.data[i * d + i] += ridge }
        backend.gemm(.transpose, .none, m: d, n: k, k: n, alpha: 1, a: xa.data, lda: d, b: train.targets.data, ldb: k, beta: 0, c: w.data, ldc: k)
        try backend.solve(n: d, nrhs: k, a: a.data, b: w.data)
        let m = test.count
        let xt = Tensor(shape: [m, d]), scores = Tensor(shape: [m, k])
        for i in 0..<m {
            (xt.data + i * d).update(from: test.features.data + i * (d - 1), count: d - 1)
            xt.data[i * d + d - 1] = 1
        }
        backend.gemm(.none, .none, m: m, n: k, k: d, alpha: 1, a: xt.data, lda: d, b: w.data, ldb: k, beta: 0, c: scores.data, ldc: k)
        return ExperimentData.accuracy(scores: scores, labels: test.labels!)
    }

    public func report(_ r: Results) -> ExperimentReport {
        let reg = r.regression
        let reached = reg.compactMap(\.epochsToClosedForm).map(Double.init)
        var table = markdownTable(["regression", "train MSE", "test MSE", "seconds", "epochs to within 1%", "‖θ − θ_LS‖"], [
            ["closed form", Spread(reg.map(\.closedTrainMSE)).text("%.4f"), Spread(reg.map(\.closedTestMSE)).text("%.4f"), Spread(reg.map(\.closedSeconds)).text("%.2g"), "—", "0"],
            ["1-FC net, SGD", Spread(reg.map(\.netTrainMSE)).text("%.4f"), Spread(reg.map(\.netTestMSE)).text("%.4f"), Spread(reg.map(\.netSeconds)).text("%.2g"),
             reached.count == reg.count ? Spread(reached).text("%.1f") : "\(reached.count) of \(reg.count) reached", Spread(reg.map(\.weightDistance)).text("%.2g")],
        ])
        table += "\n" + markdownTable(["Fashion-MNIST", "test accuracy", "seconds"], Self.methods.map { m in
            [m, r.accuracy(m).text("%.4f"), Spread(r.classifiers.filter { $0.method == m }.map(\.seconds)).text("%.2g")]
        })
        let (ls, sm, mlp) = (r.accuracy(Self.methods[0]).mean, r.accuracy(Self.methods[1]).mean, r.accuracy(Self.methods[2]).mean)
        let verdict = String(format: "Verdict: for regression they are the same model with the same optimum — the closed form lands on it exactly in %.2g s (train MSE %.4f), the one-layer net trained by SGD comes within 1%% after %@ epochs (%.2g s) and ends %.2g away in weight space, with the same test MSE (%.4f vs %.4f). The closed form wins while d is small enough to solve a d×d system; the net's SGD wins when it is not (and generalises to losses without a closed form). For classification, least squares on one-hot targets reaches %.1f%% on Fashion-MNIST, softmax regression %.1f%% — the cross-entropy loss models class probabilities, where squared error also penalises confident right answers — and one hidden layer of %d ReLU units %.1f%%: the non-linearity, not the optimiser, is what beats the linear models.",
                             Spread(reg.map(\.closedSeconds)).mean, Spread(reg.map(\.closedTrainMSE)).mean,
                             (reached.isEmpty ? "never" : String(format: "%.1f", Spread(reached).mean)) as NSString, Spread(reg.map(\.netSeconds)).mean,
                             Spread(reg.map(\.weightDistance)).mean, Spread(reg.map(\.netTestMSE)).mean, Spread(reg.map(\.closedTestMSE)).mean,
                             100 * ls, 100 * sm, hidden, 100 * mlp)
        var csv = "part,method,seed,train_mse_or_empty,test_mse_or_accuracy,seconds,epochs_to_closed_form,weight_distance\n"
        for x in reg {
            csv += "regression,closed form,\(x.seed),\(x.closedTrainMSE),\(x.closedTestMSE),\(x.closedSeconds),,0\n"
            csv += "regression,sgd,\(x.seed),\(x.netTrainMSE),\(x.netTestMSE),\(x.netSeconds),\(x.epochsToClosedForm.map(String.init) ?? ""),\(x.weightDistance)\n"
        }
        for c in r.classifiers { csv += "fashion-mnist,\(c.method),\(c.seed),,\(c.testAccuracy),\(c.seconds),,\n" }
        var a = LineChart(title: "Regression: SGD vs closed form", xLabel: "epoch", yLabel: "training MSE", series: [
            LineChart.Series(name: "1-FC net, SGD (seed 0)", points: reg[0].curve.enumerated().map { (Double($0.offset + 1), $0.element) }),
            LineChart.Series(name: "closed form", points: [(1, reg[0].closedTrainMSE), (Double(reg[0].curve.count), reg[0].closedTrainMSE)], dashed: true),
        ])
        a.logY = true
        let bars = BarChart(title: "Fashion-MNIST test accuracy", yLabel: "accuracy", bars: Self.methods.map { m in
            let s = r.accuracy(m)
            return BarChart.Bar(label: m, value: s.mean, spread: s.sd)
        })
        return ExperimentReport(table: table, verdict: verdict, csv: csv, svg: Figure.svg([a, bars]))
    }
}
