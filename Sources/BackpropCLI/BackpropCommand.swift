import ArgumentParser
import Backprop
import Foundation

@main
struct BackpropCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "backprop",
        abstract: "Deep learning from first principles, on the CPU, in Swift.",
        subcommands: [TrainCommand.self, EvaluateCommand.self, PredictCommand.self, TextgenCommand.self, ExperimentCommand.self, ImportCommand.self, BackendsCommand.self, ConformanceCommand.self, BenchCommand.self]
    )
}

/// `--backend` and `--threads`, shared by every subcommand that computes.
struct ComputeOptions: ParsableArguments {
    @Option(name: .long, help: "Backend: naive, simd, blas, auto, or any registered name (default: $BACKPROP_BACKEND, else auto); simd-avx2 and simd-avx512 name one build of the SIMD kernels, for comparisons.")
    var backend: String?

    @Option(name: .long, parsing: .unconditional, help: "Threads for the backend's kernels (≥ 1).")
    var threads: Int = 1

    /// The selected name: the option, else BACKPROP_BACKEND, else `fallback`.
    func name(fallback: String = "auto") -> String {
        BackendRegistry.selectedName(option: backend, environment: ProcessInfo.processInfo.environment, fallback: fallback)
    }

    /// Backend names to run: every registered one for `all`, else the one(s) selected (comma-separated).
    func names(fallback: String = "auto", includeNaive: Bool = true) throws -> [String] {
        let n = name(fallback: fallback)
        if n == "all" {
            return Backends.registry.names.filter { includeNaive || $0 != "naive" }
        }
        let list = n.split(separator: ",").map(String.init)
        for name in list where Self.simdLevel(name) == nil { _ = try Backends.registry.entry(name) }
        return list
    }

    /// The SIMD level `simd-avx2` / `simd-avx512` names, if it is one of them.
    static func simdLevel(_ name: String) -> SIMDLevel? {
        name.hasPrefix("simd-") ? SIMDLevel(rawValue: String(name.dropFirst(5))) : nil
    }

    func make(_ name: String) throws -> RoutedBackend {
        guard threads >= 1 else { throw CLIError("--threads must be ≥ 1, got \(threads)") }
        guard threads <= BackendOptions.maximumThreads else {
            throw CLIError("--threads \(threads) is more than the \(BackendOptions.maximumThreads) allowed here (4 × the \(BackendOptions.maximumThreads / 4) cores)")
        }
        if let level = Self.simdLevel(name) {
            guard let best = SIMDLevel.best(for: .current).level, level <= best else {
                throw CLIError("--backend \(name): this CPU cannot run it (\(SIMDLevel.best(for: .current).reason))")
            }
            return RoutedBackend(name: name, summary: "the \(level) build of the SIMD kernels",
                                 routes: Backends.simdRoutes(level: level, threads: threads, solver: NaiveBackend()))
        }
        return try Backends.make(name, threads: threads)
    }
}

/// Errors the CLI reports as one line.
struct CLIError: Error, CustomStringConvertible {
    let description: String
    init(_ message: String) { description = message }
}
