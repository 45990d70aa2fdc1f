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
        var rows: [BenchRow] = []
        for name in names {
            let b = try compute.make(name)
            // naive is O(n³) scalar Double loops: cap its size so the run stays short.
            let n = name == "naive" ? min(size, 256) : size
            rows.append(BenchGEMM.run(b, m: n, n: n, k: n, repeats: name == "naive" ? min(repeats, 3) : repeats))
        }
        let blas = rows.first { $0.backend == "blas" && $0.shape == "\(size)x\(size)x\(size)" }
        for i in rows.indices {
            rows[i].ratioToBLAS = blas.map { rows[i].gflops / $0.gflops }
            rows[i].percentOfPeak = 100 * rows[i].gflops / peak
        }
        if json {
            print(BenchRow.json(rows))
        } else {
            print("FP32 FMA peak measured: \(String(format: "%.1f", peakPerCore)) GFLOPS/core x \(compute.threads) thread(s)")
            print("backend   shape              threads  GFLOPS   median s    vs blas  % peak")
            for r in rows {
                print(String(format: "%-9@ %-18@ %7d  %7.1f  %9.5f  %7@  %6.1f", r.backend as NSString, r.shape as NSString,
                             r.threads, r.gflops, r.secondsMedian,
                             (r.ratioToBLAS.map { String(format: "%.2fx", $0) } ?? "-") as NSString, r.percentOfPeak ?? 0))
            }
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

/// Median wall time of `body` over `repeats` runs after one warm-up run.
func medianSeconds(repeats: Int, _ body: () -> Void) -> Double {
    body()
    var times: [Double] = []
    for _ in 0..<repeats {
        let t0 = DispatchTime.now().uptimeNanoseconds
        body()
        times.append(Double(DispatchTime.now().uptimeNanoseconds - t0) * 1e-9)
    }
    times.sort()
    return times[times.count / 2]
}

enum BenchGEMM {
    static func run(_ b: any Backend, m: Int, n: Int, k: Int, repeats: Int,
                    transA: Transpose = .none, transB: Transpose = .none) -> BenchRow {
        let a = Tensor(shape: [m, k]), bm = Tensor(shape: [k, n]), c = Tensor(shape: [m, n])
        var g = RandomGenerator(seed: 1)
        b.fillRandom(.uniform(low: -1, high: 1), a.data, count: a.count, generator: &g)
        b.fillRandom(.uniform(low: -1, high: 1), bm.data, count: bm.count, generator: &g)
        let lda = transA == .none ? k : m
        let ldb = transB == .none ? n : k
        let s = medianSeconds(repeats: repeats) {
            b.gemm(transA, transB, m: m, n: n, k: k, alpha: 1, a: a.data, lda: lda, b: bm.data, ldb: ldb, beta: 0, c: c.data, ldc: n)
        }
        return BenchRow(backend: b.name, op: "gemm", shape: "\(m)x\(k)x\(n)", threads: b.threads,
                        gflops: 2 * Double(m) * Double(n) * Double(k) / s / 1e9, secondsMedian: s)
    }
}
