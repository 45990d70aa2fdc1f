import ArgumentParser
import Backprop
import Foundation

struct BenchCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "bench",
        abstract: "Benchmark backends side by side: medians after warm-up, interleaved; GFLOPS or GB/s, % of this machine's roof, ratios to blas and naive.")

    @OptionGroup var compute: ComputeOptions

    @Option(help: "What to measure: gemm, elementwise, reduce, softmax, train, train-tiny, tape, lstm, or all (comma-separated).")
    var op: String = "gemm"

    @Option(parsing: .unconditional, help: "GEMM: only this square size N (M = K = N); default: 32…2048 and the MLP shapes.")
    var size: Int?

    @Option(help: "GEMM: only this shape, MxKxN with optional transposes, e.g. 128x784x256 or 784x128x256:TN.")
    var shape: String?

    @Option(parsing: .unconditional, help: "Timed rounds per measurement.")
    var repeats: Int = 7

    @Flag(help: "Print JSON rows instead of a table.")
    var json = false

    static let ops = ["gemm", "elementwise", "reduce", "softmax", "train", "train-tiny", "tape", "lstm"]

    func run() throws {
        if let size, size < 1 || size > 16384 { throw CLIError("--size must be in 1...16384, got \(size)") }
        guard repeats >= 1 else { throw CLIError("--repeats must be ≥ 1, got \(repeats)") }
        var selected = op.split(separator: ",").map(String.init)
        if selected == ["all"] { selected = Self.ops }
        for o in selected where !Self.ops.contains(o) {
            throw CLIError("--op: unknown benchmark '\(o)'; expected \(Self.ops.joined(separator: ", ")) or all")
        }
        let backends = try compute.names(fallback: "all").map { try compute.make($0) }
        let roofs = Roofs.measure(threads: compute.threads)
        var rows: [BenchRow] = []
        for o in selected {
            switch o {
            case "gemm":
                let only = try shape.map(BenchGEMM.Shape.init(parsing:)) ?? size.map { BenchGEMM.Shape(m: $0, k: $0, n: $0) }
                rows += BenchGEMM.run(backends, only: only, rounds: repeats, roofs: roofs)
            case "elementwise": rows += BenchElementwise.run(backends, rounds: repeats, roofs: roofs)
            case "reduce": rows += BenchElementwise.reductions(backends, rounds: repeats, roofs: roofs)
            case "softmax": rows += BenchElementwise.softmax(backends, rounds: repeats, roofs: roofs)
            case "train": rows += try BenchTrain.fashionMNIST(backends, rounds: repeats)
            case "tape": rows += try BenchTape.run(backends, rounds: repeats)
            case "lstm": rows += BenchLSTM.run(backends, rounds: repeats, roofs: roofs)
            default: rows += try BenchTrain.tiny(backends, rounds: repeats)
            }
        }
        BenchRow.addRatios(&rows)
        if json {
            print(BenchRow.json(rows))
        } else {
            print(String(format: "roofs (measured in this run, %d thread(s)): FP32 FMA peak %.1f GFLOPS (%.1f per core), memory copy %.1f GB/s",
                         compute.threads, roofs.gflops, roofs.gflopsPerCore, roofs.gbps))
            print(BenchRow.table(rows), terminator: "")
        }
    }
}
