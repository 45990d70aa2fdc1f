import ArgumentParser
import Backprop
import Foundation

struct BenchCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "bench",
        abstract: "Benchmark backends side by side (medians after warm-up): GFLOPS, ratio to blas, % of peak.")

    @OptionGroup var compute: ComputeOptions

    @Option(name: .long, help: "What to measure: gemm.")
    var op: String = "gemm"

    @Option(name: .long, help: "Square GEMM size N (M = K = N).")
    var size: Int = 1024

    @Option(name: .long, help: "Timed repetitions per backend (after one warm-up).")
    var repeats: Int = 7

    @Flag(name: .long, help: "Print JSON rows instead of a table.")
    var json = false

    func validate() throws {
        guard size >= 1 else { throw ValidationError("--size must be ≥ 1, got \(size)") }
        guard repeats >= 1 else { throw ValidationError("--repeats must be ≥ 1, got \(repeats)") }
        guard op == "gemm" else { throw ValidationError("unknown --op '\(op)'; available: gemm") }
    }

    func run() throws {
        let names = try compute.names(fallback: "all")
        let peakPerCore = PeakFLOPS.measurePerCore()
        let peak = peakPerCore * Double(compute.threads)
        // naive is O(n³) scalar Double loops: its size is capped at 256 so the run stays short.
        let cases = try names.map { name in
            let n = name == "naive" ? min(size, 256) : size
            return BenchGEMM(backend: try compute.make(name), m: n, n: n, k: n)
        }
        var rows = BenchGEMM.interleaved(cases, repeats: repeats)
        let blas = rows.first { $0.backend == "blas" && $0.shape == "\(size)x\(size)x\(size)" }
        for i in rows.indices {
            rows[i].ratioToBLAS = blas.map { rows[i].gflops / $0.gflops }
            rows[i].percentOfPeak = 100 * rows[i].gflops / peak
        }
        if json {
            print(BenchRow.json(rows))
        } else {
            print("FP32 FMA peak measured: \(String(format: "%.1f", peakPerCore)) GFLOPS/core x \(compute.threads) thread(s)")
            print(BenchRow.table(rows))
        }
    }
}

/// One benchmark measurement.
struct BenchRow: Codable {
    var backend: String
    var op: String
    var shape: String
    var threads: Int
    var gflops: Double
    var secondsMedian: Double
    var ratioToBLAS: Double?
    var percentOfPeak: Double?

    enum CodingKeys: String, CodingKey {
        case backend, op, shape, threads, gflops
        case secondsMedian = "seconds_median"
        case ratioToBLAS = "ratio_to_blas"
        case percentOfPeak = "percent_of_peak"
    }

    static func json(_ rows: [BenchRow]) -> String {
        let e = JSONEncoder()
        e.outputFormatting = [.prettyPrinted, .sortedKeys]
        return String(decoding: try! e.encode(rows), as: UTF8.self)
    }
}

/// A table of rows, aligned.
extension BenchRow {
    static func table(_ rows: [BenchRow]) -> String {
        func pad(_ s: String, _ n: Int) -> String { s.count >= n ? s + " " : s + String(repeating: " ", count: n - s.count) }
        var out = pad("backend", 10) + pad("op", 8) + pad("shape", 20) + pad("threads", 9) + pad("GFLOPS", 9)
            + pad("median s", 12) + pad("vs blas", 9) + "% peak\n"
        for r in rows {
            out += pad(r.backend, 10) + pad(r.op, 8) + pad(r.shape, 20) + pad("\(r.threads)", 9)
                + pad(String(format: "%.1f", r.gflops), 9) + pad(String(format: "%.6f", r.secondsMedian), 12)
                + pad(r.ratioToBLAS.map { String(format: "%.2fx", $0) } ?? "-", 9)
                + (r.percentOfPeak.map { String(format: "%.1f", $0) } ?? "-") + "\n"
        }
        return out
    }
}

/// One GEMM problem on one backend, with its operands allocated once.
struct BenchGEMM {
    let backend: any Backend
    let m: Int, n: Int, k: Int
    var transA: Transpose = .none, transB: Transpose = .none
    let a: Tensor, b: Tensor, c: Tensor

    init(backend: any Backend, m: Int, n: Int, k: Int, transA: Transpose = .none, transB: Transpose = .none) {
        self.backend = backend
        self.m = m; self.n = n; self.k = k
        self.transA = transA; self.transB = transB
        a = Tensor(shape: [m, k]); b = Tensor(shape: [k, n]); c = Tensor(shape: [m, n])
        var g = RandomGenerator(seed: 1)
        g.fill(.uniform(low: -1, high: 1), a.data, count: a.count)
        g.fill(.uniform(low: -1, high: 1), b.data, count: b.count)
    }

    func callAsFunction() {
        backend.gemm(transA, transB, m: m, n: n, k: k, alpha: 1, a: a.data, lda: transA == .none ? k : m,
                     b: b.data, ldb: transB == .none ? n : k, beta: 0, c: c.data, ldc: n)
    }

    var flops: Double { 2 * Double(m) * Double(n) * Double(k) }

    /// Times every case `repeats` times, interleaved (A B C A B C ...) after one warm-up round,
    /// so that the machine's drift hits all backends alike; reports medians.
    static func interleaved(_ cases: [BenchGEMM], repeats: Int) -> [BenchRow] {
        var times = [[Double]](repeating: [], count: cases.count)
        for round in 0...repeats {
            for (i, c) in cases.enumerated() {
                // Small problems: time a batch of calls so the clock's resolution does not matter.
                let inner = max(1, Int(2e7 / c.flops))
                let t0 = DispatchTime.now().uptimeNanoseconds
                for _ in 0..<inner { c() }
                let t = Double(DispatchTime.now().uptimeNanoseconds - t0) * 1e-9 / Double(inner)
                if round > 0 { times[i].append(t) }
            }
        }
        return cases.indices.map { i in
            let s = times[i].sorted()[times[i].count / 2]
            let c = cases[i]
            var shape = "\(c.m)x\(c.k)x\(c.n)"
            if c.transA == .transpose || c.transB == .transpose {
                shape += " \(c.transA.rawValue)\(c.transB.rawValue)"
            }
            return BenchRow(backend: c.backend.name, op: "gemm", shape: shape, threads: c.backend.threads,
                            gflops: c.flops / s / 1e9, secondsMedian: s)
        }
    }
}
