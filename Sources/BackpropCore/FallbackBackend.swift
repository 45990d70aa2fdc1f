/// A backend that runs each op on `primary` when it supports the op, and on `secondary` otherwise
/// (ggml's `supports_op` routing). It is itself a `Backend`, so generic code specialised on it
/// calls both backends' kernels directly.
///
/// ```swift
/// let blas = FallbackBackend(name: "blas", primary: BLASBackend(), secondary: SIMDBackend())
/// ```
public final class FallbackBackend<Primary: Backend, Secondary: Backend>: Backend {
    public let name: String
    public let primary: Primary
    public let secondary: Secondary

    public init(name: String, primary: Primary, secondary: Secondary) {
        self.name = name
        self.primary = primary
        self.secondary = secondary
    }

    public var threads: Int { max(primary.threads, secondary.threads) }

    public var details: [(key: String, value: String)] {
        let fallback = OpKind.allCases.filter { !primary.supports($0) }
        return primary.details + [
            ("native ops", primary.nativeOps.map(\.rawValue).joined(separator: ", ")),
            ("fallback", fallback.isEmpty ? "none" : fallback.map(\.rawValue).joined(separator: ", ") + " → \(secondary.name)"),
        ]
    }

    /// Every op is supported: by the primary or by the secondary.
    public func supports(_ op: OpKind) -> Bool { primary.supports(op) || secondary.supports(op) }

    public func gemm(_ transA: Transpose, _ transB: Transpose, m: Int, n: Int, k: Int, alpha: Float,
                     a: UnsafePointer<Float>, lda: Int, b: UnsafePointer<Float>, ldb: Int,
                     beta: Float, c: UnsafeMutablePointer<Float>, ldc: Int) {
        if primary.supportsGEMM(transA, transB, m: m, n: n, k: k) {
            primary.gemm(transA, transB, m: m, n: n, k: k, alpha: alpha, a: a, lda: lda, b: b, ldb: ldb, beta: beta, c: c, ldc: ldc)
        } else {
            secondary.gemm(transA, transB, m: m, n: n, k: k, alpha: alpha, a: a, lda: lda, b: b, ldb: ldb, beta: beta, c: c, ldc: ldc)
        }
    }

    public func unary(_ op: UnaryOp, _ x: UnsafePointer<Float>, _ y: UnsafeMutablePointer<Float>, count: Int) {
        if primary.supports(.unary) { primary.unary(op, x, y, count: count) } else { secondary.unary(op, x, y, count: count) }
    }

    public func activationGradient(_ f: Activation, x: UnsafePointer<Float>, y: UnsafePointer<Float>,
                                   dy: UnsafePointer<Float>, dx: UnsafeMutablePointer<Float>, count: Int) {
        if primary.supports(.activationGradient) {
            primary.activationGradient(f, x: x, y: y, dy: dy, dx: dx, count: count)
        } else {
            secondary.activationGradient(f, x: x, y: y, dy: dy, dx: dx, count: count)
        }
    }

    public func binary(_ op: BinaryOp, _ a: UnsafePointer<Float>, _ b: UnsafePointer<Float>, _ broadcast: Broadcast,
                       _ out: UnsafeMutablePointer<Float>, rows: Int, cols: Int) {
        if primary.supports(.binary) {
            primary.binary(op, a, b, broadcast, out, rows: rows, cols: cols)
        } else {
            secondary.binary(op, a, b, broadcast, out, rows: rows, cols: cols)
        }
    }

    public func axpy(alpha: Float, _ x: UnsafePointer<Float>, _ y: UnsafeMutablePointer<Float>, count: Int) {
        if primary.supports(.axpy) { primary.axpy(alpha: alpha, x, y, count: count) } else { secondary.axpy(alpha: alpha, x, y, count: count) }
    }

    public func scale(alpha: Float, _ x: UnsafeMutablePointer<Float>, count: Int) {
        if primary.supports(.scale) { primary.scale(alpha: alpha, x, count: count) } else { secondary.scale(alpha: alpha, x, count: count) }
    }

    public func biasActivation(_ f: Activation, _ x: UnsafePointer<Float>, bias: UnsafePointer<Float>,
                               _ y: UnsafeMutablePointer<Float>, rows: Int, cols: Int) {
        if primary.supports(.biasActivation) {
            primary.biasActivation(f, x, bias: bias, y, rows: rows, cols: cols)
        } else {
            secondary.biasActivation(f, x, bias: bias, y, rows: rows, cols: cols)
        }
    }

    public func adamStep(_ h: AdamHyperparameters, w: UnsafeMutablePointer<Float>, g: UnsafePointer<Float>,
                         m: UnsafeMutablePointer<Float>, v: UnsafeMutablePointer<Float>, count: Int) {
        if primary.supports(.adamStep) {
            primary.adamStep(h, w: w, g: g, m: m, v: v, count: count)
        } else {
            secondary.adamStep(h, w: w, g: g, m: m, v: v, count: count)
        }
    }

    public func reduce(_ op: ReduceOp, _ axis: ReduceAxis, _ x: UnsafePointer<Float>, rows: Int, cols: Int,
                       _ out: UnsafeMutablePointer<Float>) {
        if primary.supports(.reduce) {
            primary.reduce(op, axis, x, rows: rows, cols: cols, out)
        } else {
            secondary.reduce(op, axis, x, rows: rows, cols: cols, out)
        }
    }

    public func argmax(_ axis: ReduceAxis, _ x: UnsafePointer<Float>, rows: Int, cols: Int, _ out: UnsafeMutablePointer<Int32>) {
        if primary.supports(.argmax) { primary.argmax(axis, x, rows: rows, cols: cols, out) } else { secondary.argmax(axis, x, rows: rows, cols: cols, out) }
    }

    public func softmax(_ x: UnsafePointer<Float>, _ y: UnsafeMutablePointer<Float>, rows: Int, cols: Int, log: Bool) {
        if primary.supports(.softmax) { primary.softmax(x, y, rows: rows, cols: cols, log: log) } else { secondary.softmax(x, y, rows: rows, cols: cols, log: log) }
    }

    public func fill(_ value: Float, _ y: UnsafeMutablePointer<Float>, count: Int) {
        if primary.supports(.fill) { primary.fill(value, y, count: count) } else { secondary.fill(value, y, count: count) }
    }

    public func copy(_ x: UnsafePointer<Float>, _ y: UnsafeMutablePointer<Float>, count: Int) {
        if primary.supports(.copy) { primary.copy(x, y, count: count) } else { secondary.copy(x, y, count: count) }
    }

    public func fillRandom(_ distribution: Distribution, _ y: UnsafeMutablePointer<Float>, count: Int,
                           generator: inout RandomGenerator) {
        let kind: OpKind = if case .uniform = distribution { .randomUniform } else { .randomNormal }
        if primary.supports(kind) {
            primary.fillRandom(distribution, y, count: count, generator: &generator)
        } else {
            secondary.fillRandom(distribution, y, count: count, generator: &generator)
        }
    }

    public func solve(n: Int, nrhs: Int, a: UnsafeMutablePointer<Float>, b: UnsafeMutablePointer<Float>) throws {
        if primary.supports(.solve) { try primary.solve(n: n, nrhs: nrhs, a: a, b: b) } else { try secondary.solve(n: n, nrhs: nrhs, a: a, b: b) }
    }
}
