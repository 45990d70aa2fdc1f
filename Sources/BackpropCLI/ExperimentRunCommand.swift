import ArgumentParser
import Backprop
import Foundation

/// `backprop experiment NAME` for any `Experiment`: the shared options (`--seeds`, `--out`,
/// `--quick`, `--backend`, `--threads`), progress per run, then the table, the verdict, and
/// `out/NAME.csv`, `out/NAME.svg` and `out/NAME.md` (set-up, table and verdict), written atomically.
struct ExperimentRunCommand<E: Experiment>: ParsableCommand {
    static var configuration: CommandConfiguration {
        CommandConfiguration(commandName: E.name, abstract: E.claim)
    }

    @OptionGroup var options: ExperimentOptions
    var compute: ComputeOptions { options.compute }

    func run() throws {
        var e = options.quick ? E.quick : E()
        if let seeds = try ExperimentOutput.seeds(options.seeds) { e.seeds = seeds }
        let (csvPath, svgPath, mdPath) = try ExperimentOutput.prepare(options.out, E.name)
        let backend = try compute.make(compute.name(fallback: "simd"))
        print("\(E.name): \(e.setup); \(e.seeds) seed(s); backend \(backend.name), \(compute.threads) thread(s)")
        fflush(nil)
        let start = Date()
        let results = try e.measure(on: backend) { line in
            print("  " + line)
            fflush(nil)
        }
        let report = e.report(results)
        print(report.table, terminator: report.table.hasSuffix("\n") ? "" : "\n")
        print(report.verdict)
        let summary = "# backprop experiment \(E.name)\n\n\(E.claim)\n\nSet-up: \(e.setup); \(e.seeds) seed(s); backend \(backend.name), \(compute.threads) thread(s).\n\n"
            + report.table + "\n" + report.verdict + "\n"
        try AtomicFile.write(Data(report.csv.utf8), to: csvPath)
        try AtomicFile.write(Data(report.svg.utf8), to: svgPath)
        try AtomicFile.write(Data(summary.utf8), to: mdPath)
        print(String(format: "wrote %@, %@ and %@ (%.1f s)", csvPath as NSString, svgPath as NSString, mdPath as NSString, Date().timeIntervalSince(start)))
    }
}
