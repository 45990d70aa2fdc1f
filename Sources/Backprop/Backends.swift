@_exported import BackpropCore
@_exported import BackpropNaive
@_exported import BackpropSIMD
@_exported import BackpropBLAS

/// The built-in backends and the registry they live in.
///
/// Touching `Backends.registry` registers, once, into `BackendRegistry.shared`:
/// - `naive`: `NaiveBackend`, the reference.
/// - `simd`: `SIMDBackend`, with linear solves falling back to `naive`.
/// - `blas`: `BLASBackend` (OpenBLAS/LAPACKE) for GEMM, axpy, scale, copy and solves, everything
///   else falling back to `SIMDBackend`.
/// - `auto`: the fastest available here, per op and shape, from `backprop bench` on this machine
///   class: the GEMMs `autoUsesBLAS` selects, and solves, on OpenBLAS; every other GEMM and op on
///   `SIMDBackend`. Without FMA in the SIMD build: OpenBLAS and the reference.
public enum Backends {
    /// The process-wide registry, with the built-ins registered.
    public static var registry: BackendRegistry {
        _ = registration
        return BackendRegistry.shared
    }

    private static let registration: Void = {
        let r = BackendRegistry.shared
        r.register(BackendEntry(name: "naive", summary: "plain Swift loops; the reference every backend is checked against") { _ in
            NaiveBackend()
        })
        r.register(BackendEntry(name: "simd", summary: "SIMD-vectorised, cache-blocked, multithreaded Swift",
                                isAvailable: { CPUFeatures.canRun }) { o in
            FallbackBackend(name: "simd", primary: SIMDBackend(threads: o.threads), secondary: NaiveBackend())
        })
        r.register(BackendEntry(name: "blas", summary: "OpenBLAS + LAPACKE for GEMM, BLAS-1 and solves; other ops on simd",
                                isAvailable: { CPUFeatures.canRun }) { o in
            FallbackBackend(name: "blas", primary: BLASBackend(threads: o.threads), secondary: SIMDBackend(threads: o.threads))
        })
        r.register(BackendEntry(name: "auto", summary: "the fastest here per op and shape: the GEMMs OpenBLAS measured faster at, and solves, on OpenBLAS; the rest on simd") { o in
            if CPUFeatures.canRun && CPUFeatures.compiledWithFMA {
                // OpenBLAS on one thread only: its multithreaded workers spin after each call and
                // halve the SIMD kernels that run next (measured), and the shapes it gets are small.
                let threads = o.threads
                return FallbackBackend(name: "auto",
                                       primary: BLASBackend(threads: 1, gemmFilter: { autoUsesBLAS($0, $1, m: $2, n: $3, k: $4, threads: threads) },
                                                            gemmFilterDescription: autoRule(threads: threads)),
                                       secondary: SIMDBackend(threads: threads))
            }
            return FallbackBackend(name: "auto", primary: BLASBackend(threads: o.threads), secondary: NaiveBackend())
        })
    }()

    /// The GEMMs `auto` sends to (single-threaded) OpenBLAS, from `backprop bench --op gemm`
    /// (SIMD vs OpenBLAS, interleaved): today none. SIMD measured 0.94-1.8x OpenBLAS at every
    /// benchmarked shape on one and two threads (0.94-1.0 only at ≥ 1024³, within this machine's
    /// noise). Earlier rules — small Aᵀ·B weight gradients (SIMD was 0.27-0.6x) and large A·Bᵀ
    /// (0.88-0.92x) — went when the SIMD backend learnt to read Aᵀ in place and to pack Bᵀ
    /// faster. The filter stays so that a rule can return when a measurement calls for it.
    public static func autoUsesBLAS(_ transA: Transpose, _ transB: Transpose, m: Int, n: Int, k: Int, threads: Int) -> Bool {
        false
    }

    static func autoRule(threads: Int) -> String {
        "none: every GEMM on simd (measured at least as fast at every benchmarked shape)"
    }

    /// Makes a backend by name (see `BackendRegistry.make`).
    public static func make(_ name: String, threads: Int = 1) throws -> any Backend {
        try registry.make(name, options: BackendOptions(threads: threads))
    }
}
