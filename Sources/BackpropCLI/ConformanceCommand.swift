import ArgumentParser
import Backprop
import Foundation

struct ConformanceCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "conformance",
        abstract: "Check backends against the naive reference, op by op; exit 0 only if every case passes.")

    @OptionGroup var compute: ComputeOptions

    @Option(name: .long, help: "Only this op (\(OpKind.allCases.map(\.rawValue).joined(separator: ", "))); repeatable.")
    var op: [String] = []

    @Option(name: .customLong("case"), help: "Only cases whose name contains this text (names are printed on failure).")
    var caseFilter: String?

    @Flag(name: .long, help: "Print every case, not only failures.")
    var verbose = false

    func run() throws {
        var ops: Set<OpKind>? = nil
        if !op.isEmpty {
            ops = []
            for o in op {
                guard let k = OpKind(rawValue: o) else {
                    throw CLIError("unknown op '\(o)'; ops: \(OpKind.allCases.map(\.rawValue).joined(separator: ", "))")
                }
                ops!.insert(k)
            }
        }
        let names = try compute.names(fallback: "all", includeNaive: false)
        let reference = NaiveBackend()
        var reports: [ConformanceReport] = []
        for name in names {
            let b = try compute.make(name)
            let report = ConformanceSuite.run(candidate: b, reference: reference, ops: ops, matching: caseFilter)
            reports.append(report)
            for r in report.results where verbose || !r.passed {
                print("\(r.passed ? "pass" : "FAIL") [\(name)] \(r.name)\(r.outcome.problem.map { ": " + $0 } ?? "")")
            }
        }
        printTable(reports)
        let failed = reports.reduce(0) { $0 + $1.failures.count }
        let total = reports.reduce(0) { $0 + $1.results.count }
        print("\(total - failed) passed, \(failed) failed")
        if total == 0 { throw CLIError("no conformance case matched") }
        if failed > 0 { throw ExitCode(1) }
    }

    func printTable(_ reports: [ConformanceReport]) {
        let ops = Set(reports.flatMap { $0.results.map(\.op) }).sorted()
        let width = 34
        var header = "op".padding(toLength: 20, withPad: " ", startingAt: 0)
        for r in reports { header += r.backend.padding(toLength: width, withPad: " ", startingAt: 0) }
        print(header)
        for op in ops {
            var line = op.rawValue.padding(toLength: 20, withPad: " ", startingAt: 0)
            for r in reports {
                guard let s = r.summary.first(where: { $0.op == op }) else { line += "-".padding(toLength: width, withPad: " ", startingAt: 0); continue }
                let status = s.failed == 0 ? "pass" : "FAIL"
                let cell = "\(status) \(s.cases - s.failed)/\(s.cases) err \(String(format: "%.1e", s.maxError))"
                line += cell.padding(toLength: width, withPad: " ", startingAt: 0)
            }
            print(line)
        }
    }
}
