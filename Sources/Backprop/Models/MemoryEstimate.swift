import Foundation

/// What training a model will ask of memory, computed before anything is allocated, so that a
/// model far too large (a typo in `--layers`) is refused with the numbers instead of ending in
/// "failed to allocate".
public enum MemoryEstimate {
    /// The trainable values of an MLP of `sizes` (weights and biases), or nil when the count
    /// overflows.
    public static func mlpParameters(_ sizes: [Int]) -> Int? {
        var total = 0
        for (a, b) in zip(sizes, sizes.dropFirst()) {
            let (w, o1) = a.multipliedReportingOverflow(by: b)
            let (layer, o2) = w.addingReportingOverflow(b)
            let (t, o3) = total.addingReportingOverflow(layer)
            guard !o1, !o2, !o3 else { return nil }
            total = t
        }
        return total
    }

    /// Bytes to train an MLP of `sizes` on batches of `batch` rows: values, gradients and up to
    /// two optimiser slots (4 copies of the parameters), plus each layer's activation buffers
    /// (4 per layer: output, its gradient, the input gradient, scratch) for a batch. Nil on overflow.
    public static func mlpTrainingBytes(_ sizes: [Int], batch: Int) -> Int? {
        guard let p = mlpParameters(sizes) else { return nil }
        var activations = 0
        for s in sizes {
            let (a, o1) = s.multipliedReportingOverflow(by: batch)
            let (t, o2) = activations.addingReportingOverflow(a)
            guard !o1, !o2 else { return nil }
            activations = t
        }
        let (params, o3) = p.multipliedReportingOverflow(by: 4 * 4)
        let (acts, o4) = activations.multipliedReportingOverflow(by: 4 * 4)
        let (total, o5) = params.addingReportingOverflow(acts)
        return o3 || o4 || o5 ? nil : total
    }

    /// The memory this process may still use: `MemAvailable` from /proc/meminfo (Linux), or the
    /// physical memory elsewhere, and no more than the address-space limit (`ulimit -v`,
    /// `prlimit --as`) when one is set.
    public static var availableBytes: Int {
        var limit = rlimit()
        let cap: Int = getrlimit(Int32(RLIMIT_AS.rawValue), &limit) == 0 && limit.rlim_cur != rlim_t.max
            ? Int(clamping: limit.rlim_cur) : Int.max
        return min(systemAvailableBytes, cap)
    }

    private static var systemAvailableBytes: Int {
        if let text = try? String(contentsOfFile: "/proc/meminfo", encoding: .utf8),
           let line = text.split(separator: "\n").first(where: { $0.hasPrefix("MemAvailable:") }),
           let kb = line.split(separator: " ").dropFirst().first.flatMap({ Int($0) }) {
            return kb * 1024
        }
        return Int(clamping: ProcessInfo.processInfo.physicalMemory)
    }

    /// `bytes` in GiB with two decimals.
    public static func gib(_ bytes: Int) -> String { String(format: "%.2f GiB", Double(bytes) / Double(1 << 30)) }
}
