import BackpropCore
import BackpropNaive

/// A backend with one planted fault (or none), delegating everything else to the reference. The suite
/// must report the fault's op, and only that op.
final class FaultyBackend: Backend {
    enum Fault: CaseIterable {
        /// GEMM leaves the last column of C unwritten when n is not a multiple of 16 (an edge tile).
        case gemmEdgeOffByOne
        /// The sigmoid derivative forgets a factor: dy·(1 − y) instead of dy·y(1 − y).
        case wrongSigmoidDerivative
        /// Row sums drop the last element when the row length is not a multiple of 16.
        case reductionDropsTail
        /// fill writes one element past the end.
        case fillOverrun
        /// max lets NaN through as if it were smaller than everything.
        case maxIgnoresNaN
        /// random fills restart the stream instead of continuing it.
        case randomIgnoresCounter
        /// Adam forgets the bias correction of the first moment.
        case adamWithoutBiasCorrection
    }

    let fault: Fault?
    /// Ops this backend declines (`supports` is false): calling one is a test failure.
    let declined: Set<OpKind>
    let ref = NaiveBackend()
    var name: String { "faulty" }
    var threads: Int { 1 }

    init(_ fault: Fault?, declining: Set<OpKind> = []) {
        self.fault = fault
        self.declined = declining
    }

    func supports(_ op: OpKind) -> Bool { !declined.contains(op) }

    func gemm(_ transA: Transpose, _ transB: Transpose, m: Int, n: Int, k: Int, alpha: Float,
              a: UnsafePointer<Float>, lda: Int, b: UnsafePointer<Float>, ldb: Int,
              beta: Float, c: UnsafeMutablePointer<Float>, ldc: Int) {
        let cols = fault == .gemmEdgeOffByOne && n % 16 != 0 ? n - 1 : n
        ref.gemm(transA, transB, m: m, n: cols, k: k, alpha: alpha, a: a, lda: lda, b: b, ldb: ldb, beta: beta, c: c, ldc: ldc)
    }

    func unary(_ op: UnaryOp, _ x: UnsafePointer<Float>, _ y: UnsafeMutablePointer<Float>, count: Int) {
        ref.unary(op, x, y, count: count)
    }

    func activationGradient(_ f: Activation, x: UnsafePointer<Float>, y: UnsafePointer<Float>,
                            dy: UnsafePointer<Float>, dx: UnsafeMutablePointer<Float>, count: Int) {
        if fault == .wrongSigmoidDerivative, f == .sigmoid {
            for i in 0..<count { dx[i] = dy[i] * (1 - y[i]) }
        } else {
            ref.activationGradient(f, x: x, y: y, dy: dy, dx: dx, count: count)
        }
    }

    func binary(_ op: BinaryOp, _ a: UnsafePointer<Float>, _ b: UnsafePointer<Float>, _ broadcast: Broadcast,
                _ out: UnsafeMutablePointer<Float>, rows: Int, cols: Int) {
        ref.binary(op, a, b, broadcast, out, rows: rows, cols: cols)
    }

    func adamStep(_ h: AdamHyperparameters, w: UnsafeMutablePointer<Float>, g: UnsafePointer<Float>,
                  m: UnsafeMutablePointer<Float>, v: UnsafeMutablePointer<Float>, count: Int) {
        var h = h
        if fault == .adamWithoutBiasCorrection { h.learningRate *= h.biasCorrection1 }   // η/c₁ becomes η
        ref.adamStep(h, w: w, g: g, m: m, v: v, count: count)
    }

    func axpy(alpha: Float, _ x: UnsafePointer<Float>, _ y: UnsafeMutablePointer<Float>, count: Int) {
        ref.axpy(alpha: alpha, x, y, count: count)
    }

    func scale(alpha: Float, _ x: UnsafeMutablePointer<Float>, count: Int) { ref.scale(alpha: alpha, x, count: count) }

    func biasActivation(_ f: Activation, _ x: UnsafePointer<Float>, bias: UnsafePointer<Float>,
                        _ y: UnsafeMutablePointer<Float>, rows: Int, cols: Int) {
        ref.biasActivation(f, x, bias: bias, y, rows: rows, cols: cols)
    }

    func reduce(_ op: ReduceOp, _ axis: ReduceAxis, _ x: UnsafePointer<Float>, rows: Int, cols: Int,
                _ out: UnsafeMutablePointer<Float>) {
        if fault == .reductionDropsTail, axis == .rows, op == .sum, cols % 16 != 0, cols > 1 {
            for i in 0..<rows {
                var s: Float = 0
                for j in 0..<(cols - 1) { s += x[i * cols + j] }
                out[i] = s
            }
        } else if fault == .maxIgnoresNaN, op == .max {
            let n = axis.outputCount(rows: rows, cols: cols)
            for o in 0..<n { out[o] = -.infinity }
            for i in 0..<rows {
                for j in 0..<cols {
                    let o = axis == .all ? 0 : (axis == .rows ? i : j)
                    let v = x[i * cols + j]
                    if v > out[o] { out[o] = v }
                }
            }
        } else {
            ref.reduce(op, axis, x, rows: rows, cols: cols, out)
        }
    }

    func argmax(_ axis: ReduceAxis, _ x: UnsafePointer<Float>, rows: Int, cols: Int, _ out: UnsafeMutablePointer<Int32>) {
        ref.argmax(axis, x, rows: rows, cols: cols, out)
    }

    func softmax(_ x: UnsafePointer<Float>, _ y: UnsafeMutablePointer<Float>, rows: Int, cols: Int, log: Bool) {
        ref.softmax(x, y, rows: rows, cols: cols, log: log)
    }

    func fill(_ value: Float, _ y: UnsafeMutablePointer<Float>, count: Int) {
        precondition(!declined.contains(.fill), "a declined op was called")
        ref.fill(value, y, count: fault == .fillOverrun ? count + 1 : count)
    }

    func copy(_ x: UnsafePointer<Float>, _ y: UnsafeMutablePointer<Float>, count: Int) { ref.copy(x, y, count: count) }

    func fillRandom(_ distribution: Distribution, _ y: UnsafeMutablePointer<Float>, count: Int,
                    generator: inout RandomGenerator) {
        if fault == .randomIgnoresCounter {
            var fresh = RandomGenerator(seed: generator.seed)
            fresh.fill(distribution, y, count: count)
            generator.counter += UInt64(count)
        } else {
            ref.fillRandom(distribution, y, count: count, generator: &generator)
        }
    }

    func solve(n: Int, nrhs: Int, a: UnsafeMutablePointer<Float>, b: UnsafeMutablePointer<Float>) throws {
        try ref.solve(n: n, nrhs: nrhs, a: a, b: b)
    }
}
