import ArgumentParser
import Backprop
import Foundation

/// `backprop experiment list|NAME`: the course's claims, measured over seeds, with a table, a
/// verdict, CSV and SVG.
struct ExperimentCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "experiment",
        abstract: "Reproduce a claim of the course with numbers and a plot: `backprop experiment list` shows them.",
        subcommands: [ExperimentListCommand.self, RNNVersusLSTMCommand.self,
                      ExperimentRunCommand<PerceptronExperiment>.self, ExperimentRunCommand<ExplodingGradientsExperiment>.self,
                      ExperimentRunCommand<LinearVersusNetworkExperiment>.self, ExperimentRunCommand<UniversalApproximationExperiment>.self,
                      ExperimentRunCommand<FeatureScalingExperiment>.self, ExperimentRunCommand<BiasVarianceExperiment>.self,
                      ExperimentRunCommand<VanishingGradientsExperiment>.self, ExperimentRunCommand<InitializationExperiment>.self,
                      ExperimentRunCommand<OptimizersExperiment>.self, ExperimentRunCommand<BatchSizeExperiment>.self,
                      ExperimentRunCommand<RegularizationExperiment>.self])

    /// The experiments built on `Experiment`, for the list.
    static let generic: [any Experiment.Type] = [PerceptronExperiment.self, ExplodingGradientsExperiment.self, LinearVersusNetworkExperiment.self, UniversalApproximationExperiment.self,
                                                 FeatureScalingExperiment.self, BiasVarianceExperiment.self, VanishingGradientsExperiment.self,
                                                 InitializationExperiment.self, OptimizersExperiment.self, BatchSizeExperiment.self,
                                                 RegularizationExperiment.self]
}

struct ExperimentListCommand: ParsableCommand {
    static let configuration = CommandConfiguration(commandName: "list", abstract: "The experiments and the claims they test.")

    func run() throws {
        var lines = [("rnn-vs-lstm", "a plain RNN stops learning a long dependency, an LSTM (and a GRU) does not: the adding problem at T = 10…200, equal parameter counts")]
        lines += ExperimentCommand.generic.map { ($0.name, $0.claim) }
        for (name, claim) in lines.sorted(by: { $0.0 < $1.0 }) { print(name.padding(toLength: 21, withPad: " ", startingAt: 0) + claim) }
    }
}

struct RNNVersusLSTMCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "rnn-vs-lstm",
        abstract: "RNN vs GRU vs LSTM on the adding problem at growing lengths: test MSE and the gradient reaching the first step, over seeds.")

    @OptionGroup var options: ExperimentOptions
    var compute: ComputeOptions { options.compute }

    @Option(help: "Sequence lengths, comma-separated (default 10,25,50,100,200).")
    var lengths: String?

    @Option(parsing: .unconditional, help: "Training steps per run (default 4000).")
    var steps: Int?

    func run() throws {
        var e = options.quick ? LongDependencyExperiment.quick : LongDependencyExperiment()
        if let seeds = try ExperimentOutput.seeds(options.seeds) { e.seeds = seeds }
        if let steps {
            guard (1...1_000_000).contains(steps) else { throw CLIError("--steps must be in 1...1000000, got \(steps)") }
            e.steps = steps
        }
        if let lengths {
            let parsed = lengths.split(separator: ",").map { Int($0.trimmingCharacters(in: .whitespaces)) }
            guard !parsed.isEmpty, parsed.allSatisfy({ $0 != nil && (2...2000).contains($0!) }) else {
                throw CLIError("--lengths '\(lengths)': expected comma-separated lengths in 2...2000")
            }
            e.lengths = parsed.map { $0! }
        }
        let (csvPath, svgPath, mdPath) = try ExperimentOutput.prepare(options.out, "rnn-vs-lstm")
        let backend = try compute.make(compute.name(fallback: "simd"))
        print("the adding problem: baseline MSE 1/6 (always answering 1), solved below \(String(format: "%.4f", LongDependencyExperiment.solvedMSE)); \(e.steps) steps of \(e.batchSize), Adam \(e.learningRate), clip-norm 1, \(e.seeds) seed(s); backend \(backend.name)")
        print("hidden sizes at equal parameters: " + [SequenceCell.rnn, .gru, .lstm].map { "\($0.rawValue) \(e.hiddenSize($0))" }.joined(separator: ", "))
        let results = e.run(on: backend) { done, total, r in
            print(String(format: "  [%d/%d] %@ T=%d seed %d: test MSE %.4f, |dL/dx1| %.2e → %.2e (%.1f s)", done, total,
                         r.cell.rawValue as NSString, r.length, r.seed, r.mse, r.firstStepGradientAtStart, r.firstStepGradientAtEnd, r.seconds))
            fflush(nil)
        }
        let summary = RecurrentSummary(results, lengths: e.lengths)
        print(summary.table + "(log10 of ‖∂L/∂x₁‖, mean ± sd over seeds; −45 stands for 0: the gradient fell below float32's range)")
        print(summary.verdict)
        var csv = "cell,hidden,parameters,length,seed,test_mse,within_0.04,final_loss,first_step_gradient_init,first_step_gradient_trained,seconds\n"
        for r in results {
            csv += "\(r.cell.rawValue),\(r.hidden),\(r.parameters),\(r.length),\(r.seed),\(r.mse),\(r.accuracy),\(r.finalLoss),\(r.firstStepGradientAtStart),\(r.firstStepGradientAtEnd),\(String(format: "%.3f", r.seconds))\n"
        }
        try AtomicFile.write(Data(csv.utf8), to: csvPath)
        try AtomicFile.write(Data(summary.svg.utf8), to: svgPath)
        try AtomicFile.write(Data(("# backprop experiment rnn-vs-lstm\n\n" + summary.table + "\n" + summary.verdict + "\n").utf8), to: mdPath)
        print("wrote \(csvPath), \(svgPath) and \(mdPath)")
    }
}

/// What every experiment command shares: the seeds option's range and the output folder with
/// its CSV and SVG, created and checked before anything runs.
enum ExperimentOutput {
    static func seeds(_ seeds: Int?) throws -> Int? {
        if let seeds, !(1...100).contains(seeds) { throw CLIError("--seeds must be in 1...100, got \(seeds)") }
        return seeds
    }

    /// `out/NAME.csv`, `out/NAME.svg` and `out/NAME.md`, the folder created, the CSV's place writable.
    static func prepare(_ out: String, _ name: String) throws -> (csv: String, svg: String, md: String) {
        let folder = URL(fileURLWithPath: out)
        let csv = folder.appendingPathComponent("\(name).csv").path
        let svg = folder.appendingPathComponent("\(name).svg").path
        let md = folder.appendingPathComponent("\(name).md").path
        do {
            try FileManager.default.createDirectory(atPath: out, withIntermediateDirectories: true)
        } catch {
            throw CLIError("--out \(out): cannot create the folder (\(error.localizedDescription))")
        }
        try AtomicFile.checkWritable(csv)
        return (csv, svg, md)
    }
}

/// The options every experiment command takes: backend and threads, seeds, the output folder and
/// the quick size.
struct ExperimentOptions: ParsableArguments {
    @OptionGroup var compute: ComputeOptions

    @Option(parsing: .unconditional, help: "Seeds (each run repeated with seeds 0..<N).")
    var seeds: Int?

    @Option(help: "Folder for NAME.csv, NAME.svg and NAME.md (set-up, table and verdict).")
    var out: String = "experiments"

    @Flag(help: "The small version the tests run (seconds).")
    var quick = false
}
