import ArgumentParser
import Backprop
import Foundation

@main
struct BackpropCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "backprop",
        abstract: "Deep learning from first principles, on the CPU, in Swift.",
        subcommands: [TrainCommand.self, EvaluateCommand.self, PredictCommand.self, ImportCommand.self, BackendsCommand.self, ConformanceCommand.self, BenchCommand.self]
    )
}

/// `--backend` and `--threads`, shared by every subcommand that computes.
struct ComputeOptions: ParsableArguments {
    @Option(name: .long, help: "Backend: naive, simd, blas, auto, or any registered name (default: $BACKPROP_BACKEND, else auto).")
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
        for name in list { _ = try Backends.registry.entry(name) }
        return list
    }

    func make(_ name: String) throws -> RoutedBackend {
        guard threads >= 1 else { throw CLIError("--threads must be ≥ 1, got \(threads)") }
        guard threads <= BackendOptions.maximumThreads else {
            throw CLIError("--threads \(threads) is more than the \(BackendOptions.maximumThreads) allowed here (4 × the \(BackendOptions.maximumThreads / 4) cores)")
        }
        return try Backends.make(name, threads: threads)
    }
}

/// Errors the CLI reports as one line.
struct CLIError: Error, CustomStringConvertible {
    let description: String
    init(_ message: String) { description = message }
}
