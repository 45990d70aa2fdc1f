import Foundation

/// The universal approximation theorem, seen: one hidden layer of `width` tanh units
/// (1-width-1) fitting f(x) = 2·sin(x²) + √(5x) on [0, 3] from 256 random points, full-batch
/// Adam for `steps` steps, for growing widths. The error on an even grid of 300 points falls as
/// the width grows; the fitted curves show how (one unit is one bent line, many units follow the
/// waves).
public struct UniversalApproximationExperiment: Experiment {
    public static let name = "uat"
    public static let claim = "one hidden layer of growing width (1 … 256) fits 2·sin(x²) + √(5x) on [0, 3] ever better: error vs width, and the fitted curves"

    public var widths = [1, 2, 4, 8, 16, 32, 64, 128, 256]
    public var seeds = 5
    public var steps = 10000
    public var learningRate: Float = 0.01
    public var points = 256

    public init() {}

    public static var quick: UniversalApproximationExperiment {
        var e = UniversalApproximationExperiment()
        e.widths = [1, 8, 32]
        e.seeds = 2
        e.steps = 3000
        return e
    }

    public var setup: String {
        "1-width-1 tanh networks, widths \(widths.map(String.init).joined(separator: ", ")); \(points) points of 2·sin(x²) + √(5x) on [0, 3]; full-batch Adam \(learningRate) with cosine decay, \(steps) steps; test on a grid of \(Self.gridCount)"
    }

    public static func target(_ x: Double) -> Double { 2 * sin(x * x) + (5 * x).squareRoot() }
    static let gridCount = 300

    public struct Run: Sendable {
        public var width: Int
        public var seed: Int
        public var trainMSE: Double
        public var testMSE: Double
        /// The fitted curve on the grid.
        public var curve: [Double]
    }

    public struct Results: Sendable {
        public var runs: [Run]
        public var grid: [Double]
        /// The variance of f on the grid: the error of answering its mean.
        public var targetVariance: Double

        /// The test MSE over seeds at `width`.
        public func testMSE(width: Int) -> Spread { Spread(runs.filter { $0.width == width }.map(\.testMSE)) }
    }

    public func measure<B: Backend>(on backend: B, progress: (String) -> Void) throws -> Results {
        let grid = (0..<Self.gridCount).map { 3 * Double($0) / Double(Self.gridCount - 1) }
        let gx = Tensor(shape: [grid.count, 1], values: grid.map { Float($0) })
        let gy = grid.map(Self.target)
        let mean = gy.reduce(0, +) / Double(gy.count)
        let variance = gy.map { ($0 - mean) * ($0 - mean) }.reduce(0, +) / Double(gy.count)
        var runs: [Run] = []
        for width in widths {
            for seed in 0..<seeds {
                let data = SyntheticDataset.uat.make(count: points, seed: UInt64(seed + 1))
                var g = RandomGenerator(seed: UInt64(100 + seed))
                let model = Sequential.mlp(backend, sizes: [1, width, 1], activation: .tanh, generator: &g)
                let last = ExperimentData.fitFullBatch(model, data, steps: steps, learningRate: learningRate)
                let p = model.predict(gx)
                let curve = (0..<grid.count).map { Double(p.data[$0]) }
                let test = zip(curve, gy).map { ($0 - $1) * ($0 - $1) }.reduce(0, +) / Double(grid.count)
                runs.append(Run(width: width, seed: seed, trainMSE: last, testMSE: test, curve: curve))
                progress(String(format: "width %d seed %d: train MSE %.5f, test MSE %.5f", width, seed, last, test))
            }
        }
        return Results(runs: runs, grid: grid, targetVariance: variance)
    }

    public func report(_ r: Results) -> ExperimentReport {
        let rows = widths.map { w -> [String] in
            let t = r.testMSE(width: w), tr = Spread(r.runs.filter { $0.width == w }.map(\.trainMSE))
            return ["\(w)", "\(3 * w + 1)", tr.text("%.2e"), t.text("%.2e"), String(format: "%.2f%%", 100 * t.mean / r.targetVariance)]
        }
        let table = markdownTable(["width", "parameters", "train MSE", "test MSE", "of f's variance"], rows)
        let first = r.testMSE(width: widths.first!), last = r.testMSE(width: widths.last!)
        let best = widths.min { r.testMSE(width: $0).mean < r.testMSE(width: $1).mean }!
        let bestMSE = r.testMSE(width: best).mean
        var verdict = String(format: "Verdict: one hidden layer approximates f ever better as it widens: the test MSE falls from %.3g with %d unit%@ (%.0f%% of f's variance: one tanh is one bent step) to %.2g at width %d (%.3f%%).",
                             first.mean, widths.first!, widths.first! == 1 ? "" : "s", 100 * first.mean / r.targetVariance,
                             bestMSE, best, 100 * bestMSE / r.targetVariance)
        if best != widths.last! {
            verdict += String(format: " Wider layers (%d units: %.2g) do not do better within %d Adam steps: the theorem says a wide enough layer can get within any ε, not that gradient descent finds it sooner.",
                              widths.last!, last.mean, steps)
        }
        var csv = "width,seed,train_mse,test_mse\n"
        for run in r.runs { csv += "\(run.width),\(run.seed),\(run.trainMSE),\(run.testMSE)\n" }
        var err = LineChart(title: "Test MSE vs width", xLabel: "hidden units", yLabel: "MSE on the grid", series: [
            LineChart.Series(name: "mean ± sd over \(seeds) seeds", points: widths.map { (Double($0), r.testMSE(width: $0).mean) },
                             spread: widths.map { r.testMSE(width: $0).sd })])
        err.logX = true
        err.logY = true
        let shown = widths.count <= 4 ? widths : [widths[0], widths[2], widths[4], widths[widths.count - 1]]
        var curves = [LineChart.Series(name: "2 sin(x²) + √(5x)", points: r.grid.map { ($0, Self.target($0)) }, dashed: true)]
        for w in shown {
            if let run = r.runs.first(where: { $0.width == w && $0.seed == 0 }) {
                curves.append(LineChart.Series(name: "width \(w)", points: zip(r.grid, run.curve).map { ($0, $1) }))
            }
        }
        var fit = LineChart(title: "Fitted curves (seed 0)", xLabel: "x", yLabel: "y", series: curves)
        fit.width = 560
        return ExperimentReport(table: table, verdict: verdict, csv: csv, svg: LineChart.document([err, fit]))
    }
}
