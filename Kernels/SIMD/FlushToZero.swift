#if canImport(Glibc)
import Glibc
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

    /// Sets FTZ|DAZ on this thread; returns the previous environment for `restore`.
    @inline(__always)
    static func enter() -> fenv_t? {
        #if arch(x86_64) && canImport(Glibc)
        var env = fenv_t()
        fegetenv(&env)
        if env.__mxcsr & bits == bits { return nil }
        let saved = env
        env.__mxcsr |= bits
        fesetenv(&env)
        return saved
        #else
        return nil
        #endif
    }

    @inline(__always)
    static func restore(_ saved: fenv_t?) {
        #if arch(x86_64) && canImport(Glibc)
        if var env = saved { fesetenv(&env) }
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
