import Foundation

/// The course's first claims, measured: Rosenblatt's perceptron converges on linearly separable
/// data (after finitely many updates, Novikoff's theorem) and cannot learn XOR; a 2-2-1 network
/// with a hidden layer can.
///
/// - **Separable**: `points` points uniform in [−1, 1]², class 1 where x₁ + 0.5·x₂ > 0.1, points
///   within `margin` of that line dropped; the perceptron rule (η = 1, w = b = 0) until a pass
///   without mistakes (at most `passes`): the passes and updates it took, the final accuracy.
/// - **XOR**: the four corners (0,0)→0, (0,1)→1, (1,0)→1, (1,1)→0; the same rule for `passes`
///   passes: whether any pass was mistake-free, and the best accuracy of the weights after a pass.
/// - **2-2-1 MLP on XOR**: Dense(2→2, tanh) → Dense(2→1), binary cross-entropy on the logit,
///   Adam 0.05, `mlpSteps` full-batch steps: accuracy on the four corners.
///
/// Each over `seeds` seeds (the data for the separable set, the presentation order, the MLP's
/// initial weights). The 2-2-1 network has local minima on XOR (a hidden unit saturates and the
/// output settles at ½ for two corners): about two seeds in three reach accuracy 1 (13 of 20
/// measured, at Adam 0.01, 0.05 or 0.2 and 2000 or 10 000 steps alike).
public struct PerceptronExperiment: Sendable {
    public var seeds = 5
    public var points = 200
    public var margin: Float = 0.05
    public var passes = 100
    public var mlpSteps = 2000

    public init() {}

    /// The version the tests run: 10 seeds (it takes milliseconds).
    public static var quick: PerceptronExperiment {
        var e = PerceptronExperiment()
        e.seeds = 10
        return e
    }

    public struct Result: Sendable {
        public var seed: Int
        /// Separable set: passes until one without mistakes (nil: none within `passes`), updates, accuracy.
        public var separablePasses: Int?
        public var separableUpdates: Int
        public var separableAccuracy: Double
        /// XOR with the perceptron: whether a pass was mistake-free, the best accuracy after a pass.
        public var xorConverged: Bool
        public var xorBestAccuracy: Double
        /// XOR with the 2-2-1 network: accuracy on the four corners, final loss.
        public var mlpAccuracy: Double
        public var mlpLoss: Double
    }

    /// The separable set of seed `seed`.
    public func separable(seed: Int) -> Dataset {
        var g = RandomGenerator(seed: UInt64(500 + seed))
        var xs: [Float] = [], labels: [Int32] = []
        while labels.count < points {
            let x = 2 * g.nextUnit() - 1, y = 2 * g.nextUnit() - 1
            let s = x + 0.5 * y - 0.1
            guard abs(s) / Float(1.25).squareRoot() >= margin else { continue }
            xs += [x, y]
            labels.append(s > 0 ? 1 : 0)
        }
        let t = Tensor(shape: [points, 2])
        t.data.update(from: xs, count: xs.count)
        return Dataset.classification(name: "separable", features: t, labels: labels, classes: 2)
    }

    /// The four XOR corners.
    public static func xor() -> Dataset {
        let t = Tensor(shape: [4, 2])
        t.data.update(from: [0, 0, 0, 1, 1, 0, 1, 1], count: 8)
        return Dataset.classification(name: "xor", features: t, labels: [0, 1, 1, 0], classes: 2)
    }

    static func accuracy(_ predicted: [Float], _ labels: [Int32]) -> Double {
        Double(zip(predicted, labels).filter { Int32($0.0) == $0.1 }.count) / Double(labels.count)
    }

    public func run<B: Backend>(on backend: B, progress: (Int, Int, Result) -> Void = { _, _, _ in }) -> [Result] {
        var out: [Result] = []
        for seed in 0..<seeds {
            let r = run(seed: seed, on: backend)
            out.append(r)
            progress(seed + 1, seeds, r)
        }
        return out
    }

    public func run<B: Backend>(seed: Int, on backend: B) -> Result {
        let data = separable(seed: seed)
        var g = RandomGenerator(seed: UInt64(seed))
        let p = Perceptron(backend, inputs: 2)
        let mistakes = p.fit(data, epochs: passes, generator: &g)
        let sepAccuracy = Self.accuracy(p.predict(data.features), data.labels!)
        // XOR: pass by pass, to record the best weights' accuracy.
        let xor = Self.xor()
        let q = Perceptron(backend, inputs: 2)
        var best = 0.0, converged = false
        for _ in 0..<passes {
            let m = q.fit(xor, epochs: 1, generator: &g)
            best = max(best, Self.accuracy(q.predict(xor.features), xor.labels!))
            if m == [0] { converged = true; break }
        }
        let (mlpAccuracy, mlpLoss) = mlp(seed: seed, on: backend)
        return Result(seed: seed, separablePasses: mistakes.last == 0 ? mistakes.count : nil, separableUpdates: mistakes.reduce(0, +),
                      separableAccuracy: sepAccuracy, xorConverged: converged, xorBestAccuracy: best, mlpAccuracy: mlpAccuracy, mlpLoss: mlpLoss)
    }

    /// The 2-2-1 network on XOR: (accuracy, final loss).
    public func mlp<B: Backend>(seed: Int, on backend: B) -> (Double, Double) {
        let model = xorNetwork(seed: seed, on: backend)
        let xor = Self.xor()
        let step = TrainingStep(model: model, loss: BinaryCrossEntropyWithLogits(backend), optimizer: Adam(backend, learningRate: 0.05))
        var last: Float = 0
        for _ in 0..<mlpSteps { last = step.run(TensorView(xor.features), .classes(xor.labels![...])).loss }
        let logits = model.predict(xor.features)
        let predicted = (0..<4).map { logits.data[$0] > 0 ? Float(1) : 0 }
        return (Self.accuracy(predicted, xor.labels!), Double(last))
    }

    /// Dense(2→2, tanh) → Dense(2→1), initialised from `seed`.
    public func xorNetwork<B: Backend>(seed: Int, on backend: B) -> Sequential<B> {
        var g = RandomGenerator(seed: UInt64(77 + seed))
        return Sequential(backend, layers: [Dense(backend, inputs: 2, outputs: 2, activation: .tanh, generator: &g),
                                            Dense(backend, inputs: 2, outputs: 1, generator: &g)])
    }
}

extension PerceptronExperiment: Experiment {
    public static let name = "perceptron"
    public static let claim = "the perceptron rule converges on linearly separable data and cannot learn XOR; a 2-2-1 network can"

    public var setup: String {
        "perceptron rule (η = 1, w = b = 0, at most \(passes) passes) on \(points) separable points (margin \(margin)) and on XOR; 2-2-1 tanh network, Adam 0.05, \(mlpSteps) steps"
    }

    /// The runs, and the decision-boundary panels drawn from seed 0's perceptrons and the first
    /// network that learnt XOR.
    public struct Results: Sendable {
        public var runs: [Result]
        public var panels: [String]
    }

    public func measure<B: Backend>(on backend: B, progress: (String) -> Void) throws -> Results {
        let runs = run(on: backend) { done, total, r in
            progress("[\(done)/\(total)] seed \(r.seed): separable \(r.separablePasses.map { "converged in \($0) passes" } ?? "not converged"), \(r.separableUpdates) updates, accuracy \(r.separableAccuracy); XOR perceptron \(r.xorConverged ? "converged" : "never converged"), best accuracy \(r.xorBestAccuracy); XOR 2-2-1 network accuracy \(r.mlpAccuracy)")
        }
        let data = separable(seed: 0), xor = Self.xor()
        var g = RandomGenerator(seed: 0)
        let p = Perceptron(backend, inputs: 2)
        p.fit(data, epochs: passes, generator: &g)
        let q = Perceptron(backend, inputs: 2)
        q.fit(xor, epochs: passes, generator: &g)
        // The network of the first seed that learnt XOR (seed 0's when none did).
        let shown = runs.first { $0.mlpAccuracy == 1 }?.seed ?? 0
        let net = xorNetwork(seed: shown, on: backend)
        let step = TrainingStep(model: net, loss: BinaryCrossEntropyWithLogits(backend), optimizer: Adam(backend, learningRate: 0.05))
        for _ in 0..<mlpSteps { step.run(TensorView(xor.features), .classes(xor.labels![...])) }
        func panel(_ title: String, _ d: Dataset, _ f: (Tensor) -> [Int32]) -> String {
            DecisionBoundaryChart(title: title).body(points: d.features, labels: d.labels!, classify: f)
        }
        let panels = [
            panel("Perceptron, separable: converged", data) { p.predict($0).map { Int32($0) } },
            panel("Perceptron, XOR: no line works", xor) { q.predict($0).map { Int32($0) } },
            panel("2-2-1 tanh network, XOR (seed \(shown))", xor) { x in let z = net.predict(x); return (0..<x.shape[0]).map { z.data[$0] > 0 ? 1 : 0 } },
        ]
        return Results(runs: runs, panels: panels)
    }

    public func report(_ r: Results) -> ExperimentReport {
        let results = r.runs
        func stats(_ v: [Double]) -> String { Spread(v).text("%.2f") }
        let converged = results.filter { $0.separablePasses != nil }
        let passesText = stats(converged.map { Double($0.separablePasses!) }), updates = stats(results.map { Double($0.separableUpdates) })
        let learnt = results.filter { $0.mlpAccuracy == 1 }.count
        let table = markdownTable(["", "separable, perceptron", "XOR, perceptron", "XOR, 2-2-1 network"], [
            ["converged (seeds)", "\(converged.count)/\(results.count)", "\(results.filter(\.xorConverged).count)/\(results.count)", "\(learnt)/\(results.count) at accuracy 1"],
            ["accuracy", stats(results.map(\.separableAccuracy)), "best \(stats(results.map(\.xorBestAccuracy)))", stats(results.map(\.mlpAccuracy))],
            ["passes / updates", "\(passesText) / \(updates)", "\(passes) passes", "\(mlpSteps) steps"],
        ])
        let verdict = "Verdict: the perceptron separated the linearly separable set on \(converged.count) of \(results.count) seeds, after \(passesText) passes (\(updates) updates), as the convergence theorem promises; on XOR it never made a pass without mistakes in \(passes) passes on \(results.filter { !$0.xorConverged }.count) of \(results.count) seeds and its best weights classified \(stats(results.map(\.xorBestAccuracy))) of the four points — no line separates XOR. One hidden layer of two tanh units learns it: accuracy 1 on \(learnt) of \(results.count) seeds (the rest stall in the 2-2-1 network's local minima, with two corners at ½)."
        var csv = "seed,separable_passes,separable_updates,separable_accuracy,xor_perceptron_converged,xor_perceptron_best_accuracy,xor_mlp_accuracy,xor_mlp_loss\n"
        for x in results {
            csv += "\(x.seed),\(x.separablePasses.map(String.init) ?? ""),\(x.separableUpdates),\(x.separableAccuracy),\(x.xorConverged),\(x.xorBestAccuracy),\(x.mlpAccuracy),\(x.mlpLoss)\n"
        }
        let chart = DecisionBoundaryChart(title: "")
        return ExperimentReport(table: table, verdict: verdict, csv: csv,
                                svg: DecisionBoundaryChart.document(r.panels, width: chart.width, height: chart.height))
    }
}
