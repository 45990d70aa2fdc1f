import BackpropCore

/// SIMD-vectorised, cache-blocked, multithreaded Swift kernels: every kernel group but linear
/// solves (the registry's `simd` routes those to the reference, `auto` to LAPACKE). Not a
/// `Backend` on its own: `Backends.make("simd")` is this plus a solver.
///
/// GEMM follows BLIS: packed panels of A and B, a 6x16 register-blocked microkernel of FMAs on
/// `SIMD16<Float>`, MC/KC/NC cache blocking, threads over bands of C. Elementwise maps and
/// reductions work on 16-float vectors with a polynomial `exp` (sigmoid, tanh, ELU, softmax).
/// Threads come from a persistent pool; arrays below 64 Ki elements (and GEMMs below 64³
/// multiply-adds) stay on the calling thread.
///
/// Not reentrant: one instance runs one kernel at a time (its GEMM workspaces are its own).
/// Compiled for AVX2+FMA by Package.swift (`-target-cpu haswell`); see `CPUFeatures`.
public final class SIMDKernels: GEMMKernels, VectorKernels, ElementwiseKernels, ReductionKernels, RandomKernels,
                                 OptimizerKernels, @unchecked Sendable {
    public let name: String
    public let threads: Int
    let pool: WorkerPool
    let workspaces: [GEMMWorkspace]

    /// With threads > 1, `threads` single-threaded copies, each with its own GEMM workspace.
    private let copies: [SIMDKernels]

    public init(name: String = "simd", threads: Int = 1) {
        precondition(threads >= 1, "threads must be ≥ 1")
        self.name = name
        self.threads = threads
        self.pool = WorkerPool.shared(participants: threads)
        self.workspaces = (0..<threads).map { _ in GEMMWorkspace() }
        copies = threads > 1 ? (0..<threads).map { _ in SIMDKernels(name: name, threads: 1) } : []
    }

    /// One single-threaded copy per thread, for `Backend.forEachPartition` (nil on one thread).
    public var partitions: [any KernelProvider]? { copies.isEmpty ? nil : copies }

    /// Runs `body(t)` on thread t of this instance's pool, all at once.
    public func runOnThreads(_ body: (Int) -> Void) { pool.run(body) }

    /// The instruction set this build of the kernels was compiled for.
    #if BACKPROP_AVX512
    public static let isa = "avx512"
    static let width = "16 floats per vector (SIMD16<Float>, one AVX-512 zmm register)"
    #else
    public static let isa = "avx2"
    static let width = "16 floats per vector (SIMD16<Float>, 2 x AVX2 registers)"
    #endif

    public var details: [(key: String, value: String)] {
        [("isa", Self.isa),
         ("simd width", Self.width),
         ("fma", CPUFeatures.compiledWithFMA
            ? "yes (compiled with -target-cpu for FMA)"
            : "NO: compiled for baseline x86-64; addingProduct calls fmaf (~100x slower). Build with Package.swift's flags"),
         ("cpu avx2+fma", CPUFeatures.cpuHasAVX2FMA ? "yes" : "no"),
         ("subnormals", "flushed to zero inside kernels (FTZ/DAZ), caller's mode restored"),
         ("gemm", "6x16 microkernel, MC=\(Blocking.mc) KC=\(Blocking.kc) NC=\(Blocking.nc); small problems read A in place (Aᵀ·B too, or as Cᵀ); n ≤ 10 as 12x8 tiles and dot products along k; one row times Bᵀ as dot products, times B a row of B per step")]
    }
}
