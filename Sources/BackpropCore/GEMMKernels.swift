/// Matrix multiplication, the kernel most of a network's time goes to.
public protocol GEMMKernels: KernelProvider {
    /// C = alpha·op(A)·op(B) + beta·C, with op(A) of shape [m, k] and op(B) of shape [k, n].
    ///
    /// `lda`, `ldb`, `ldc` are the row strides of A, B, C as stored. Any m, n, k ≥ 0. When
    /// `beta == 0`, C is not read (NaN in C does not propagate); when `alpha == 0` or `k == 0`,
    /// A and B are not read (BLAS semantics).
    func gemm(_ transA: Transpose, _ transB: Transpose, m: Int, n: Int, k: Int,
              alpha: Float, a: UnsafePointer<Float>, lda: Int,
              b: UnsafePointer<Float>, ldb: Int,
              beta: Float, c: UnsafeMutablePointer<Float>, ldc: Int)

    /// C = alpha·A·Wᵀ + beta·C for A [m, k] and weights W [n, k] given in both layouts: `w` is W
    /// (row stride `ldw`) and `wt` is Wᵀ [k, n] (row stride `ldwt`), equal in value. A backend
    /// reads whichever layout its kernels take without repacking: a recurrent step's
    /// [batch, H]·W_hhᵀ, where the layer keeps W_hhᵀ for the whole sequence and every step
    /// would otherwise pay for the layout it lacks. The same contract as `gemm` (BLAS semantics
    /// for alpha = 0, beta = 0, k = 0). Default: `gemm(.none, .transpose, ...)` on `w`.
    func gemm(m: Int, n: Int, k: Int, alpha: Float, a: UnsafePointer<Float>, lda: Int,
              weights w: UnsafePointer<Float>, ldw: Int, transposedWeights wt: UnsafePointer<Float>, ldwt: Int,
              beta: Float, c: UnsafeMutablePointer<Float>, ldc: Int)
}

extension GEMMKernels {
    public func gemm(m: Int, n: Int, k: Int, alpha: Float, a: UnsafePointer<Float>, lda: Int,
                     weights w: UnsafePointer<Float>, ldw: Int, transposedWeights wt: UnsafePointer<Float>, ldwt: Int,
                     beta: Float, c: UnsafeMutablePointer<Float>, ldc: Int) {
        gemm(.none, .transpose, m: m, n: n, k: k, alpha: alpha, a: a, lda: lda, b: w, ldb: ldw, beta: beta, c: c, ldc: ldc)
    }
}

/// The shape of one GEMM call, for shape-based routing (`GEMMException`).
public struct GEMMShape: Hashable, Sendable, CustomStringConvertible {
    public var transA: Transpose
    public var transB: Transpose
    public var m: Int
    public var n: Int
    public var k: Int

    public init(_ transA: Transpose, _ transB: Transpose, m: Int, n: Int, k: Int) {
        self.transA = transA
        self.transB = transB
        self.m = m
        self.n = n
        self.k = k
    }

    /// `MxKxN` with the transposes, e.g. `128x784x256 NN`.
    public var description: String { "\(m)x\(k)x\(n) \(transA.rawValue)\(transB.rawValue)" }
}

extension RoutedBackend {
    public func gemm(_ transA: Transpose, _ transB: Transpose, m: Int, n: Int, k: Int,
                     alpha: Float, a: UnsafePointer<Float>, lda: Int,
                     b: UnsafePointer<Float>, ldb: Int,
                     beta: Float, c: UnsafeMutablePointer<Float>, ldc: Int) {
        routes.gemmKernels(for: GEMMShape(transA, transB, m: m, n: n, k: k))
            .gemm(transA, transB, m: m, n: n, k: k, alpha: alpha, a: a, lda: lda, b: b, ldb: ldb, beta: beta, c: c, ldc: ldc)
    }

    public func gemm(m: Int, n: Int, k: Int, alpha: Float, a: UnsafePointer<Float>, lda: Int,
                     weights w: UnsafePointer<Float>, ldw: Int, transposedWeights wt: UnsafePointer<Float>, ldwt: Int,
                     beta: Float, c: UnsafeMutablePointer<Float>, ldc: Int) {
        routes.gemmKernels(for: GEMMShape(.none, .transpose, m: m, n: n, k: k))
            .gemm(m: m, n: n, k: k, alpha: alpha, a: a, lda: lda, weights: w, ldw: ldw, transposedWeights: wt, ldwt: ldwt,
                  beta: beta, c: c, ldc: ldc)
    }
}
