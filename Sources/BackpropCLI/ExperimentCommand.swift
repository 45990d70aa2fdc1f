import ArgumentParser
import Backprop
import Foundation

/// `backprop experiment list|NAME`: the course's claims, measured over seeds, with a table, a
/// verdict, CSV and SVG.
struct ExperimentCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "experiment",
        abstract: "Reproduce a claim of the course with numbers and a plot: `backprop experiment list` shows them.",
        subcommands: [ExperimentListCommand.self, RNNVersusLSTMCommand.self])
}

struct ExperimentListCommand: ParsableCommand {
    static let configuration = CommandConfiguration(commandName: "list", abstract: "The experiments and the claims they test.")

    func run() throws {
        print("rnn-vs-lstm   a plain RNN stops learning a long dependency, an LSTM (and a GRU) does not: the adding problem at T = 10…200, equal parameter counts")
    }
}

struct RNNVersusLSTMCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "rnn-vs-lstm",
        abstract: "RNN vs GRU vs LSTM on the adding problem at growing lengths: test MSE and the gradient reaching the first step, over seeds.")

    @OptionGroup var compute: ComputeOptions

    @Option(parsing: .unconditional, help: "Seeds per cell and length.")
    var seeds: Int?

    @Option(help: "Sequence lengths, comma-separated (default 10,25,50,100,200).")
    var lengths: String?

    @Option(parsing: .unconditional, help: "Training steps per run (default 4000).")
    var steps: Int?

    @Option(help: "Folder for rnn-vs-lstm.csv and rnn-vs-lstm.svg.")
    var out: String = "experiments"

    @Flag(help: "The small version the tests run (lengths 10 and 50, 2 seeds, 1500 steps).")
    var quick = false

    func run() throws {
        var e = quick ? LongDependencyExperiment.quick : LongDependencyExperiment()
        if let seeds {
            guard (1...100).contains(seeds) else { throw CLIError("--seeds must be in 1...100, got \(seeds)") }
            e.seeds = seeds
        }
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
        let csvPath = URL(fileURLWithPath: out).appendingPathComponent("rnn-vs-lstm.csv").path
        let svgPath = URL(fileURLWithPath: out).appendingPathComponent("rnn-vs-lstm.svg").path
        do {
            try FileManager.default.createDirectory(atPath: out, withIntermediateDirectories: true)
        } catch {
            throw CLIError("--out \(out): cannot create the folder (\(error.localizedDescription))")
        }
        try AtomicFile.checkWritable(csvPath)
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
        print("wrote \(csvPath) and \(svgPath)")
    }
}

/// Means and standard deviations over seeds, per cell and length, with the plot and the verdict.
struct RecurrentSummary {
    let cells: [SequenceCell] = [.rnn, .gru, .lstm]
    let lengths: [Int]
    /// cell → per length: (mean, sd) of the test MSE, of log10 gradient at init, of log10 gradient trained.
    var mse: [SequenceCell: [(Double, Double)]] = [:]
    var gradientInit: [SequenceCell: [(Double, Double)]] = [:]
    var gradientTrained: [SequenceCell: [(Double, Double)]] = [:]

    init(_ results: [LongDependencyExperiment.Result], lengths: [Int]) {
        self.lengths = lengths
        func stats(_ v: [Double]) -> (Double, Double) {
            let m = v.reduce(0, +) / Double(max(v.count, 1))
            let sd = v.count > 1 ? (v.map { ($0 - m) * ($0 - m) }.reduce(0, +) / Double(v.count - 1)).squareRoot() : 0
            return (m, sd)
        }
        for c in cells {
            mse[c] = lengths.map { t in stats(results.filter { $0.cell == c && $0.length == t }.map(\.mse)) }
            gradientInit[c] = lengths.map { t in stats(results.filter { $0.cell == c && $0.length == t }.map { log10(max($0.firstStepGradientAtStart, 1e-45)) }) }
            gradientTrained[c] = lengths.map { t in stats(results.filter { $0.cell == c && $0.length == t }.map { log10(max($0.firstStepGradientAtEnd, 1e-45)) }) }
        }
    }

    var table: String {
        var out = "length | " + cells.map { "\($0.rawValue) test MSE".padding(toLength: 17, withPad: " ", startingAt: 0) }.joined(separator: " | ")
            + " | " + cells.map { "\($0.rawValue) log10|dL/dx1| init → trained".padding(toLength: 30, withPad: " ", startingAt: 0) }.joined(separator: " | ") + "\n"
        for (i, t) in lengths.enumerated() {
            out += String(format: "%6d | ", t)
            out += cells.map { c in String(format: "%.4f ± %.4f", mse[c]![i].0, mse[c]![i].1).padding(toLength: 17, withPad: " ", startingAt: 0) }.joined(separator: " | ")
            out += " | " + cells.map { c in
                String(format: "%6.1f ± %.1f → %6.1f ± %.1f", gradientInit[c]![i].0, gradientInit[c]![i].1, gradientTrained[c]![i].0, gradientTrained[c]![i].1)
                    .padding(toLength: 30, withPad: " ", startingAt: 0)
            }.joined(separator: " | ") + "\n"
        }
        return out
    }

    /// The longest length up to which a cell's mean test MSE stays below the solved threshold
    /// (nil: not even the first).
    func longestSolved(_ c: SequenceCell) -> Int? {
        var best: Int?
        for (t, m) in zip(lengths, mse[c]!) {
            guard m.0 < LongDependencyExperiment.solvedMSE else { break }
            best = t
        }
        return best
    }

    var verdict: String {
        let last = lengths.count - 1
        func upTo(_ c: SequenceCell) -> String { longestSolved(c).map { "T = \($0)" } ?? "no length tried" }
        func m(_ c: SequenceCell) -> String { String(format: "%.4f", mse[c]![last].0) }
        func grad(_ c: SequenceCell, _ i: Int, _ table: [SequenceCell: [(Double, Double)]]) -> String { String(format: "10^%.1f", table[c]![i].0) }
        var v = "Verdict: the plain RNN solves the adding problem (test MSE < \(String(format: "%.4f", LongDependencyExperiment.solvedMSE)), a tenth of answering 1) up to \(upTo(.rnn)); "
        v += "the GRU up to \(upTo(.gru)), the LSTM up to \(upTo(.lstm)). "
        v += "At T = \(lengths[last]) the test MSE is RNN \(m(.rnn)), GRU \(m(.gru)), LSTM \(m(.lstm)) (answering 1: 0.1667). "
        v += "The gradient reaching the first step at initialisation is \(grad(.rnn, last, gradientInit)) per sequence for the RNN and \(grad(.lstm, last, gradientInit)) for the LSTM at that length "
        v += "(\(grad(.rnn, 0, gradientInit)) and \(grad(.lstm, 0, gradientInit)) at T = \(lengths[0])); after training \(grad(.rnn, last, gradientTrained)) and \(grad(.lstm, last, gradientTrained))."
        return v
    }

    var svg: String {
        func series(_ m: [SequenceCell: [(Double, Double)]], log: Bool) -> [LineChart.Series] {
            cells.map { c in
                LineChart.Series(name: c.rawValue.uppercased(), points: zip(lengths, m[c]!).map { (Double($0.0), log ? pow(10, $0.1.0) : $0.1.0) },
                                 spread: log ? nil : m[c]!.map(\.1))
            }
        }
        var a = LineChart(title: "Adding problem: test MSE", xLabel: "sequence length T", yLabel: "test MSE (mean over seeds)",
                          series: series(mse.mapValues { $0.map { (log10(max($0.0, 1e-12)), 0) } }, log: true)
                            + [LineChart.Series(name: "answer 1", points: lengths.map { (Double($0), LongDependencyExperiment.baselineMSE) }),
                               LineChart.Series(name: "solved", points: lengths.map { (Double($0), LongDependencyExperiment.solvedMSE) })])
        a.logX = true
        a.logY = true
        var g = LineChart(title: "Gradient reaching step 1, trained", xLabel: "sequence length T", yLabel: "‖∂L/∂x₁‖ per sequence (geometric mean)",
                          series: series(gradientTrained, log: true))
        g.logX = true
        g.logY = true
        var g0 = LineChart(title: "… and at initialisation", xLabel: "sequence length T", yLabel: "‖∂L/∂x₁‖ per sequence (geometric mean)",
                           series: series(gradientInit, log: true))
        g0.logX = true
        g0.logY = true
        return LineChart.document([a, g, g0])
    }
}
