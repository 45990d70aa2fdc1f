import Foundation

/// Bias and variance against capacity: networks of growing width (one hidden layer) and depth
/// (hidden layers of `depthWidth`) fit `trainCount` noisy points of f(x) = 2·sin(x²) + √(5x)
/// (noise N(0, `noise`²)), each seed drawing its own training set and initialisation. Training
/// error falls with capacity; validation error (fresh noisy points) falls, then rises again —
/// the U. Over the seeds, the fitted curves give the decomposition on a grid: bias² = mean over x
/// of (mean prediction − f)², variance = mean over x of the predictions' variance across seeds;
/// expected validation error ≈ bias² + variance + noise².
public struct BiasVarianceExperiment: Experiment {
    public static let name = "bias-variance"
    public static let claim = "more capacity (width, depth) lowers training error and bias but raises variance: the validation error is U-shaped"

    public var widths = [1, 2, 4, 8, 16, 32, 64, 128, 256]
    public var depths = [1, 2, 3, 4, 6]
    public var depthWidth = 32
    public var seeds = 12
    public var trainCount = 24
    public var noise = 0.5
    public var steps = 20000
    public var learningRate: Float = 0.01

    public init() {}

    public static var quick: BiasVarianceExperiment {
        var e = BiasVarianceExperiment()
        e.widths = [1, 16, 256]
        e.depths = []
        e.seeds = 4
        e.steps = 8000
        return e
    }

    public var setup: String {
        "\(trainCount) points of 2·sin(x²) + √(5x) + N(0, \(noise)²) per seed; tanh nets 1-w-1 (w = \(widths.map(String.init).joined(separator: ", "))) and \(depths.map(String.init).joined(separator: ", ")) hidden layers of \(depthWidth); full-batch Adam \(learningRate) with cosine decay, \(steps) steps; validation on 1000 fresh noisy points"
    }

    public struct Run: Sendable {
        public var label: String
        public var width: Int
        public var depth: Int
        public var seed: Int
        public var trainMSE: Double
        public var validationMSE: Double
        public var curve: [Double]
    }

    public struct Point: Sendable {
        public var label: String
        public var parameters: Int
        public var train: Spread
        public var validation: Spread
        public var bias2: Double
        public var variance: Double
    }

    public struct Results: Sendable {
        public var runs: [Run]
        public var widthSweep: [Point]
        public var depthSweep: [Point]
        public var noiseVariance: Double
    }

    func noisy(count: Int, seed: UInt64) -> Dataset {
        var g = RandomGenerator(seed: seed)
        let x = (0..<count).map { _ in 3 * g.nextUnit() }
        var e = [Float](repeating: 0, count: count)
        e.withUnsafeMutableBufferPointer { g.fill(.normal(mean: 0, std: Float(noise)), $0.baseAddress!, count: count) }
        let y = (0..<count).map { Float(UniversalApproximationExperiment.target(Double(x[$0]))) + e[$0] }
        return Dataset(name: "noisy-uat", features: Tensor(shape: [count, 1], values: x), targets: Tensor(shape: [count, 1], values: y))
    }

    public func measure<B: Backend>(on backend: B, progress: (String) -> Void) throws -> Results {
        let grid = (0..<200).map { 3 * (Double($0) + 0.5) / 200 }
        let gx = Tensor(shape: [grid.count, 1], values: grid.map { Float($0) })
        let validation = noisy(count: 1000, seed: 999)
        var runs: [Run] = []
        func sweep(_ configs: [(label: String, width: Int, depth: Int)]) -> [Point] {
            var points: [Point] = []
            for c in configs {
                var mine: [Run] = []
                var parameters = 0
                for seed in 0..<seeds {
                    let data = noisy(count: trainCount, seed: UInt64(1 + seed))
                    var g = RandomGenerator(seed: UInt64(500 + seed))
                    let model = Sequential.mlp(backend, sizes: [1] + Array(repeating: c.width, count: c.depth) + [1], activation: .tanh, generator: &g)
                    parameters = model.parameters.parameterCount
                    ExperimentData.fitFullBatch(model, data, steps: steps, learningRate: learningRate)
                    let p = model.predict(gx)
                    let run = Run(label: c.label, width: c.width, depth: c.depth, seed: seed,
                                  trainMSE: ExperimentData.meanSquaredError(model, data), validationMSE: ExperimentData.meanSquaredError(model, validation),
                                  curve: (0..<grid.count).map { Double(p.data[$0]) })
                    progress(String(format: "%@ seed %d: train MSE %.4f, validation MSE %.4f", c.label as NSString, seed, run.trainMSE, run.validationMSE))
                    mine.append(run)
                }
                runs += mine
                var bias2 = 0.0, variance = 0.0
                for (j, x) in grid.enumerated() {
                    let v = mine.map { $0.curve[j] }
                    let m = v.reduce(0, +) / Double(v.count)
                    bias2 += (m - UniversalApproximationExperiment.target(x)) * (m - UniversalApproximationExperiment.target(x))
                    variance += v.map { ($0 - m) * ($0 - m) }.reduce(0, +) / Double(max(v.count - 1, 1))
                }
                points.append(Point(label: c.label, parameters: parameters, train: Spread(mine.map(\.trainMSE)), validation: Spread(mine.map(\.validationMSE)),
                                    bias2: bias2 / Double(grid.count), variance: variance / Double(grid.count)))
            }
            return points
        }
        let w = sweep(widths.map { ("width \($0)", $0, 1) })
        let d = sweep(depths.map { ("depth \($0)", depthWidth, $0) })
        return Results(runs: runs, widthSweep: w, depthSweep: d, noiseVariance: noise * noise)
    }

    public func report(_ r: Results) -> ExperimentReport {
        let all = r.widthSweep + r.depthSweep
        let table = markdownTable(["network", "parameters", "train MSE", "validation MSE", "bias²", "variance"], all.map {
            [$0.label, "\($0.parameters)", $0.train.text("%.3f"), $0.validation.text("%.3f"), String(format: "%.3f", $0.bias2), String(format: "%.3f", $0.variance)]
        }) + String(format: "(noise² = %.3f: no model's expected validation MSE can go below it)\n", r.noiseVariance)
        let ws = r.widthSweep
        let best = ws.min { $0.validation.mean < $1.validation.mean }!
        let (lo, hi) = (ws.first!, ws.last!)
        let rises = hi.validation.mean > best.validation.mean
        var verdict = String(format: "Verdict: on %d noisy points, widening one hidden layer from %@ to %@ takes the training MSE from %.3f to %.3f (%@ the noise's %.3f) and bias² from %.3f to %.3f, while the variance across training sets grows from %.3f to %.3f. The validation MSE falls from %.3f to %.3f at %@ (too little capacity: bias) and %@ %.3f at %@ (the seeds' spread is ±%.2f).",
                             trainCount, lo.label as NSString, hi.label as NSString, lo.train.mean, hi.train.mean,
                             (hi.train.mean < r.noiseVariance ? "below" : "above") as NSString, r.noiseVariance,
                             lo.bias2, hi.bias2, lo.variance, hi.variance, lo.validation.mean, best.validation.mean, best.label as NSString,
                             (rises ? "rises again to" : "stays near") as NSString, hi.validation.mean, hi.label as NSString, hi.validation.sd)
        if let d0 = r.depthSweep.first, let fit = r.depthSweep.min(by: { $0.train.mean < $1.train.mean }), let deepest = r.depthSweep.last {
            verdict += String(format: " With depth at width %d, the training MSE falls from %.3f (%@) to %.3f (%@) with validation %.3f → %.3f and variance %.3f → %.3f.",
                              depthWidth, d0.train.mean, d0.label as NSString, fit.train.mean, fit.label as NSString, d0.validation.mean, fit.validation.mean,
                              d0.variance, fit.variance)
            if deepest.label != fit.label && deepest.train.mean > 2 * fit.train.mean {
                verdict += String(format: " At %@ the training MSE is back at %.3f ± %.3f: some seeds do not train at all (deep tanh nets' vanishing gradients).",
                                  deepest.label as NSString, deepest.train.mean, deepest.train.sd)
            }
        }
        var csv = "network,width,depth,seed,train_mse,validation_mse\n"
        for run in r.runs { csv += "\(run.label),\(run.width),\(run.depth),\(run.seed),\(run.trainMSE),\(run.validationMSE)\n" }
        func chart(_ pts: [Point], _ title: String, _ x: String, _ xs: [Double], log: Bool) -> LineChart {
            var c = LineChart(title: title, xLabel: x, yLabel: "MSE", series: [
                LineChart.Series(name: "training", points: zip(xs, pts).map { ($0, $1.train.mean) }, spread: pts.map(\.train.sd)),
                LineChart.Series(name: "validation", points: zip(xs, pts).map { ($0, $1.validation.mean) }, spread: pts.map(\.validation.sd)),
                LineChart.Series(name: "bias²", points: zip(xs, pts).map { ($0, $1.bias2) }, dashed: true),
                LineChart.Series(name: "variance", points: zip(xs, pts).map { ($0, $1.variance) }, dashed: true),
                LineChart.Series(name: "noise²", points: [(xs.first!, r.noiseVariance), (xs.last!, r.noiseVariance)], dashed: true),
            ])
            c.logX = log
            c.logY = true
            return c
        }
        var charts = [chart(r.widthSweep, "Width sweep (1 hidden layer)", "hidden units", widths.map(Double.init), log: true)]
        if !r.depthSweep.isEmpty { charts.append(chart(r.depthSweep, "Depth sweep (width \(depthWidth))", "hidden layers", depths.map(Double.init), log: false)) }
        return ExperimentReport(table: table, verdict: verdict, csv: csv, svg: LineChart.document(charts))
    }
}
