import Backprop

/// This machine's roofs, measured in the same run: the FP32 FMA peak and the bandwidth of a
/// plain copy of an array far larger than the caches.
struct Roofs {
    let gflopsPerCore: Double
    let gflops: Double
    let gbps: Double

    static func measure(threads: Int) -> Roofs {
        let perCore = Backends.simdPeakPerCore()
        let n = 1 << 24   // 64 MiB per array
        let a = Tensor(shape: [n]), b = Tensor(shape: [n])
        let simd = SIMDKernels(threads: threads)
        let t = Interleaved.medians([{ simd.copy(a.data, b.data, count: n) }], rounds: 5, sampleSeconds: 0.05)[0]
        return Roofs(gflopsPerCore: perCore, gflops: perCore * Double(threads), gbps: Double(2 * n * 4) / t / 1e9)
    }
}
