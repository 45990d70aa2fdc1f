import ArgumentParser
import Backprop
import Foundation

/// `backprop experiment perceptron`: the perceptron converges on separable data and fails on
/// XOR; a 2-2-1 network learns XOR.
struct PerceptronExperimentCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "perceptron",
        abstract: "The perceptron rule on a separable set (converges) and on XOR (does not), then a 2-2-1 network on XOR, over seeds; decision boundaries drawn.")

    @OptionGroup var compute: ComputeOptions

    @Option(parsing: .unconditional, help: "Seeds (default 5).")
    var seeds: Int?

    @Option(help: "Folder for perceptron.csv and perceptron.svg.")
    var out: String = "experiments"

    @Flag(help: "The version the tests run (10 seeds).")
    var quick = false

    func run() throws {
        var e = quick ? PerceptronExperiment.quick : PerceptronExperiment()
        if let seeds = try ExperimentOutput.seeds(seeds) { e.seeds = seeds }
        let (csvPath, svgPath) = try ExperimentOutput.prepare(out, "perceptron")
        let backend = try compute.make(compute.name(fallback: "simd"))
        print("perceptron rule (η = 1, w = b = 0, at most \(e.passes) passes) on \(e.points) separable points (margin \(e.margin)) and on XOR; 2-2-1 tanh network, Adam 0.05, \(e.mlpSteps) steps; \(e.seeds) seed(s)")
        let results = e.run(on: backend) { done, total, r in
            print("  [\(done)/\(total)] seed \(r.seed): separable \(r.separablePasses.map { "converged in \($0) passes" } ?? "not converged"), \(r.separableUpdates) updates, accuracy \(r.separableAccuracy); XOR perceptron \(r.xorConverged ? "converged" : "never converged"), best accuracy \(r.xorBestAccuracy); XOR 2-2-1 network accuracy \(r.mlpAccuracy)")
            fflush(nil)
        }
        func stats(_ v: [Double]) -> String {
            let m = v.reduce(0, +) / Double(v.count)
            let sd = v.count > 1 ? (v.map { ($0 - m) * ($0 - m) }.reduce(0, +) / Double(v.count - 1)).squareRoot() : 0
            return String(format: "%.2f ± %.2f", m, sd)
        }
        let converged = results.filter { $0.separablePasses != nil }
        print("""
        | | separable, perceptron | XOR, perceptron | XOR, 2-2-1 network |
        | converged (seeds) | \(converged.count)/\(results.count) | \(results.filter(\.xorConverged).count)/\(results.count) | \(results.filter { $0.mlpAccuracy == 1 }.count)/\(results.count) at accuracy 1 |
        | accuracy | \(stats(results.map(\.separableAccuracy))) | best \(stats(results.map(\.xorBestAccuracy))) | \(stats(results.map(\.mlpAccuracy))) |
        | passes / updates | \(stats(converged.map { Double($0.separablePasses!) })) / \(stats(results.map { Double($0.separableUpdates) })) | \(e.passes) passes | \(e.mlpSteps) steps |
        """)
        print("Verdict: the perceptron separated the linearly separable set on \(converged.count) of \(results.count) seeds, after \(stats(converged.map { Double($0.separablePasses!) })) passes (\(stats(results.map { Double($0.separableUpdates) })) updates), as the convergence theorem promises; on XOR it never made a pass without mistakes in \(e.passes) passes on \(results.filter { !$0.xorConverged }.count) of \(results.count) seeds and its best weights classified \(stats(results.map(\.xorBestAccuracy))) of the four points — no line separates XOR. One hidden layer of two tanh units learns it: accuracy 1 on \(results.filter { $0.mlpAccuracy == 1 }.count) of \(results.count) seeds (the rest stall in the 2-2-1 network's local minima, with two corners at ½).")
        var csv = "seed,separable_passes,separable_updates,separable_accuracy,xor_perceptron_converged,xor_perceptron_best_accuracy,xor_mlp_accuracy,xor_mlp_loss\n"
        for r in results {
            csv += "\(r.seed),\(r.separablePasses.map(String.init) ?? ""),\(r.separableUpdates),\(r.separableAccuracy),\(r.xorConverged),\(r.xorBestAccuracy),\(r.mlpAccuracy),\(r.mlpLoss)\n"
        }
        try AtomicFile.write(Data(csv.utf8), to: csvPath)
        // The decision boundaries: the perceptron's of seed 0, the network's of a seed that learnt XOR.
        let data = e.separable(seed: 0), xor = PerceptronExperiment.xor()
        var g = RandomGenerator(seed: 0)
        let p = Perceptron(backend, inputs: 2)
        p.fit(data, epochs: e.passes, generator: &g)
        let q = Perceptron(backend, inputs: 2)
        q.fit(xor, epochs: e.passes, generator: &g)
        // The network of the first seed that learnt XOR (seed 0's when none did).
        let shown = results.first { $0.mlpAccuracy == 1 }?.seed ?? 0
        let net = e.xorNetwork(seed: shown, on: backend)
        let step = TrainingStep(model: net, loss: BinaryCrossEntropyWithLogits(backend), optimizer: Adam(backend, learningRate: 0.05))
        for _ in 0..<e.mlpSteps { step.run(TensorView(xor.features), .classes(xor.labels![...])) }
        let chart = DecisionBoundaryChart(title: "")
        func panel(_ title: String, _ d: Dataset, _ f: @escaping (Tensor) -> [Int32]) -> String {
            var c = chart
            c.title = title
            return c.body(points: d.features, labels: d.labels!, classify: f)
        }
        let svg = DecisionBoundaryChart.document([
            panel("Perceptron, separable: converged", data) { p.predict($0).map { Int32($0) } },
            panel("Perceptron, XOR: no line works", xor) { q.predict($0).map { Int32($0) } },
            panel("2-2-1 tanh network, XOR (seed \(shown))", xor) { x in let z = net.predict(x); return (0..<x.shape[0]).map { z.data[$0] > 0 ? 1 : 0 } },
        ], width: chart.width, height: chart.height)
        try AtomicFile.write(Data(svg.utf8), to: svgPath)
        print("wrote \(csvPath) and \(svgPath)")
    }
}
