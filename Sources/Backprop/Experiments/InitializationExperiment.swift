import Foundation

/// Initialisation and the scale of activations: deep nets (784 → `width` × `depth` → 10) of ReLU
/// and of tanh units, initialised with N(0, 1), small uniform U(±0.01), Xavier/Glorot, He and
/// LeCun. On a Fashion-MNIST batch at initialisation, the standard deviation of each hidden
/// layer's output: each layer multiplies the variance by fan-in · Var(w) · (½ for ReLU), so
/// N(0, 1) explodes, U(±0.01) vanishes, and He (ReLU) or Xavier/LeCun (tanh) keep it near
/// constant. Then each net trained by SGD with momentum: its loss curve. The histogram shows the
/// last tanh layer's outputs: saturated at ±1, collapsed at 0, or spread.
public struct InitializationExperiment: Experiment {
    public static let name = "initialization"
    public static let claim = "N(0, 1) weights explode activations through deep nets, small ones vanish; Xavier (tanh) and He (ReLU) keep their scale, and train"

    public static let schemes: [(name: String, initializer: Initializer)] = [
        ("N(0, 1)", .normal(std: 1)), ("U(±0.01)", .uniform(limit: 0.01)), ("Xavier", .xavierUniform), ("He", .heNormal), ("LeCun", .lecunNormal),
    ]
    public var activations: [Activation] = [.relu, .tanh]
    public var depth = 20
    public var width = 256
    public var seeds = 3
    public var batchSize = 512
    public var trainCount = 10_000
    public var epochs = 3
    public var learningRate: Float = 0.01

    public init() {}

    public static var quick: InitializationExperiment {
        var e = InitializationExperiment()
        e.depth = 12
        e.width = 128
        e.seeds = 2
        e.trainCount = 2000
        e.epochs = 2
        return e
    }

    public var setup: String {
        "784-\(width)×\(depth)-10 ReLU and tanh nets; activation statistics on \(batchSize) Fashion-MNIST images; SGD \(learningRate) with momentum 0.9, batches of 64, \(epochs) epochs on \(trainCount)"
    }

    public struct Run: Sendable {
        public var activation: String
        public var scheme: String
        public var seed: Int
        /// The standard deviation of each hidden layer's output at initialisation.
        public var stds: [Double]
        /// Training loss per epoch (non-finite: diverged).
        public var losses: [Double]
        /// The last hidden layer's outputs at initialisation (a sample, for the histogram).
        public var lastHidden: [Double]
    }

    public struct Results: Sendable {
        public var runs: [Run]
        public func runs(_ a: String, _ s: String) -> [Run] { runs.filter { $0.activation == a && $0.scheme == s } }
        /// log10 of the last hidden layer's std over the first's, mean over seeds.
        public func growth(_ a: String, _ s: String) -> Spread {
            Spread(runs(a, s).map { log10(max($0.stds.last!, 1e-38)) - log10(max($0.stds.first!, 1e-38)) })
        }
        public func finalLoss(_ a: String, _ s: String) -> Double {
            let l = runs(a, s).map { $0.losses.last ?? .nan }
            return l.contains { !$0.isFinite } ? .nan : Spread(l).mean
        }
    }

    public func measure<B: Backend>(on backend: B, progress: (String) -> Void) throws -> Results {
        let (train, _) = try ExperimentData.fashionMNIST(train: trainCount, test: 1)
        let (x, _) = ExperimentData.batch(train, batchSize)
        var runs: [Run] = []
        for a in activations {
            for (name, initializer) in Self.schemes {
                for seed in 0..<seeds {
                    var g = RandomGenerator(seed: UInt64(700 + seed))
                    let model = Sequential.mlp(backend, sizes: [784] + Array(repeating: width, count: depth) + [10], activation: a,
                                               initializer: initializer, generator: &g)
                    let outputs = ExperimentData.layerOutputs(model, x).dropLast()
                    let stds = outputs.map { v -> Double in
                        let m = v.reduce(0.0) { $0 + Double($1) } / Double(v.count)
                        return (v.reduce(0.0) { $0 + (Double($1) - m) * (Double($1) - m) } / Double(v.count)).squareRoot()
                    }
                    let last = outputs.last!
                    let sample = stride(from: 0, to: last.count, by: max(1, last.count / 4000)).map { Double(last[$0]) }
                    let trainer = Trainer(model: model, loss: SoftmaxCrossEntropy(backend), optimizer: SGD(backend, learningRate: learningRate, momentum: 0.9))
                    var losses: [Double] = []
                    do {
                        for epoch in 1...epochs {
                            let h = try trainer.fit(train, options: FitOptions(epochs: 1, batchSize: 64, validationSplit: 0, seed: UInt64(100 * epoch + seed)))
                            losses.append(Double(h.epochs[0].loss))
                        }
                    } catch TrainingError.nonFiniteLoss {
                        losses.append(.nan)
                    }
                    let run = Run(activation: VanishingGradientsExperiment.label(a), scheme: name, seed: seed, stds: stds, losses: losses, lastHidden: sample)
                    runs.append(run)
                    progress(String(format: "%@, %@, seed %d: activation std layer 1 %.3g → layer %d %.3g; training loss per epoch %@", run.activation as NSString,
                                    name as NSString, seed, stds.first!, depth, stds.last!, run.losses.map { String(format: "%.3f", $0) }.joined(separator: ", ") as NSString))
                }
            }
        }
        return Results(runs: runs)
    }

    public func report(_ r: Results) -> ExperimentReport {
        let names = activations.map(VanishingGradientsExperiment.label)
        var rows: [[String]] = []
        for a in names {
            for (s, _) in Self.schemes {
                let rs = r.runs(a, s)
                rows.append([a, s, String(format: "%.3g", Spread(rs.map { $0.stds.first! }).mean), String(format: "%.3g", Spread(rs.map { $0.stds.last! }).mean),
                             r.growth(a, s).text("%.1f"), r.finalLoss(a, s).isFinite ? String(format: "%.3f", r.finalLoss(a, s)) : "diverged"])
            }
        }
        let table = markdownTable(["activation", "initialisation", "std of layer 1", "std of layer \(depth)", "log10 growth", "training loss after \(epochs) epochs"], rows)
        func g(_ a: String, _ s: String) -> Double { r.growth(a, s).mean }
        func loss(_ a: String, _ s: String) -> String { r.finalLoss(a, s).isFinite ? String(format: "%.3f", r.finalLoss(a, s)) : "NaN (it diverged)" }
        let verdict = String(format: "Verdict: through %d ReLU layers of %d units the activations' standard deviation changes by 10^%.1f with N(0, 1) (each layer multiplies the variance by fan-in·σ²/2 = %d), by 10^%.1f with U(±0.01), by 10^%.1f with He (fan-in·(2/fan-in)/2 = 1) and 10^%.1f with Xavier; in tanh nets by 10^%.1f with N(0, 1) (saturated at ±1), 10^%.1f with U(±0.01), 10^%.1f with Xavier and 10^%.1f with LeCun. Training follows: after %d epochs of SGD the ReLU net's loss is %@ with N(0, 1), %@ with U(±0.01), %@ with He; the tanh net's %@ with N(0, 1), %@ with U(±0.01), %@ with Xavier (log 10 = 2.303 is chance).",
                             depth, width, g("ReLU", "N(0, 1)"), width / 2, g("ReLU", "U(±0.01)"), g("ReLU", "He"), g("ReLU", "Xavier"),
                             g("tanh", "N(0, 1)"), g("tanh", "U(±0.01)"), g("tanh", "Xavier"), g("tanh", "LeCun"), epochs,
                             loss("ReLU", "N(0, 1)") as NSString, loss("ReLU", "U(±0.01)") as NSString, loss("ReLU", "He") as NSString,
                             loss("tanh", "N(0, 1)") as NSString, loss("tanh", "U(±0.01)") as NSString, loss("tanh", "Xavier") as NSString)
        var csv = "activation,initialization,seed,layer_stds,training_losses\n"
        for run in r.runs {
            csv += "\(run.activation),\(run.scheme),\(run.seed),\(run.stds.map { String($0) }.joined(separator: ";")),\(run.losses.map { String($0) }.joined(separator: ";"))\n"
        }
        var charts: [any Chart] = []
        for a in names {
            var c = LineChart(title: "\(a): activation std per layer", xLabel: "hidden layer", yLabel: "standard deviation", series: Self.schemes.map { s in
                let rs = r.runs(a, s.name)
                return LineChart.Series(name: s.name, points: (0..<depth).map { l in
                    (Double(l + 1), pow(10, rs.map { log10(max($0.stds[l], 1e-38)) }.reduce(0, +) / Double(rs.count)))
                })
            })
            c.logY = true
            charts.append(c)
        }
        var loss = LineChart(title: "Training loss", xLabel: "epoch", yLabel: "cross-entropy", series: names.flatMap { a in
            Self.schemes.compactMap { s -> LineChart.Series? in
                let rs = r.runs(a, s.name)
                guard let n = rs.first?.losses.count, rs.allSatisfy({ $0.losses.allSatisfy(\.isFinite) }) else { return nil }
                return LineChart.Series(name: "\(a), \(s.name)", points: (0..<n).map { e in (Double(e + 1), Spread(rs.map { $0.losses[e] }).mean) }, dashed: a == "tanh")
            }
        })
        loss.logY = true
        loss.width = 580
        charts.append(loss)
        if let tanh = names.first(where: { $0 == "tanh" }) {
            var h = Histogram(title: "tanh: layer \(depth)'s outputs at initialisation", xLabel: "activation",
                              samples: ["N(0, 1)", "U(±0.01)", "Xavier"].compactMap { s in r.runs(tanh, s).first.map { Histogram.Sample(name: s, values: $0.lastHidden) } })
            h.range = -1...1
            h.logCount = true
            charts.append(h)
        }
        return ExperimentReport(table: table, verdict: verdict, csv: csv, svg: Figure.svg(charts))
    }
}
