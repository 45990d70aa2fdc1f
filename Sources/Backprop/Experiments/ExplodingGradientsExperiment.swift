import Foundation

/// The notes' exploding and vanishing products, measured: a deep linear network whose every
/// layer is W = c·I (10 units, no bias) maps x to c^L·x, and the gradient of ½‖y‖² reaching its
/// first layer is c^(2L−1)·x·xᵀ — with c = 1.5 both explode, with c = 0.5 both vanish, as 1.5ᴸ
/// and 0.5ᴸ. Then the remedy for the exploding half: a deep tanh network (1-32×`depth`-1) fitting
/// 2·sin(x²) + √(5x) on [0, 3] by plain SGD at a learning rate too large for it, with and without
/// clipping the gradients to global norm 1.
public struct ExplodingGradientsExperiment: Sendable {
    public var depths = [1, 5, 10, 15, 20, 25, 30]
    public var factors: [Float] = [1.5, 0.5]
    public var width = 10
    /// The training half: depth, steps, learning rate, seeds.
    public var trainDepth = 8
    public var trainSteps = 300
    public var learningRate: Float = 0.5
    public var seeds = 3

    public init() {}

    /// The version the tests run.
    public static var quick: ExplodingGradientsExperiment {
        var e = ExplodingGradientsExperiment()
        e.trainSteps = 150
        e.seeds = 2
        return e
    }

    /// Output and first-layer gradient norms of the c·I network of depth L, measured and predicted.
    public struct Product: Sendable {
        public var factor: Float
        public var depth: Int
        public var outputGain: Double, predictedOutputGain: Double
        public var firstLayerGradient: Double, predictedFirstLayerGradient: Double
    }

    /// One training run: final loss (nan/inf when it diverged) and the largest gradient norm seen.
    public struct Training: Sendable {
        public var clipped: Bool
        public var seed: Int
        public var finalLoss: Double
        public var largestGradientNorm: Double
        public var diverged: Bool { !finalLoss.isFinite || finalLoss > 1e3 }
    }

    public func products<B: Backend>(on backend: B) -> [Product] {
        var out: [Product] = []
        let d = width
        let x = Tensor(shape: [1, d])
        var g = RandomGenerator(seed: 3)
        g.fill(.uniform(low: -1, high: 1), x.data, count: d)
        var xx = 0.0
        for i in 0..<d { xx += Double(x.data[i]) * Double(x.data[i]) }
        for c in factors {
            for depth in depths {
                var layers: [any Layer<B>] = []
                for _ in 0..<depth {
                    let l = Dense(backend, inputs: d, outputs: d, generator: &g)
                    l.weight.value.data.update(repeating: 0, count: d * d)
                    for i in 0..<d { l.weight.value.data[i * d + i] = c }
                    l.bias.value.data.update(repeating: 0, count: d)
                    layers.append(l)
                }
                let model = Sequential(backend, layers: layers)
                let y = model.forward(TensorView(x), training: true)
                var yy = 0.0
                for i in 0..<d { yy += Double(y.data[i]) * Double(y.data[i]) }
                // L = ½‖y‖²: ∂L/∂y = y.
                let dy = Tensor(shape: [1, d])
                dy.data.update(from: y.data, count: d)
                model.zeroGradients()
                model.backward(TensorView(dy))
                let w1 = model.parameters.parameters[0].grad
                var gg = 0.0
                for i in 0..<(d * d) { gg += Double(w1.data[i]) * Double(w1.data[i]) }
                let cd = Double(c)
                out.append(Product(factor: c, depth: depth, outputGain: (yy / xx).squareRoot(), predictedOutputGain: pow(cd, Double(depth)),
                                   firstLayerGradient: gg.squareRoot(), predictedFirstLayerGradient: pow(cd, Double(2 * depth - 1)) * xx))
            }
        }
        return out
    }

    /// The training data: 256 points of 2·sin(x²) + √(5x) on [0, 3].
    public var trainingData: Dataset { SyntheticDataset.uat.make(count: 256, seed: 1) }

    /// The MSE of answering the mean target: what a net that learnt nothing scores.
    public var baselineMSE: Double {
        let t = trainingData.targets
        let m = (0..<t.count).reduce(0.0) { $0 + Double(t.data[$1]) } / Double(t.count)
        return (0..<t.count).reduce(0.0) { $0 + (Double(t.data[$1]) - m) * (Double(t.data[$1]) - m) } / Double(t.count)
    }

    public func training<B: Backend>(on backend: B) -> [Training] {
        var out: [Training] = []
        let data = trainingData
        for clipped in [false, true] {
            for seed in 0..<seeds {
                var g = RandomGenerator(seed: UInt64(40 + seed))
                let model = Sequential.mlp(backend, sizes: [1] + Array(repeating: 32, count: trainDepth) + [1], activation: .tanh, generator: &g)
                let clip = ClipGradients(.norm(1))
                let norms = GradientNormProbe()
                let step = TrainingStep(model: model, loss: MeanSquaredError(backend), optimizer: SGD(backend, learningRate: learningRate),
                                        transforms: clipped ? [norms, clip] : [norms])
                var last: Float = 0
                for _ in 0..<trainSteps { last = step.run(TensorView(data.features), TensorView(data.targets)).loss }
                out.append(Training(clipped: clipped, seed: seed, finalLoss: Double(last), largestGradientNorm: Double(norms.largest)))
            }
        }
        return out
    }
}

/// A gradient transform that only records the largest global gradient norm it has seen.
final class GradientNormProbe: GradientTransform {
    var largest: Float = 0
    func apply(_ context: inout GradientContext) -> Bool {
        var total: Float = 0
        context.backend.reduce(.sumOfSquares, .all, context.parameters.gradients.data, rows: 1, cols: context.parameters.count, &total)
        largest = max(largest, total.squareRoot())
        return true
    }
}

extension ExplodingGradientsExperiment: Experiment {
    public static let name = "exploding-gradients"
    public static let claim = "W = 1.5·I vs 0.5·I through L layers: outputs and gradients as 1.5^L and 0.5^L; clipping tames a large learning rate"

    public var setup: String {
        "the c·I network (\(width) units, no bias) at depths \(depths.map(String.init).joined(separator: ", ")) for c = \(factors.map { String(format: "%g", $0) }.joined(separator: ", ")); a 1-32×\(trainDepth)-1 tanh net fitting 2 sin(x²) + √(5x) by SGD \(learningRate), \(trainSteps) steps, with and without clip-norm 1"
    }

    public struct Results: Sendable {
        public var products: [Product]
        public var runs: [Training]
    }

    public func measure<B: Backend>(on backend: B, progress: (String) -> Void) throws -> Results {
        let products = products(on: backend)
        progress("products through \(depths.count) depths × \(factors.count) factors measured")
        let runs = training(on: backend)
        for r in runs {
            progress(String(format: "tanh 1-32×%d-1, SGD %.2f, %@, seed %d: final MSE %@, largest gradient norm %.3g", trainDepth, learningRate,
                            (r.clipped ? "clip-norm 1" : "no clipping") as NSString, r.seed,
                            (r.finalLoss.isFinite ? String(format: "%.4f", r.finalLoss) : "\(r.finalLoss)") as NSString, r.largestGradientNorm))
        }
        return Results(products: products, runs: runs)
    }

    public func report(_ r: Results) -> ExperimentReport {
        let products = r.products, runs = r.runs
        var worst = 0.0
        for p in products {
            worst = max(worst, abs(p.outputGain / p.predictedOutputGain - 1), abs(p.firstLayerGradient / p.predictedFirstLayerGradient - 1))
        }
        let table = markdownTable(["depth", "c", "‖y‖/‖x‖ measured", "c^L", "‖∂L/∂W₁‖ measured", "c^(2L−1)‖x‖²"], products.map { p in
            ["\(p.depth)", String(format: "%.1f", p.factor), String(format: "%.4e", p.outputGain), String(format: "%.4e", p.predictedOutputGain),
             String(format: "%.4e", p.firstLayerGradient), String(format: "%.4e", p.predictedFirstLayerGradient)]
        })
        let free = runs.filter { !$0.clipped }, clipped = runs.filter(\.clipped)
        func median(_ v: [Double]) -> String {
            let s = v.map { $0.isFinite ? $0 : .infinity }.sorted()
            guard !s.isEmpty else { return "—" }
            return s[s.count / 2].isFinite ? String(format: "%.4g", s[s.count / 2]) : "NaN"
        }
        let deepest = depths.max()!
        let up = products.first { $0.factor == 1.5 && $0.depth == deepest }!, down = products.first { $0.factor == 0.5 && $0.depth == deepest }!
        let verdict = String(format: "Verdict: through %d layers of 1.5·I the output grows %.3g× and the first layer's gradient %.3g×; through 0.5·I they shrink to %.3g and %.3g — c^L and c^(2L−1) within %.2g%% at every depth. At SGD %.2g the deep tanh net without clipping ended at MSE %@ (median of %d seeds; %d diverged), with clip-norm 1 at %@ (answering the mean: %.3f): clipping bounds each step, so the large rate no longer throws the weights to infinity.",
                             deepest, up.outputGain, up.firstLayerGradient, down.outputGain, down.firstLayerGradient, 100 * worst, learningRate,
                             median(free.map(\.finalLoss)) as NSString, free.count, free.filter(\.diverged).count,
                             median(clipped.map(\.finalLoss)) as NSString, baselineMSE)
        var csv = "part,factor_or_clipped,depth_or_seed,measured_output_gain,predicted_output_gain,measured_gradient,predicted_gradient\n"
        for p in products {
            csv += "product,\(p.factor),\(p.depth),\(p.outputGain),\(p.predictedOutputGain),\(p.firstLayerGradient),\(p.predictedFirstLayerGradient)\n"
        }
        for x in runs { csv += "training,\(x.clipped),\(x.seed),,,\(x.largestGradientNorm),\(x.finalLoss)\n" }
        func series(_ c: Float, _ measured: Bool, gradient: Bool) -> LineChart.Series {
            let pts = products.filter { $0.factor == c }.map { p -> (x: Double, y: Double) in
                (Double(p.depth), gradient ? (measured ? p.firstLayerGradient : p.predictedFirstLayerGradient) : (measured ? p.outputGain : p.predictedOutputGain))
            }
            return LineChart.Series(name: "\(c)·I \(measured ? "measured" : gradient ? "c^(2L−1)‖x‖²" : "c^L")", points: pts, dashed: !measured)
        }
        var a = LineChart(title: "Output norm gain ‖y‖/‖x‖", xLabel: "depth L", yLabel: "gain",
                          series: [series(1.5, true, gradient: false), series(1.5, false, gradient: false), series(0.5, true, gradient: false), series(0.5, false, gradient: false)])
        a.logY = true
        var b = LineChart(title: "First layer's gradient norm", xLabel: "depth L", yLabel: "‖∂L/∂W₁‖",
                          series: [series(1.5, true, gradient: true), series(1.5, false, gradient: true), series(0.5, true, gradient: true), series(0.5, false, gradient: true)])
        b.logY = true
        return ExperimentReport(table: table, verdict: verdict, csv: csv, svg: Figure.svg([a, b]))
    }
}
