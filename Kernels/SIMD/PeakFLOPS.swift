import Foundation

/// Measures this machine's FP32 FMA throughput at this module's vector width: a short loop of
/// FMAs on twelve independent chains (enough to cover FMA latency on two FMA ports) of 8-float
/// (AVX2) or 16-float (AVX-512 build) vectors, on each thread.
public enum PeakFLOPS {
    #if BACKPROP_AVX512
    typealias Lanes = SIMD16<Float>
    #else
    typealias Lanes = SIMD8<Float>
    #endif

    @inline(never)
    static func fmaLoop(_ iterations: Int, _ seed: Float) -> Float {
        var a0 = Lanes(repeating: seed), a1 = a0 + 1, a2 = a0 + 2, a3 = a0 + 3, a4 = a0 + 4, a5 = a0 + 5
        var a6 = a0 + 6, a7 = a0 + 7, a8 = a0 + 8, a9 = a0 + 9, a10 = a0 + 10, a11 = a0 + 11
        let m = Lanes(repeating: 0.999_999), c = Lanes(repeating: 1e-7)
        for _ in 0..<iterations {
            a0 = c.addingProduct(a0, m); a1 = c.addingProduct(a1, m); a2 = c.addingProduct(a2, m)
            a3 = c.addingProduct(a3, m); a4 = c.addingProduct(a4, m); a5 = c.addingProduct(a5, m)
            a6 = c.addingProduct(a6, m); a7 = c.addingProduct(a7, m); a8 = c.addingProduct(a8, m)
            a9 = c.addingProduct(a9, m); a10 = c.addingProduct(a10, m); a11 = c.addingProduct(a11, m)
        }
        let s = a0 + a1 + a2 + a3 + a4 + a5 + a6 + a7 + a8 + a9 + a10 + a11
        return s.sum()
    }

    /// GFLOPS per core: the best of a few timed runs of ~20 ms each.
    public static func measurePerCore() -> Double {
        let iterations = 400_000
        _ = fmaLoop(10_000, 1)
        var best = 0.0
        for r in 0..<5 {
            let t0 = DispatchTime.now().uptimeNanoseconds
            let s = fmaLoop(iterations, Float(r))
            let t1 = DispatchTime.now().uptimeNanoseconds
            if s == 12345 { print("") }   // keep the result alive
            let flops = Double(iterations) * 12 * Double(Lanes.scalarCount) * 2
            best = max(best, flops / Double(t1 - t0))
        }
        return best
    }
}
