/// The compute contract every backend implements: coarse Float32 kernels over caller-owned memory.
///
/// All matrices are row-major. Kernels write into caller-provided outputs and never allocate in
/// the hot path; they never read outside the extents they are given. Storage is plain host memory
/// (`UnsafeMutablePointer<Float>`, 64-byte aligned when it comes from `Tensor`): all of
/// Backprop's backends run on the CPU, and one storage type lets layers, optimisers, model files
/// and the conformance suite share buffers across backends without copies. A device backend would
/// add its own storage behind `Tensor`, not change these signatures' meaning.
///
/// A backend may decline an op (`supports(_:)` returns false); callers then route that op to
/// another backend, as `FallbackBackend` does. Determinism: the same inputs, backend and thread
/// count give bit-identical results.
///
/// Layers and optimisers are generic over `B: Backend`; at the edges (the CLI, `auto`) a name
/// from `BackendRegistry` becomes an `any Backend`, which Swift opens into the generic code once.
public protocol Backend: AnyObject, Sendable {
    /// The registry name, e.g. `simd`.
    var name: String { get }
    /// The number of threads this backend's kernels use (1 = the calling thread only).
    var threads: Int { get }
    /// Facts for `backprop backends`: SIMD width, FMA status, library configuration, ...
    var details: [(key: String, value: String)] { get }
    /// Whether this backend has its own kernel for `op`. Default: every op.
    func supports(_ op: OpKind) -> Bool

    /// Whether this backend takes a GEMM of this shape (as ggml's BLAS backend takes only large
    /// matrix products). Default: `supports(.gemm)`.
    func supportsGEMM(_ transA: Transpose, _ transB: Transpose, m: Int, n: Int, k: Int) -> Bool

    /// C = alpha·op(A)·op(B) + beta·C, with op(A) of shape [m, k] and op(B) of shape [k, n].
    ///
    /// `lda`, `ldb`, `ldc` are the row strides of A, B, C as stored. Any m, n, k ≥ 0. When
    /// `beta == 0`, C is not read (NaN in C does not propagate); when `alpha == 0` or `k == 0`,
    /// A and B are not read (BLAS semantics).
    func gemm(_ transA: Transpose, _ transB: Transpose, m: Int, n: Int, k: Int,
              alpha: Float, a: UnsafePointer<Float>, lda: Int,
              b: UnsafePointer<Float>, ldb: Int,
              beta: Float, c: UnsafeMutablePointer<Float>, ldc: Int)

    /// y = f(x) elementwise over `count` values; `y` may equal `x` (in place).
    func unary(_ op: UnaryOp, _ x: UnsafePointer<Float>, _ y: UnsafeMutablePointer<Float>, count: Int)

    /// dx = dy ⊙ f′(x), where y = f(x) is the forward output (the derivative uses whichever of x
    /// and y its formula needs; see `Activation`). `dx` may equal `dy`.
    func activationGradient(_ f: Activation, x: UnsafePointer<Float>, y: UnsafePointer<Float>,
                            dy: UnsafePointer<Float>, dx: UnsafeMutablePointer<Float>, count: Int)

    /// out = a ∘ b over a [rows, cols] matrix, with `b` laid out as `broadcast` says.
    /// `out` may equal `a` (or `b` when `broadcast == .none`).
    func binary(_ op: BinaryOp, _ a: UnsafePointer<Float>, _ b: UnsafePointer<Float>, _ broadcast: Broadcast,
                _ out: UnsafeMutablePointer<Float>, rows: Int, cols: Int)

    /// y ← alpha·x + y over `count` values.
    func axpy(alpha: Float, _ x: UnsafePointer<Float>, _ y: UnsafeMutablePointer<Float>, count: Int)

    /// x ← alpha·x over `count` values.
    func scale(alpha: Float, _ x: UnsafeMutablePointer<Float>, count: Int)

    /// y = f(x + bias) for x of shape [rows, cols] and bias of `cols` values (one pass).
    /// `y` may equal `x`.
    func biasActivation(_ f: Activation, _ x: UnsafePointer<Float>, bias: UnsafePointer<Float>,
                        _ y: UnsafeMutablePointer<Float>, rows: Int, cols: Int)

    /// Reduces a [rows, cols] matrix along `axis` into `axis.outputCount(rows:cols:)` outputs.
    func reduce(_ op: ReduceOp, _ axis: ReduceAxis, _ x: UnsafePointer<Float>, rows: Int, cols: Int,
                _ out: UnsafeMutablePointer<Float>)

    /// Index of the largest element along `axis` (the first one on ties; a NaN counts as largest,
    /// its first position wins). For `.all` the index is row-major, `i * cols + j`.
    func argmax(_ axis: ReduceAxis, _ x: UnsafePointer<Float>, rows: Int, cols: Int,
                _ out: UnsafeMutablePointer<Int32>)

    /// Row-wise softmax: y_ij = e^(x_ij − m_i) / Σ_j e^(x_ij − m_i) with m_i the row max; with
    /// `log`, y_ij = x_ij − m_i − ln Σ_j e^(x_ij − m_i). `y` may equal `x`.
    func softmax(_ x: UnsafePointer<Float>, _ y: UnsafeMutablePointer<Float>, rows: Int, cols: Int, log: Bool)

    /// One fused Adam/AdamW update of `count` parameters (formula in `AdamHyperparameters`):
    /// reads g, updates m, v and w in place, in one pass.
    func adamStep(_ h: AdamHyperparameters, w: UnsafeMutablePointer<Float>, g: UnsafePointer<Float>,
                  m: UnsafeMutablePointer<Float>, v: UnsafeMutablePointer<Float>, count: Int)

    /// y[i] = value for i < count.
    func fill(_ value: Float, _ y: UnsafeMutablePointer<Float>, count: Int)

    /// y[i] = x[i] for i < count (non-overlapping).
    func copy(_ x: UnsafePointer<Float>, _ y: UnsafeMutablePointer<Float>, count: Int)

    /// Fills `count` values from `distribution`, drawing from `generator` (which advances by
    /// `count`). Every backend must give bit-identical values: the default implementation is
    /// the counter-based generator in `RandomGenerator`.
    func fillRandom(_ distribution: Distribution, _ y: UnsafeMutablePointer<Float>, count: Int,
                    generator: inout RandomGenerator)

    /// Solves A·X = B for X, A of shape [n, n], B of shape [n, nrhs]; overwrites B with X and
    /// A with its LU factors. Throws `BackendError.singular` when A is singular.
    func solve(n: Int, nrhs: Int, a: UnsafeMutablePointer<Float>, b: UnsafeMutablePointer<Float>) throws
}

extension Backend {
    public func supports(_ op: OpKind) -> Bool { true }
    public func supportsGEMM(_ transA: Transpose, _ transB: Transpose, m: Int, n: Int, k: Int) -> Bool { supports(.gemm) }
    public var details: [(key: String, value: String)] { [] }

    public func fillRandom(_ distribution: Distribution, _ y: UnsafeMutablePointer<Float>, count: Int,
                           generator: inout RandomGenerator) {
        generator.fill(distribution, y, count: count)
    }

    /// A plain-loop Adam update, so that backends written before `adamStep` joined the contract
    /// keep working; override it with a fused kernel for speed.
    public func adamStep(_ h: AdamHyperparameters, w: UnsafeMutablePointer<Float>, g: UnsafePointer<Float>,
                         m: UnsafeMutablePointer<Float>, v: UnsafeMutablePointer<Float>, count: Int) {
        let c1 = h.biasCorrection1, rootC2 = h.biasCorrection2.squareRoot()
        for i in 0..<count {
            let wi = w[i] * (1 - h.learningRate * h.decoupledWeightDecay)
            let gi = g[i] + h.weightDecay * wi
            m[i] = h.beta1 * m[i] + (1 - h.beta1) * gi
            v[i] = h.beta2 * v[i] + (1 - h.beta2) * gi * gi
            w[i] = wi - (h.learningRate / c1) * m[i] / (v[i].squareRoot() / rootC2 + h.epsilon)
        }
    }

    /// The ops this backend runs with its own kernels, in table order.
    public var nativeOps: [OpKind] { OpKind.allCases.filter { supports($0) } }
}

/// Errors a kernel reports about its inputs.
public enum BackendError: Error, Equatable, CustomStringConvertible {
    /// The matrix of a linear solve is singular (a zero pivot at `pivot`).
    case singular(pivot: Int)

    public var description: String {
        switch self {
        case .singular(let p): return "matrix is singular (zero pivot at row \(p))"
        }
    }
}
