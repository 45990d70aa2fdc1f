import Foundation

/// One benchmark measurement: a row of the table and of `--json`.
struct BenchRow: Codable {
    var backend: String
    var op: String
    /// Dimensions as text: M×K×N for GEMM (`1024x1024x1024`), rows×cols or a count otherwise.
    var shape: String
    var threads: Int
    var gflops: Double?
    var gbps: Double?
    var secondsMedian: Double
    var ratioToBLAS: Double?
    var ratioToNaive: Double?
    var percentOfRoof: Double?
    var secondsPerEpoch: Double?
    var samplesPerSecond: Double?
    var stepsPerSecond: Double?
    /// Training characters (tokens) per second, for language models.
    var charsPerSecond: Double?
    /// A tape row's time per step over the hand-written step's (measured in the same run).
    var timeVersusHandWritten: Double?

    init(backend: String, op: String, shape: String, threads: Int, seconds: Double) {
        self.backend = backend
        self.op = op
        self.shape = shape
        self.threads = threads
        self.secondsMedian = seconds
    }

    enum CodingKeys: String, CodingKey {
        case backend, op, shape, threads, gflops, gbps
        case secondsMedian = "seconds_median"
        case ratioToBLAS = "ratio_to_blas"
        case ratioToNaive = "ratio_to_naive"
        case percentOfRoof = "percent_of_roof"
        case secondsPerEpoch = "seconds_per_epoch"
        case samplesPerSecond = "samples_per_second"
        case stepsPerSecond = "steps_per_second"
        case charsPerSecond = "chars_per_second"
        case timeVersusHandWritten = "time_vs_hand_written"
    }

    /// The throughput figure the ratios compare (higher is better).
    var throughput: Double { gflops ?? gbps ?? stepsPerSecond ?? samplesPerSecond ?? 1 / secondsMedian }

    static func json(_ rows: [BenchRow]) -> String {
        let e = JSONEncoder()
        e.outputFormatting = [.prettyPrinted, .sortedKeys]
        return String(decoding: try! e.encode(rows), as: UTF8.self)
    }

    /// Fills in the ratios to blas and naive for rows of the same op and shape.
    static func addRatios(_ rows: inout [BenchRow]) {
        for i in rows.indices {
            let same = rows.filter { $0.op == rows[i].op && $0.shape == rows[i].shape && $0.threads == rows[i].threads }
            if let b = same.first(where: { $0.backend == "blas" }) { rows[i].ratioToBLAS = rows[i].throughput / b.throughput }
            if let n = same.first(where: { $0.backend == "naive" }) { rows[i].ratioToNaive = rows[i].throughput / n.throughput }
        }
    }

    static func table(_ rows: [BenchRow]) -> String {
        func pad(_ s: String, _ n: Int) -> String { s.count >= n ? s + " " : s + String(repeating: " ", count: n - s.count) }
        func f(_ v: Double?, _ fmt: String) -> String { v.map { String(format: fmt, $0) } ?? "-" }
        var out = pad("backend", 8) + pad("op", 22) + pad("shape", 20) + pad("thr", 4) + pad("GFLOPS", 8) + pad("GB/s", 7)
            + pad("median s", 11) + pad("vs blas", 8) + pad("vs naive", 9) + pad("% roof", 7) + "s/epoch  samp|chr/s steps/s  vs hand\n"
        for r in rows {
            out += pad(r.backend, 8) + pad(r.op, 22) + pad(r.shape, 20) + pad("\(r.threads)", 4) + pad(f(r.gflops, "%.1f"), 8)
                + pad(f(r.gbps, "%.1f"), 7) + pad(String(format: "%.3g", r.secondsMedian), 11)
                + pad(f(r.ratioToBLAS, "%.2fx"), 8) + pad(f(r.ratioToNaive, "%.0fx"), 9) + pad(f(r.percentOfRoof, "%.0f"), 7)
                + pad(f(r.secondsPerEpoch, "%.3f"), 9) + pad(f(r.samplesPerSecond ?? r.charsPerSecond, "%.0f"), 11) + pad(f(r.stepsPerSecond, "%.0f"), 9)
                + f(r.timeVersusHandWritten, "%.2fx") + "\n"
        }
        return out
    }
}
