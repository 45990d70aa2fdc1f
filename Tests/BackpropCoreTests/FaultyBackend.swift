import BackpropCore
import BackpropNaive

/// The reference with one planted fault (or none): a subclass of `NaiveBackend` overriding the
/// kernel that carries the fault. The suite must report the fault's op, and only that op.
final class FaultyBackend: NaiveBackend, @unchecked Sendable {
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
        /// A transpose of more than 16 rows skips the last source row (a block edge).
        case transposeDropsLastRow
        /// The LSTM cell's backward forgets the forget gate in ∂L/∂cPrev (passes δc through whole).
        case lstmForgetsForgetGate
        /// The GRU cell's backward forgets the reset gate in ∂L/∂(h_n) (δn instead of δn ⊙ r).
        case gruForgetsResetGate
        /// A·Wᵀ from both layouts of W leaves the last column of C unwritten when n is not a
        /// multiple of 32 (the in-place tiles' tail).
        case weightsGEMMDropsTail
    }

    let fault: Fault?

    init(_ fault: Fault?) {
        self.fault = fault
        super.init(name: "faulty")
    }

    override func gemm(_ transA: Transpose, _ transB: Transpose, m: Int, n: Int, k: Int, alpha: Float,
                       a: UnsafePointer<Float>, lda: Int, b: UnsafePointer<Float>, ldb: Int,
                       beta: Float, c: UnsafeMutablePointer<Float>, ldc: Int) {
        let cols = fault == .gemmEdgeOffByOne && n % 16 != 0 ? n - 1 : n
        super.gemm(transA, transB, m: m, n: cols, k: k, alpha: alpha, a: a, lda: lda, b: b, ldb: ldb, beta: beta, c: c, ldc: ldc)
    }

    override func gemm(m: Int, n: Int, k: Int, alpha: Float, a: UnsafePointer<Float>, lda: Int,
                       weights w: UnsafePointer<Float>, ldw: Int, transposedWeights wt: UnsafePointer<Float>, ldwt: Int,
                       beta: Float, c: UnsafeMutablePointer<Float>, ldc: Int) {
        let cols = fault == .weightsGEMMDropsTail && n % 32 != 0 ? n - 1 : n
        super.gemm(m: m, n: cols, k: k, alpha: alpha, a: a, lda: lda, weights: w, ldw: ldw, transposedWeights: wt, ldwt: ldwt,
                   beta: beta, c: c, ldc: ldc)
    }

    override func activationGradient(_ f: Activation, x: UnsafePointer<Float>, y: UnsafePointer<Float>,
                                     dy: UnsafePointer<Float>, dx: UnsafeMutablePointer<Float>, count: Int) {
        if fault == .wrongSigmoidDerivative, f == .sigmoid {
            for i in 0..<count { dx[i] = dy[i] * (1 - y[i]) }
        } else {
            super.activationGradient(f, x: x, y: y, dy: dy, dx: dx, count: count)
        }
    }

    override func adamStep(_ h: AdamHyperparameters, w: UnsafeMutablePointer<Float>, g: UnsafePointer<Float>,
                           m: UnsafeMutablePointer<Float>, v: UnsafeMutablePointer<Float>, count: Int) {
        var h = h
        if fault == .adamWithoutBiasCorrection { h.learningRate *= h.biasCorrection1 }   // η/c₁ becomes η
        super.adamStep(h, w: w, g: g, m: m, v: v, count: count)
    }

    override func reduce(_ op: ReduceOp, _ axis: ReduceAxis, _ x: UnsafePointer<Float>, rows: Int, cols: Int,
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
            super.reduce(op, axis, x, rows: rows, cols: cols, out)
        }
    }

    override func transpose(_ x: UnsafePointer<Float>, rows: Int, cols: Int, ldx: Int, _ y: UnsafeMutablePointer<Float>, ldy: Int) {
        super.transpose(x, rows: fault == .transposeDropsLastRow && rows > 16 ? rows - 1 : rows, cols: cols, ldx: ldx, y, ldy: ldy)
    }

    override func lstmCellBackward(gates: UnsafePointer<Float>, cPrev: UnsafePointer<Float>, tanhC: UnsafePointer<Float>,
                                   dh: UnsafePointer<Float>, dc: UnsafeMutablePointer<Float>, dGates: UnsafeMutablePointer<Float>,
                                   batch: Int, hidden: Int) {
        super.lstmCellBackward(gates: gates, cPrev: cPrev, tanhC: tanhC, dh: dh, dc: dc, dGates: dGates, batch: batch, hidden: hidden)
        guard fault == .lstmForgetsForgetGate else { return }
        for b in 0..<batch {
            for j in 0..<hidden where gates[b * 4 * hidden + hidden + j] != 0 { dc[b * hidden + j] /= gates[b * 4 * hidden + hidden + j] }
        }
    }

    override func gruCellBackward(gates: UnsafePointer<Float>, hiddenGates: UnsafePointer<Float>, hPrev: UnsafePointer<Float>,
                                  dh: UnsafePointer<Float>, dInputGates: UnsafeMutablePointer<Float>,
                                  dHiddenGates: UnsafeMutablePointer<Float>, dhPrev: UnsafeMutablePointer<Float>, batch: Int, hidden: Int) {
        super.gruCellBackward(gates: gates, hiddenGates: hiddenGates, hPrev: hPrev, dh: dh, dInputGates: dInputGates,
                              dHiddenGates: dHiddenGates, dhPrev: dhPrev, batch: batch, hidden: hidden)
        guard fault == .gruForgetsResetGate else { return }
        for b in 0..<batch {
            for j in 0..<hidden { dHiddenGates[b * 3 * hidden + 2 * hidden + j] = dInputGates[b * 3 * hidden + 2 * hidden + j] }
        }
    }

    override func fill(_ value: Float, _ y: UnsafeMutablePointer<Float>, count: Int) {
        super.fill(value, y, count: fault == .fillOverrun ? count + 1 : count)
    }

    override func fillRandom(_ distribution: Distribution, _ y: UnsafeMutablePointer<Float>, count: Int,
                             generator: inout RandomGenerator) {
        if fault == .randomIgnoresCounter {
            var fresh = RandomGenerator(seed: generator.seed)
            fresh.fill(distribution, y, count: count)
            generator.counter += UInt64(count)
        } else {
            super.fillRandom(distribution, y, count: count, generator: &generator)
        }
    }
}
