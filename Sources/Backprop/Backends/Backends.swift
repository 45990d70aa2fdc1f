@_exported import BackpropCore
@_exported import BackpropNaive
@_exported import BackpropSIMD
@_exported import BackpropBLAS

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
            BackendEntry(name: "simd", summary: "SIMD-vectorised, cache-blocked, multithreaded Swift; solves on the reference",
                         isAvailable: { CPUFeatures.canRun }) { o in
                Routes(all: SIMDKernels(threads: o.threads), solver: NaiveBackend())
            },
            BackendEntry(name: "blas", summary: "OpenBLAS + LAPACKE for GEMM, BLAS-1 (axpy, scale, copy) and solves; the other groups on simd",
                         isAvailable: { CPUFeatures.canRun }) { o in
                let blas = BLASKernels(threads: o.threads), simd = SIMDKernels(threads: o.threads)
                return Routes(gemm: blas, vector: blas, elementwise: simd, reduction: simd, random: simd,
                              optimizer: simd, solver: blas)
            },
            BackendEntry(name: "auto", summary: "the fastest here per group and shape: simd for every group but solves, OpenBLAS/LAPACKE for solves") { o in
                if CPUFeatures.canRun && CPUFeatures.compiledWithFMA {
                    var routes = Routes(all: SIMDKernels(threads: o.threads), solver: BLASKernels(threads: 1))
                    routes.gemmException = autoGEMMException(threads: o.threads)
                    return routes
                }
                let blas = BLASKernels(threads: o.threads), naive = NaiveBackend()
                return Routes(gemm: blas, vector: blas, elementwise: naive, reduction: naive, random: naive,
                              optimizer: naive, solver: blas)
            },
        ]
    }

    /// The GEMMs `auto` sends to (single-threaded) OpenBLAS, from `backprop bench --op gemm`
    /// (SIMD vs OpenBLAS, interleaved): today none. SIMD measured 0.94-1.8x OpenBLAS at every
    /// benchmarked shape on one and two threads on Zen 3 (0.94-1.0 only at ≥ 1024³, within this
    /// machine's noise). Earlier rules — small Aᵀ·B weight gradients (SIMD was 0.27-0.6x) and large
    /// A·Bᵀ (0.88-0.92x) — went when the SIMD kernels learnt to read Aᵀ in place and to pack Bᵀ
    /// faster. Return a `GEMMException` here when a measurement calls for one.
    static func autoGEMMException(threads: Int) -> GEMMException? { nil }
}
