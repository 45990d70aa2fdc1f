import BackpropCore
import CBLAS
import Synchronization

/// OpenBLAS and LAPACKE (Debian's libopenblas-dev, liblapacke-dev).
///
/// The groups OpenBLAS has kernels for: GEMM (`cblas_sgemm`), the BLAS-1 vector ops
/// (`cblas_saxpy`, `cblas_sscal`, `cblas_scopy`) and linear solves (`LAPACKE_sgesv`). The registry's `blas` routes the other groups to the SIMD kernels.
///
/// OpenBLAS's thread count is a process-wide setting: it is set from `threads` before each call
/// when it differs, so two providers with different counts in one process (`blas` with 2 threads,
/// `auto`'s solver with 1) take turns setting it. Its pthread workers spin after a threaded call
/// (`leavesThreadsSpinning`), which halves whatever runs next on the other cores.
public final class BLASKernels: GEMMKernels, VectorKernels, SolverKernels {
    public let name: String
    public let threads: Int

    /// The thread count OpenBLAS was last set to by any `BLASKernels`.
    private static let configuredThreads = Atomic<Int>(0)

    public init(name: String = "openblas", threads: Int = 1) {
        precondition(threads >= 1, "threads must be ≥ 1")
        self.name = name
        self.threads = threads
        applyThreads()
    }

    private func applyThreads() {
        if Self.configuredThreads.exchange(threads, ordering: .relaxed) != threads {
            openblas_set_num_threads(Int32(threads))
        }
    }

    /// OpenBLAS's build configuration, e.g. `OpenBLAS 0.3.21 DYNAMIC_ARCH NO_AFFINITY Zen MAX_THREADS=64`.
    public static var libraryConfig: String {
        guard let c = openblas_get_config() else { return "unknown" }
        return String(cString: c)
    }

    public var details: [(key: String, value: String)] {
        [("library", Self.libraryConfig),
         ("library threads", "\(openblas_get_num_threads())"),
         ("core", String(cString: openblas_get_corename()))]
    }

    public var leavesThreadsSpinning: Bool { threads > 1 }

    public func gemm(_ transA: Transpose, _ transB: Transpose, m: Int, n: Int, k: Int, alpha: Float,
                     a: UnsafePointer<Float>, lda: Int, b: UnsafePointer<Float>, ldb: Int,
                     beta: Float, c: UnsafeMutablePointer<Float>, ldc: Int) {
        if m == 0 || n == 0 { return }
        if k == 0 || alpha == 0 {
            // C = beta·C without touching A and B (OpenBLAS rejects lda = 0 when k = 0).
            for i in 0..<m {
                let row = c + i * ldc
                for j in 0..<n { row[j] = beta == 0 ? 0 : beta * row[j] }
            }
            return
        }
        applyThreads()
        cblas_sgemm(CblasRowMajor,
                    transA == .none ? CblasNoTrans : CblasTrans,
                    transB == .none ? CblasNoTrans : CblasTrans,
                    Int32(m), Int32(n), Int32(k), alpha, a, Int32(lda), b, Int32(ldb), beta, c, Int32(ldc))
    }

    public func axpy(alpha: Float, _ x: UnsafePointer<Float>, _ y: UnsafeMutablePointer<Float>, count: Int) {
        guard count > 0 else { return }
        applyThreads()
        cblas_saxpy(Int32(count), alpha, x, 1, y, 1)
    }

    public func scale(alpha: Float, _ x: UnsafeMutablePointer<Float>, count: Int) {
        guard count > 0 else { return }
        applyThreads()
        cblas_sscal(Int32(count), alpha, x, 1)
    }

    public func copy(_ x: UnsafePointer<Float>, _ y: UnsafeMutablePointer<Float>, count: Int) {
        guard count > 0 else { return }
        cblas_scopy(Int32(count), x, 1, y, 1)
    }

    public func solve(n: Int, nrhs: Int, a: UnsafeMutablePointer<Float>, b: UnsafeMutablePointer<Float>) throws {
        guard n > 0, nrhs > 0 else { return }
        applyThreads()
        var pivots = [Int32](repeating: 0, count: n)
        let info = LAPACKE_sgesv(LAPACK_ROW_MAJOR, Int32(n), Int32(nrhs), a, Int32(n), &pivots, b, Int32(nrhs))
        if info > 0 { throw BackendError.singular(pivot: Int(info)) }
        precondition(info == 0, "LAPACKE_sgesv: invalid argument \(-info)")
    }
}
