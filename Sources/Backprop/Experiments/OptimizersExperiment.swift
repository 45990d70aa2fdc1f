import Foundation

/// The ten optimisers side by side. On Fashion-MNIST, the same 784-128-10 ReLU net from the same
/// initialisation, trained with each optimiser at its default (PyTorch's) learning rate: training
/// loss per epoch and per second, and the epochs to a target loss. On Rosenbrock's valley
/// f(x, y) = (1 − x)² + 100(y − x²)², from (−1.5, 2): each optimiser's path at its best rate from
/// a grid (the lowest f after `surfaceSteps` steps), drawn over the contours.
public struct OptimizersExperiment: Experiment {
    public static let name = "optimizers"
    public static let claim = "momentum and the adaptive optimisers (AdaGrad … AdamW) reach a target loss in fewer epochs than plain SGD; their paths on Rosenbrock's valley"

    public var optimizers = OptimizerKind.allCases
    public var seeds = 3
    public var trainCount = 10_000
    public var epochs = 8
    public var batchSize = 64
    public var hidden = 128
    public var targetLoss = 0.5
    public var surfaceSteps = 2000
    public var surfaceRates: [Float] = [1, 0.3, 0.1, 0.03, 0.01, 0.003, 0.001, 0.0003, 0.0001]
    public static let start = (x: -1.5, y: 2.0)

    public init() {}

    public static var quick: OptimizersExperiment {
        var e = OptimizersExperiment()
        e.seeds = 1
        e.trainCount = 3000
        e.epochs = 4
        e.targetLoss = 0.65
        e.surfaceSteps = 500
        return e
    }

    public var setup: String {
        "784-\(hidden)-10 ReLU on \(trainCount) Fashion-MNIST images, batches of \(batchSize), \(epochs) epochs, each optimiser at its default rate, target training loss \(targetLoss); Rosenbrock from (−1.5, 2), \(surfaceSteps) steps at the best of \(surfaceRates.count) rates"
    }

    public struct Run: Sendable {
        public var optimizer: OptimizerKind
        public var seed: Int
        public var losses: [Double]
        /// Seconds since the start at the end of each epoch.
        public var times: [Double]
        /// Epochs until the training loss reached the target, interpolated in log(loss) between
        /// the epochs' losses (epoch 0: log 10, the loss of a uniform guess); nil if never.
        public var epochsToTarget: Double?
    }

    public struct Path: Sendable {
        public var optimizer: OptimizerKind
        public var learningRate: Float
        public var points: [(x: Double, y: Double)]
        public var finalValue: Double
    }

    public struct Results: Sendable {
        public var runs: [Run]
        public var paths: [Path]
        public func epochsToTarget(_ o: OptimizerKind) -> Double {
            let e = runs.filter { $0.optimizer == o }.map { $0.epochsToTarget ?? .infinity }
            return e.contains(.infinity) ? .infinity : Spread(e).mean
        }
    }

    public static func rosenbrock(_ x: Double, _ y: Double) -> Double { (1 - x) * (1 - x) + 100 * (y - x * x) * (y - x * x) }

    /// `steps` steps of `kind` at `rate` on Rosenbrock's function from `start`; the visited points.
    public static func descend<B: Backend>(_ kind: OptimizerKind, rate: Float, steps: Int, on backend: B) -> [(x: Double, y: Double)] {
        let p = Parameter(name: "xy", shape: [2], isWeight: false)
        let arena = ParameterArena(gathering: [("xy", p)])
        p.value.data[0] = Float(start.x)
        p.value.data[1] = Float(start.y)
        let o = kind.make(backend, learningRate: rate)
        var points = [(x: start.x, y: start.y)]
        for _ in 0..<steps {
            let x = Double(p.value.data[0]), y = Double(p.value.data[1])
            p.grad.data[0] = Float(-2 * (1 - x) - 400 * x * (y - x * x))
            p.grad.data[1] = Float(200 * (y - x * x))
            o.step(arena)
            let q = (x: Double(p.value.data[0]), y: Double(p.value.data[1]))
            points.append(q)
            if !q.x.isFinite || !q.y.isFinite || abs(q.x) > 1e6 || abs(q.y) > 1e6 { break }
        }
        return points
    }

    public func measure<B: Backend>(on backend: B, progress: (String) -> Void) throws -> Results {
        let (train, _) = try ExperimentData.fashionMNIST(train: trainCount, test: 1)
        var runs: [Run] = []
        for seed in 0..<seeds {
            for o in optimizers {
                var g = RandomGenerator(seed: UInt64(800 + seed))
                let model = Sequential.mlp(backend, sizes: [784, hidden, 10], generator: &g)
                let trainer = Trainer(model: model, loss: SoftmaxCrossEntropy(backend), optimizer: o.make(backend))
                var losses: [Double] = [], times: [Double] = []
                let t0 = Date()
                for epoch in 1...epochs {
                    let h = try trainer.fit(train, options: FitOptions(epochs: 1, batchSize: batchSize, validationSplit: 0, seed: UInt64(100 * epoch + seed)))
                    losses.append(Double(h.epochs[0].loss))
                    times.append(Date().timeIntervalSince(t0))
                }
                let reached = losses.firstIndex { $0 <= targetLoss }.map { i -> Double in
                    let before = i == 0 ? log(10) : losses[i - 1]
                    return Double(i) + (log(before) - log(targetLoss)) / max(log(before) - log(losses[i]), 1e-12)
                }
                runs.append(Run(optimizer: o, seed: seed, losses: losses, times: times, epochsToTarget: reached))
                progress(String(format: "%@ (η %g) seed %d: training loss %@; %@", o.rawValue as NSString, o.defaultLearningRate, seed,
                                losses.map { String(format: "%.3f", $0) }.joined(separator: ", ") as NSString,
                                (reached.map { String(format: "loss ≤ %g after %.2f epochs", targetLoss, $0) } ?? "loss > \(targetLoss) after \(epochs) epochs") as NSString))
            }
        }
        var paths: [Path] = []
        for o in optimizers {
            var best: Path?
            for rate in surfaceRates {
                let pts = Self.descend(o, rate: rate, steps: surfaceSteps, on: backend)
                let f = pts.count == surfaceSteps + 1 ? Self.rosenbrock(pts.last!.x, pts.last!.y) : .infinity
                if f.isFinite && f < (best?.finalValue ?? .infinity) { best = Path(optimizer: o, learningRate: rate, points: pts, finalValue: f) }
            }
            if let best {
                paths.append(best)
                progress(String(format: "Rosenbrock, %@: best η %g, f = %.3g at (%.3f, %.3f) after %d steps", o.rawValue as NSString, best.learningRate, best.finalValue,
                                best.points.last!.x, best.points.last!.y, surfaceSteps))
            } else {
                progress("Rosenbrock, \(o.rawValue): diverged at every rate")
            }
        }
        return Results(runs: runs, paths: paths)
    }

    public func report(_ r: Results) -> ExperimentReport {
        let table = markdownTable(["optimiser", "default η", "loss after 1 epoch", "after \(epochs)", "epochs to ≤ \(targetLoss)", "seconds per epoch", "Rosenbrock: best η", "f after \(surfaceSteps) steps"],
                                  optimizers.map { o in
            let rs = r.runs.filter { $0.optimizer == o }
            let e = r.epochsToTarget(o)
            let path = r.paths.first { $0.optimizer == o }
            return [o.rawValue, String(format: "%g", o.defaultLearningRate), Spread(rs.map { $0.losses[0] }).text("%.3f"), Spread(rs.map { $0.losses.last! }).text("%.3f"),
                    e.isFinite ? String(format: "%.2f", e) : "> \(epochs)", String(format: "%.2f", Spread(rs.map { $0.times.last! / Double(epochs) }).mean),
                    path.map { String(format: "%g", $0.learningRate) } ?? "—", path.map { String(format: "%.2g", $0.finalValue) } ?? "diverged"]
        })
        func e(_ o: OptimizerKind) -> String { let v = r.epochsToTarget(o); return v.isFinite ? String(format: "%.2f", v) : "more than \(epochs)" }
        let fastest = optimizers.min { r.epochsToTarget($0) < r.epochsToTarget($1) }!.rawValue
        let slowerThanSGD = optimizers.filter { $0 != .sgd && r.epochsToTarget($0) >= r.epochsToTarget(.sgd) }
        let bestPath = r.paths.min { $0.finalValue < $1.finalValue }
        let sgdPath = r.paths.first { $0.optimizer == .sgd }
        var verdict = String(format: "Verdict: at their default rates, plain SGD needs %@ epochs to bring the training loss to %.2g, momentum %@, Nesterov %@, Adam %@, AdamW %@, RMSprop %@, AdaGrad %@, Adadelta %@, AdaMax %@; the fastest: %@.",
                             e(.sgd) as NSString, targetLoss, e(.momentum) as NSString, e(.nesterov) as NSString, e(.adam) as NSString, e(.adamw) as NSString,
                             e(.rmsprop) as NSString, e(.adagrad) as NSString, e(.adadelta) as NSString, e(.adamax) as NSString, fastest as NSString)
        verdict += slowerThanSGD.isEmpty ? " Every other optimiser beats plain SGD." : " Not faster than SGD here: \(slowerThanSGD.map(\.rawValue).joined(separator: ", "))."
        verdict += " Per epoch they cost about the same (the update is a few passes over the parameters next to the GEMMs)."
        if let bestPath, let sgdPath {
            verdict += String(format: " On Rosenbrock's curved valley, SGD at its best stable rate (%g) ends at f = %.2g after %d steps, %@ at f = %.2g (η %g): momentum and per-coordinate scaling follow the valley floor where plain gradient steps zig-zag across it.",
                              sgdPath.learningRate, sgdPath.finalValue, surfaceSteps, bestPath.optimizer.rawValue as NSString, bestPath.finalValue, bestPath.learningRate)
        }
        var csv = "part,optimizer,seed_or_rate,epoch_or_step,loss_or_x,seconds_or_y\n"
        for run in r.runs {
            for (i, l) in run.losses.enumerated() { csv += "fashion-mnist,\(run.optimizer.rawValue),\(run.seed),\(i + 1),\(l),\(run.times[i])\n" }
        }
        for p in r.paths {
            for (i, q) in p.points.enumerated() where i % max(1, p.points.count / 200) == 0 || i == p.points.count - 1 {
                csv += "rosenbrock,\(p.optimizer.rawValue),\(p.learningRate),\(i),\(q.x),\(q.y)\n"
            }
        }
        func mean(_ o: OptimizerKind, _ key: KeyPath<Run, [Double]>) -> [Double] {
            let rs = r.runs.filter { $0.optimizer == o }
            return (0..<epochs).map { i in Spread(rs.map { $0[keyPath: key][i] }).mean }
        }
        var byEpoch = LineChart(title: "Training loss per epoch", xLabel: "epoch", yLabel: "cross-entropy", series: optimizers.map { o in
            LineChart.Series(name: o.rawValue, points: mean(o, \.losses).enumerated().map { (Double($0.offset + 1), $0.element) }, dashed: o.rawValue.count > 7)
        })
        byEpoch.logY = true
        byEpoch.width = 580
        var byTime = LineChart(title: "Training loss per second", xLabel: "seconds", yLabel: "cross-entropy", series: optimizers.map { o in
            LineChart.Series(name: o.rawValue, points: Array(zip(mean(o, \.times), mean(o, \.losses))), dashed: o.rawValue.count > 7)
        })
        byTime.logY = true
        byTime.width = 580
        var contour = ContourChart(title: "Rosenbrock: paths at each one's best η", xLabel: "x", yLabel: "y", x: -2...2, y: -1...3,
                                   levels: [0.5, 2, 5, 10, 25, 50, 100, 200, 400, 800, 1600]) { Self.rosenbrock($0, $1) }
        contour.paths = r.paths.map { p in
            LineChart.Series(name: "\(p.optimizer.rawValue) η \(String(format: "%g", p.learningRate))",
                             points: p.points.enumerated().filter { $0.offset % max(1, p.points.count / 400) == 0 }.map(\.element) + [p.points.last!])
        }
        contour.marked = (1, 1)
        return ExperimentReport(table: table, verdict: verdict, csv: csv, svg: Figure.svg([byEpoch, byTime, contour], columns: 3))
    }
}
