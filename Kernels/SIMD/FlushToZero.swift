#if arch(x86_64)
import CIntrinsics
#endif

/// Subnormal floats (|x| < 1.18e-38) cost a microcode assist of ~100 cycles per operation on
/// x86. They appear in training: Adam's first moment of a unit whose gradient has become zero
/// decays by β₁ = 0.9 per step and is subnormal ~800 steps later, which made every epoch after
/// the first ~7% slower (measured on Fashion-MNIST). Like XLA, the SIMD backend's kernels run
/// with flush-to-zero and denormals-are-zero (MXCSR FTZ|DAZ): subnormal results and inputs count
/// as 0. The caller's floating-point mode is restored when each kernel returns; pool workers set
/// the mode once.
enum FlushToZero {
    /// MXCSR bits: FTZ (15) and DAZ (6).
    static let bits: UInt32 = 0x8040

    /// Sets FTZ|DAZ on this thread; returns the previous MXCSR for `restore` (nil when the bits
    /// were already set). Reads and writes MXCSR directly (`stmxcsr`/`ldmxcsr`, a few cycles):
    /// `fegetenv`/`fesetenv` also save and load the x87 environment, which cost ~5% of a step
    /// of the tiny-network benchmark (measured with perf).
    @inline(__always)
    static func enter() -> UInt32? {
        #if arch(x86_64)
        let saved = backprop_mxcsr_get()
        if saved & bits == bits { return nil }
        backprop_mxcsr_set(saved | bits)
        return saved
        #else
        return nil
        #endif
    }

    @inline(__always)
    static func restore(_ saved: UInt32?) {
        #if arch(x86_64)
        if let saved { backprop_mxcsr_set(saved) }
        #endif
    }

    /// Runs `body` with FTZ|DAZ set on this thread.
    @inline(__always)
    static func run<T>(_ body: () throws -> T) rethrows -> T {
        let saved = enter()
        defer { restore(saved) }
        return try body()
    }
}
