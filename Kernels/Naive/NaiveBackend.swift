import BackpropCore
import Foundation

/// The reference backend: plain loops, written to be read, accumulating in Double.
///
/// Every other backend is checked against this one by the conformance suite, so its code states
/// each formula as directly as it can; it is single-threaded and makes no attempt at speed.
///
/// It implements every kernel group, so it is a `Backend` by itself and behaves exactly like the
/// registry's `naive`. The class is open so that a test double can override one kernel and keep
/// the reference for the rest (the planted-fault tests do).
open class NaiveBackend: Backend, @unchecked Sendable {
    public let name: String
    open var threads: Int { 1 }

    public init(name: String = "naive") {
        self.name = name
    }

    open var details: [(key: String, value: String)] {
        [("implementation", "plain Swift loops, Double accumulation; the conformance reference")]
    }

    // MARK: GEMM

    open func gemm(_ transA: Transpose, _ transB: Transpose, m: Int, n: Int, k: Int, alpha: Float,
                     a: UnsafePointer<Float>, lda: Int, b: UnsafePointer<Float>, ldb: Int,
                     beta: Float, c: UnsafeMutablePointer<Float>, ldc: Int) {
        // op(A)[i, p] and op(B)[p, j], reading the stored matrices directly.
        func opA(_ i: Int, _ p: Int) -> Double { Double(transA == .none ? a[i * lda + p] : a[p * lda + i]) }
        func opB(_ p: Int, _ j: Int) -> Double { Double(transB == .none ? b[p * ldb + j] : b[j * ldb + p]) }
        for i in 0..<m {
            for j in 0..<n {
                var dot = 0.0
                if alpha != 0 {
                    for p in 0..<k { dot += opA(i, p) * opB(p, j) }
                }
                let old = beta == 0 ? 0 : Double(beta) * Double(c[i * ldc + j])
                c[i * ldc + j] = Float(Double(alpha) * dot + old)
            }
        }
    }

    /// The reference reads W (as `gemm(.none, .transpose, ...)`); subclasses may override it.
    open func gemm(m: Int, n: Int, k: Int, alpha: Float, a: UnsafePointer<Float>, lda: Int,
                   weights w: UnsafePointer<Float>, ldw: Int, transposedWeights wt: UnsafePointer<Float>, ldwt: Int,
                   beta: Float, c: UnsafeMutablePointer<Float>, ldc: Int) {
        gemm(.none, .transpose, m: m, n: n, k: k, alpha: alpha, a: a, lda: lda, b: w, ldb: ldw, beta: beta, c: c, ldc: ldc)
    }

    // MARK: Elementwise

    /// f(x) for one value, in Double.
    static func apply(_ op: UnaryOp, _ x: Double) -> Double {
        switch op {
        case .activation(let f): return activate(f, x)
        case .exp: return Foundation.exp(x)
        case .log: return Foundation.log(x)
        case .sqrt: return x.squareRoot()
        case .square: return x * x
        case .abs: return Swift.abs(x)
        case .negate: return -x
        case .sign: return x > 0 ? 1 : (x < 0 ? -1 : x)
        }
    }

    static func activate(_ f: Activation, _ x: Double) -> Double {
        switch f {
        case .identity: return x
        case .sigmoid: return 1 / (1 + Foundation.exp(-x))
        case .tanh: return Foundation.tanh(x)
        case .relu: return x < 0 ? 0 : x
        case .leakyReLU(let alpha): return x >= 0 ? x : Double(alpha) * x
        case .elu(let alpha): return x > 0 ? x : Double(alpha) * Foundation.expm1(x)
        case .step: return x >= 0 ? 1 : 0
        }
    }

    /// f′ at x, given y = f(x).
    static func derivative(_ f: Activation, x: Double, y: Double) -> Double {
        switch f {
        case .identity: return 1
        case .sigmoid: return y * (1 - y)
        case .tanh: return 1 - y * y
        case .relu: return x > 0 ? 1 : 0
        case .leakyReLU(let alpha): return x > 0 ? 1 : Double(alpha)
        case .elu(let alpha): return x > 0 ? 1 : y + Double(alpha)
        case .step: return 0
        }
    }

    open func unary(_ op: UnaryOp, _ x: UnsafePointer<Float>, _ y: UnsafeMutablePointer<Float>, count: Int) {
        for i in 0..<count { y[i] = Float(Self.apply(op, Double(x[i]))) }
    }

    open func activationGradient(_ f: Activation, x: UnsafePointer<Float>, y: UnsafePointer<Float>,
                                   dy: UnsafePointer<Float>, dx: UnsafeMutablePointer<Float>, count: Int) {
        for i in 0..<count {
            dx[i] = Float(Double(dy[i]) * Self.derivative(f, x: Double(x[i]), y: Double(y[i])))
        }
    }

    static func combine(_ op: BinaryOp, _ a: Float, _ b: Float) -> Float {
        switch op {
        case .add: return a + b
        case .sub: return a - b
        case .mul: return a * b
        case .div: return a / b
        case .max: return a.isNaN || b.isNaN ? .nan : (b > a ? b : a)
        case .min: return a.isNaN || b.isNaN ? .nan : (b < a ? b : a)
        }
    }

    open func binary(_ op: BinaryOp, _ a: UnsafePointer<Float>, _ b: UnsafePointer<Float>, _ broadcast: Broadcast,
                       _ out: UnsafeMutablePointer<Float>, rows: Int, cols: Int) {
        for i in 0..<rows {
            for j in 0..<cols {
                let bv: Float
                switch broadcast {
                case .none: bv = b[i * cols + j]
                case .scalar: bv = b[0]
                case .row: bv = b[j]
                case .column: bv = b[i]
                }
                out[i * cols + j] = Self.combine(op, a[i * cols + j], bv)
            }
        }
    }

    open func axpy(alpha: Float, _ x: UnsafePointer<Float>, _ y: UnsafeMutablePointer<Float>, count: Int) {
        for i in 0..<count { y[i] = alpha * x[i] + y[i] }
    }

    open func scale(alpha: Float, _ x: UnsafeMutablePointer<Float>, count: Int) {
        for i in 0..<count { x[i] = alpha * x[i] }
    }

    open func adamStep(_ h: AdamHyperparameters, w: UnsafeMutablePointer<Float>, g: UnsafePointer<Float>,
                         m: UnsafeMutablePointer<Float>, v: UnsafeMutablePointer<Float>, count: Int) {
        let b1 = Double(h.beta1), b2 = Double(h.beta2), lr = Double(h.learningRate)
        let c1 = Double(h.biasCorrection1), c2 = Double(h.biasCorrection2)
        for i in 0..<count {
            var wi = Double(w[i]) * (1 - lr * Double(h.decoupledWeightDecay))
            let gi = Double(g[i]) + Double(h.weightDecay) * wi
            let mi = b1 * Double(m[i]) + (1 - b1) * gi
            let vi = b2 * Double(v[i]) + (1 - b2) * gi * gi
            wi -= (lr / c1) * mi / (vi.squareRoot() / c2.squareRoot() + Double(h.epsilon))
            m[i] = Float(mi)
            v[i] = Float(vi)
            w[i] = Float(wi)
        }
    }

    open func biasActivation(_ f: Activation, _ x: UnsafePointer<Float>, bias: UnsafePointer<Float>,
                               _ y: UnsafeMutablePointer<Float>, rows: Int, cols: Int) {
        for i in 0..<rows {
            for j in 0..<cols {
                y[i * cols + j] = Float(Self.activate(f, Double(x[i * cols + j] + bias[j])))
            }
        }
    }

    // MARK: Reductions

    /// Reduces the values `value(0..<n)` in Double.
    static func reduce(_ op: ReduceOp, count n: Int, _ value: (Int) -> Float) -> Float {
        switch op {
        case .sum, .mean:
            var s = 0.0
            for i in 0..<n { s += Double(value(i)) }
            return Float(op == .mean ? s / Double(n) : s)
        case .sumOfSquares:
            var s = 0.0
            for i in 0..<n { let v = Double(value(i)); s += v * v }
            return Float(s)
        case .max:
            var m = -Float.infinity
            for i in 0..<n {
                let v = value(i)
                if v.isNaN { return .nan }
                if v > m { m = v }
            }
            return m
        }
    }

    open func reduce(_ op: ReduceOp, _ axis: ReduceAxis, _ x: UnsafePointer<Float>, rows: Int, cols: Int,
                       _ out: UnsafeMutablePointer<Float>) {
        switch axis {
        case .all: out[0] = Self.reduce(op, count: rows * cols) { x[$0] }
        case .rows: for i in 0..<rows { out[i] = Self.reduce(op, count: cols) { x[i * cols + $0] } }
        case .columns: for j in 0..<cols { out[j] = Self.reduce(op, count: rows) { x[$0 * cols + j] } }
        }
    }

    /// The index of the first largest value, a NaN counting as largest.
    static func argmax(count n: Int, _ value: (Int) -> Float) -> Int32 {
        var best = 0
        for i in 0..<n {
            let v = value(i)
            if v.isNaN { return Int32(i) }
            if v > value(best) { best = i }
        }
        return Int32(best)
    }

    open func argmax(_ axis: ReduceAxis, _ x: UnsafePointer<Float>, rows: Int, cols: Int, _ out: UnsafeMutablePointer<Int32>) {
        switch axis {
        case .all: out[0] = Self.argmax(count: rows * cols) { x[$0] }
        case .rows: for i in 0..<rows { out[i] = Self.argmax(count: cols) { x[i * cols + $0] } }
        case .columns: for j in 0..<cols { out[j] = Self.argmax(count: rows) { x[$0 * cols + j] } }
        }
    }

    open func softmax(_ x: UnsafePointer<Float>, _ y: UnsafeMutablePointer<Float>, rows: Int, cols: Int, log: Bool) {
        for i in 0..<rows {
            let row = x + i * cols
            let m = Double(Self.reduce(.max, count: cols) { row[$0] })
            var s = 0.0
            for j in 0..<cols { s += Foundation.exp(Double(row[j]) - m) }
            for j in 0..<cols {
                let z = Double(row[j]) - m
                y[i * cols + j] = Float(log ? z - Foundation.log(s) : Foundation.exp(z) / s)
            }
        }
    }

    // MARK: Memory

    open func fillRandom(_ distribution: Distribution, _ y: UnsafeMutablePointer<Float>, count: Int,
                         generator: inout RandomGenerator) {
        generator.fill(distribution, y, count: count)
    }

    open func fill(_ value: Float, _ y: UnsafeMutablePointer<Float>, count: Int) {
        for i in 0..<count { y[i] = value }
    }

    open func transpose(_ x: UnsafePointer<Float>, rows: Int, cols: Int, ldx: Int, _ y: UnsafeMutablePointer<Float>, ldy: Int) {
        for i in 0..<rows {
            for j in 0..<cols { y[j * ldy + i] = x[i * ldx + j] }
        }
    }

    open func lstmCellForward(gates: UnsafeMutablePointer<Float>, cPrev: UnsafePointer<Float>, c: UnsafeMutablePointer<Float>,
                              tanhC: UnsafeMutablePointer<Float>, h: UnsafeMutablePointer<Float>, batch: Int, hidden: Int) {
        func sigmoid(_ z: Float) -> Double { 1 / (1 + Foundation.exp(-Double(z))) }
        for b in 0..<batch {
            let z = gates + b * 4 * hidden
            for j in 0..<hidden {
                let i = sigmoid(z[j]), f = sigmoid(z[hidden + j]), g = Foundation.tanh(Double(z[2 * hidden + j]))
                let o = sigmoid(z[3 * hidden + j])
                let k = b * hidden + j
                let cNew = f * Double(cPrev[k]) + i * g
                let t = Foundation.tanh(cNew)
                (z[j], z[hidden + j], z[2 * hidden + j], z[3 * hidden + j]) = (Float(i), Float(f), Float(g), Float(o))
                c[k] = Float(cNew)
                tanhC[k] = Float(t)
                h[k] = Float(o * t)
            }
        }
    }

    open func lstmCellBackward(gates: UnsafePointer<Float>, cPrev: UnsafePointer<Float>, tanhC: UnsafePointer<Float>,
                               dh: UnsafePointer<Float>, dc: UnsafeMutablePointer<Float>, dGates: UnsafeMutablePointer<Float>,
                               batch: Int, hidden: Int) {
        for b in 0..<batch {
            let a = gates + b * 4 * hidden, d = dGates + b * 4 * hidden
            for j in 0..<hidden {
                let k = b * hidden + j
                let (i, f, g, o) = (Double(a[j]), Double(a[hidden + j]), Double(a[2 * hidden + j]), Double(a[3 * hidden + j]))
                let t = Double(tanhC[k]), dhk = Double(dh[k])
                let dcTotal = Double(dc[k]) + dhk * o * (1 - t * t)
                d[j] = Float(dcTotal * g * i * (1 - i))
                d[hidden + j] = Float(dcTotal * Double(cPrev[k]) * f * (1 - f))
                d[2 * hidden + j] = Float(dcTotal * i * (1 - g * g))
                d[3 * hidden + j] = Float(dhk * t * o * (1 - o))
                dc[k] = Float(dcTotal * f)
            }
        }
    }

    open func gruCellForward(inputGates: UnsafeMutablePointer<Float>, hiddenGates: UnsafePointer<Float>, hPrev: UnsafePointer<Float>,
                             h: UnsafeMutablePointer<Float>, batch: Int, hidden: Int) {
        func sigmoid(_ z: Double) -> Double { 1 / (1 + Foundation.exp(-z)) }
        for b in 0..<batch {
            let x = inputGates + b * 3 * hidden, g = hiddenGates + b * 3 * hidden
            for j in 0..<hidden {
                let r = sigmoid(Double(x[j]) + Double(g[j]))
                let z = sigmoid(Double(x[hidden + j]) + Double(g[hidden + j]))
                let n = Foundation.tanh(Double(x[2 * hidden + j]) + r * Double(g[2 * hidden + j]))
                let k = b * hidden + j
                (x[j], x[hidden + j], x[2 * hidden + j]) = (Float(r), Float(z), Float(n))
                h[k] = Float((1 - z) * n + z * Double(hPrev[k]))
            }
        }
    }

    open func gruCellBackward(gates: UnsafePointer<Float>, hiddenGates: UnsafePointer<Float>, hPrev: UnsafePointer<Float>,
                              dh: UnsafePointer<Float>, dInputGates: UnsafeMutablePointer<Float>,
                              dHiddenGates: UnsafeMutablePointer<Float>, dhPrev: UnsafeMutablePointer<Float>, batch: Int, hidden: Int) {
        for b in 0..<batch {
            let a = gates + b * 3 * hidden, g = hiddenGates + b * 3 * hidden
            let dx = dInputGates + b * 3 * hidden, dg = dHiddenGates + b * 3 * hidden
            for j in 0..<hidden {
                let k = b * hidden + j
                let (r, z, n) = (Double(a[j]), Double(a[hidden + j]), Double(a[2 * hidden + j]))
                let d = Double(dh[k])
                let dn = d * (1 - z) * (1 - n * n)
                let dz = d * (Double(hPrev[k]) - n) * z * (1 - z)
                let dr = dn * Double(g[2 * hidden + j]) * r * (1 - r)
                (dx[j], dx[hidden + j], dx[2 * hidden + j]) = (Float(dr), Float(dz), Float(dn))
                (dg[j], dg[hidden + j], dg[2 * hidden + j]) = (Float(dr), Float(dz), Float(dn * r))
                dhPrev[k] = Float(d * z)
            }
        }
    }

    open func copy(_ x: UnsafePointer<Float>, _ y: UnsafeMutablePointer<Float>, count: Int) {
        for i in 0..<count { y[i] = x[i] }
    }

    // MARK: Linear algebra

    /// Gaussian elimination with partial pivoting, in Double.
    open func solve(n: Int, nrhs: Int, a: UnsafeMutablePointer<Float>, b: UnsafeMutablePointer<Float>) throws {
        var m = (0..<(n * n)).map { Double(a[$0]) }
        var x = (0..<(n * nrhs)).map { Double(b[$0]) }
        for col in 0..<n {
            // Pivot: the largest magnitude at or below the diagonal.
            var p = col
            for r in col..<n where Swift.abs(m[r * n + col]) > Swift.abs(m[p * n + col]) { p = r }
            if m[p * n + col] == 0 || m[p * n + col].isNaN { throw BackendError.singular(pivot: col + 1) }
            if p != col {
                for j in 0..<n { m.swapAt(p * n + j, col * n + j) }
                for j in 0..<nrhs { x.swapAt(p * nrhs + j, col * nrhs + j) }
            }
            for r in (col + 1)..<n {
                let f = m[r * n + col] / m[col * n + col]
                m[r * n + col] = f
                for j in (col + 1)..<n { m[r * n + j] -= f * m[col * n + j] }
                for j in 0..<nrhs { x[r * nrhs + j] -= f * x[col * nrhs + j] }
            }
        }
        for r in stride(from: n - 1, through: 0, by: -1) {
            for j in 0..<nrhs {
                var s = x[r * nrhs + j]
                for c in (r + 1)..<n { s -= m[r * n + c] * x[c * nrhs + j] }
                x[r * nrhs + j] = s / m[r * n + r]
            }
        }
        for i in 0..<(n * n) { a[i] = Float(m[i]) }
        for i in 0..<(n * nrhs) { b[i] = Float(x[i]) }
    }
}
