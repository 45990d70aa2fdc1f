import Foundation

/// What the SIMD backend was compiled for and what this CPU offers.
public enum CPUFeatures {
    /// True when this module was compiled with `-target-cpu haswell` (or newer): `addingProduct`
    /// is then a single FMA instruction instead of a call to `fmaf` (about 100x slower).
    /// Package.swift sets the flag and the `BACKPROP_FMA` define together.
    public static let compiledWithFMA: Bool = {
        #if BACKPROP_FMA
        return true
        #else
        return false
        #endif
    }()

    /// The CPU flags from /proc/cpuinfo (empty where unreadable).
    public static let cpuFlags: Set<String> = {
        guard let text = try? String(contentsOfFile: "/proc/cpuinfo", encoding: .utf8),
              let line = text.split(separator: "\n").first(where: { $0.hasPrefix("flags") }),
              let colon = line.firstIndex(of: ":") else { return [] }
        return Set(line[line.index(after: colon)...].split(separator: " ").map(String.init))
    }()

    /// True when this CPU has AVX2 and FMA (or when it cannot be told: not Linux).
    public static let cpuHasAVX2FMA: Bool = {
        #if arch(x86_64)
        if cpuFlags.isEmpty { return true }
        return cpuFlags.contains("avx2") && cpuFlags.contains("fma")
        #else
        return true
        #endif
    }()

    /// Whether the backend can run here: code compiled for AVX2+FMA traps on a CPU without them.
    public static var canRun: Bool { !compiledWithFMA || cpuHasAVX2FMA }
}
