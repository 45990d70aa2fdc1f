@_exported import BackpropCore
@_exported import BackpropNaive
@_exported import BackpropSIMD
@_exported import BackpropBLAS
import BackpropSIMD512

/// The built-in backends, and the routing table of each: which kernels run which group.
///
/// | backend | gemm | vector | elementwise | reduction | random | optimizer | solver |
/// | --- | --- | --- | --- | --- | --- | --- | --- |
/// | `naive` | naive | naive | naive | naive | naive | naive | naive |
/// | `simd`  | simd | simd | simd | simd | simd | simd | naive |
/// | `blas`  | openblas | openblas | simd | simd | simd | simd | openblas |
///
/// (vector: axpy, scale, copy; fills are elementwise.)
/// | `auto`  | simd | simd | simd | simd | simd | simd | openblas (1 thread) |
///
/// "simd" is the SIMD kernels of the level `SIMDLevel.selected` chooses from CPUID: the AVX-512
/// build where the CPU has it and the OS saves its state, the AVX2 build otherwise
/// (`BACKPROP_SIMD_ISA=avx2` forces the AVX2 build).
///
/// `auto` is the fastest here per group and shape, from `backprop bench` on this machine class:
/// the SIMD kernels measured at least as fast as OpenBLAS at every benchmarked GEMM shape on one and
/// two threads, and at every vector op (OpenBLAS's axpy/scale/copy are single-threaded calls with
/// their own overhead); OpenBLAS/LAPACKE does the solves, on one thread (its workers spin after
/// a threaded call and halve the SIMD kernels that run next). `autoGEMMException` is where a
/// GEMM rule goes when a measurement calls for one; today there is none. Without FMA in the SIMD
/// build, `auto` is OpenBLAS for GEMM, vectors and solves and the reference for the rest.
public enum Backends {
    /// The process-wide registry, with the built-ins registered (`BackendRegistry.shared`).
    public static var registry: BackendRegistry { BackendRegistry.shared }

    /// Makes a backend by name (see `BackendRegistry.make`).
    public static func make(_ name: String, threads: Int = 1) throws -> RoutedBackend {
        try registry.make(name, options: BackendOptions(threads: threads))
    }

    /// The built-in entries, in the order the registry lists them.
    static var builtIns: [BackendEntry] {
        [
            BackendEntry(name: "naive", summary: "plain Swift loops; the reference every backend is checked against") { _ in
                NaiveBackend()
            },
            BackendEntry(name: "simd", summary: "SIMD-vectorised, cache-blocked, multithreaded Swift (AVX-512 or AVX2 build, chosen at run time); solves on the reference",
                         isAvailable: { simdAvailable }) { o in
                simdRoutes(threads: o.threads, solver: NaiveBackend())
            },
            BackendEntry(name: "blas", summary: "OpenBLAS + LAPACKE for GEMM, BLAS-1 (axpy, scale, copy) and solves; the other groups on simd",
                         isAvailable: { simdAvailable }) { o in
                let blas = BLASKernels(threads: o.threads)
                var routes = simdRoutes(threads: o.threads, solver: blas)
                routes.gemm = blas
                routes.vector = blas
                return routes
            },
            BackendEntry(name: "auto", summary: "the fastest here per group and shape: simd for every group but solves, OpenBLAS/LAPACKE for solves") { o in
                if simdAvailable && BackpropSIMD.CPUFeatures.compiledWithFMA {
                    var routes = simdRoutes(threads: o.threads, solver: BLASKernels(threads: 1))
                    routes.gemmException = autoGEMMException(threads: o.threads)
                    return routes
                }
                let blas = BLASKernels(threads: o.threads), naive = NaiveBackend()
                return Routes(gemm: blas, vector: blas, elementwise: naive, reduction: naive, random: naive,
                              optimizer: naive, solver: blas)
            },
        ]
    }

    /// Whether the SIMD kernels can run here (the CPU and OS have AVX2+FMA at least).
    static var simdAvailable: Bool { SIMDLevel.selected.level != nil }

    /// Every group but solves on the SIMD kernels of `level` (default: the selected one), solves
    /// on `solver`. Asking for a level this CPU lacks is a programmer error (it would trap on an
    /// illegal instruction): check `SIMDLevel.best(for: .current)` first.
    public static func simdRoutes(level: SIMDLevel? = SIMDLevel.selected.level, threads: Int, solver: any SolverKernels) -> Routes {
        if let level, let best = SIMDLevel.best(for: .current).level {
            precondition(level <= best, "SIMD level \(level) on a CPU that has only \(best)")
        }
        switch level {
        case .avx512?: return Routes(all: BackpropSIMD512.SIMDKernels(threads: threads), solver: solver)
        default: return Routes(all: BackpropSIMD.SIMDKernels(threads: threads), solver: solver)
        }
    }

    /// This CPU's FP32 FMA peak per core at the selected level's vector width, GFLOPS.
    public static func simdPeakPerCore() -> Double {
        SIMDLevel.selected.level == .avx512 ? BackpropSIMD512.PeakFLOPS.measurePerCore() : BackpropSIMD.PeakFLOPS.measurePerCore()
    }

    /// The GEMMs `auto` sends to (single-threaded) OpenBLAS, from `backprop bench --op gemm`
    /// (SIMD vs OpenBLAS, interleaved): today none. SIMD measured 0.94-1.8x OpenBLAS at every
    /// benchmarked shape on one and two threads on Zen 3 (0.94-1.0 only at ≥ 1024³, within this
    /// machine's noise). Earlier rules — small Aᵀ·B weight gradients (SIMD was 0.27-0.6x) and large
    /// A·Bᵀ (0.88-0.92x) — went when the SIMD kernels learnt to read Aᵀ in place and to pack Bᵀ
    /// faster. Re-measured 2026-12-02 on Zen 5 (AMD EPYC family 26, AVX-512; OpenBLAS runs its
    /// Haswell kernels there): the AVX-512 build 1.2-1.95x OpenBLAS at every benchmarked shape on
    /// one thread, 1.05-2.7x on two. Return a `GEMMException` here when a measurement calls for one.
    static func autoGEMMException(threads: Int) -> GEMMException? { nil }
}
