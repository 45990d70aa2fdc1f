import BackpropCore
import CBLAS
import Synchronization

/// OpenBLAS and LAPACKE (Debian's libopenblas-dev, liblapacke-dev).
///
/// Native ops: GEMM (`cblas_sgemm`), axpy (`cblas_saxpy`), scale (`cblas_sscal`), copy
/// (`cblas_scopy`) and linear solves (`LAPACKE_sgesv`). Everything else is declined via
/// `supports(_:)`; the registry wraps this backend in a `FallbackBackend` whose secondary runs
/// those ops. OpenBLAS's thread count is a process-wide setting: it is set from `threads` before
/// each call when it differs (its pthread workers spin after a call, so the count matters to
/// anything timed alongside).
public final class BLASBackend: Backend {
    public let name: String
    public let threads: Int
    /// Which GEMM shapes this backend takes (`supportsGEMM`); nil takes every GEMM. The `auto`
    /// backend sets it to the shapes where OpenBLAS measured faster than the SIMD backend.
    public let gemmFilter: (@Sendable (Transpose, Transpose, Int, Int, Int) -> Bool)?
    /// A one-line description of `gemmFilter`, for `backprop backends`.
    public let gemmFilterDescription: String

    /// The thread count OpenBLAS was last set to by any `BLASBackend`.
    private static let configuredThreads = Atomic<Int>(0)

    public init(name: String = "blas", threads: Int = 1,
                gemmFilter: (@Sendable (Transpose, Transpose, Int, Int, Int) -> Bool)? = nil, gemmFilterDescription: String = "") {
        precondition(threads >= 1, "threads must be ≥ 1")
        self.name = name
        self.threads = threads
        self.gemmFilter = gemmFilter
        self.gemmFilterDescription = gemmFilterDescription
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
        [("library", Self.libraryConfig)]
            + (gemmFilter != nil ? [("gemm", "only \(gemmFilterDescription)")] : [])
            + [
         ("library threads", "\(openblas_get_num_threads())"),
         ("core", String(cString: openblas_get_corename()))]
    }

    private static let native: Set<OpKind> = [.gemm, .axpy, .scale, .copy, .solve]

    public func supports(_ op: OpKind) -> Bool { Self.native.contains(op) }

    public func supportsGEMM(_ transA: Transpose, _ transB: Transpose, m: Int, n: Int, k: Int) -> Bool {
        gemmFilter?(transA, transB, m, n, k) ?? true
    }

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

    // Declined ops (see `supports(_:)`): OpenBLAS has no kernel for them. Callers route them
    // elsewhere (the registry's `blas` is `FallbackBackend(primary: BLASBackend, secondary: simd)`);
    // calling one directly is a programmer error.

    private func declined(_ op: OpKind) -> Never {
        preconditionFailure("BLASBackend does not implement \(op.rawValue); route it through FallbackBackend")
    }

    public func unary(_ op: UnaryOp, _ x: UnsafePointer<Float>, _ y: UnsafeMutablePointer<Float>, count: Int) {
        declined(.unary)
    }

    public func activationGradient(_ f: Activation, x: UnsafePointer<Float>, y: UnsafePointer<Float>,
                                   dy: UnsafePointer<Float>, dx: UnsafeMutablePointer<Float>, count: Int) {
        declined(.activationGradient)
    }

    public func binary(_ op: BinaryOp, _ a: UnsafePointer<Float>, _ b: UnsafePointer<Float>, _ broadcast: Broadcast,
                       _ out: UnsafeMutablePointer<Float>, rows: Int, cols: Int) {
        declined(.binary)
    }

    public func biasActivation(_ f: Activation, _ x: UnsafePointer<Float>, bias: UnsafePointer<Float>,
                               _ y: UnsafeMutablePointer<Float>, rows: Int, cols: Int) {
        declined(.biasActivation)
    }

    public func adamStep(_ h: AdamHyperparameters, w: UnsafeMutablePointer<Float>, g: UnsafePointer<Float>,
                         m: UnsafeMutablePointer<Float>, v: UnsafeMutablePointer<Float>, count: Int) {
        declined(.adamStep)
    }

    public func reduce(_ op: ReduceOp, _ axis: ReduceAxis, _ x: UnsafePointer<Float>, rows: Int, cols: Int,
                       _ out: UnsafeMutablePointer<Float>) {
        declined(.reduce)
    }

    public func argmax(_ axis: ReduceAxis, _ x: UnsafePointer<Float>, rows: Int, cols: Int, _ out: UnsafeMutablePointer<Int32>) {
        declined(.argmax)
    }

    public func softmax(_ x: UnsafePointer<Float>, _ y: UnsafeMutablePointer<Float>, rows: Int, cols: Int, log: Bool) {
        declined(.softmax)
    }

    public func fill(_ value: Float, _ y: UnsafeMutablePointer<Float>, count: Int) {
        declined(.fill)
    }
}
