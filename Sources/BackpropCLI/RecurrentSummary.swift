import Backprop
import Foundation

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
