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
///   class: GEMMs of at least `autoBLASMinimumWork` multiply-adds with every dimension ≥ 16, and
///   solves, on OpenBLAS; smaller and skinny GEMMs (where the SIMD backend measured 1.03-1.8x
///   OpenBLAS) and every other op on `SIMDBackend`. Without FMA in the SIMD build: OpenBLAS and
///   the reference.
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
        r.register(BackendEntry(name: "auto", summary: "the fastest here per op and shape: large GEMMs and solves on OpenBLAS, the rest on simd") { o in
            if CPUFeatures.canRun && CPUFeatures.compiledWithFMA {
                return FallbackBackend(name: "auto", primary: BLASBackend(threads: o.threads, gemmMinimumWork: autoBLASMinimumWork),
                                       secondary: SIMDBackend(threads: o.threads))
            }
            return FallbackBackend(name: "auto", primary: BLASBackend(threads: o.threads), secondary: NaiveBackend())
        })
    }()

    /// The GEMM size (m·n·k) from which `auto` uses OpenBLAS: 2²³, between 128x256x128 (4.2M,
    /// SIMD 1.03x OpenBLAS) and 128x784x256 (25.7M, SIMD 0.88x), measured on one thread.
    public static let autoBLASMinimumWork = 1 << 23

    /// Makes a backend by name (see `BackendRegistry.make`).
    public static func make(_ name: String, threads: Int = 1) throws -> any Backend {
        try registry.make(name, options: BackendOptions(threads: threads))
    }
}
