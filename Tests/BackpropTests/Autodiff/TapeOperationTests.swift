import Backprop
import XCTest

/// Every tape operation's vector-Jacobian product against central differences (the public
/// `GradientChecker`, tolerance 1e-2 on the relative error of the whole gradient), on naive,
/// simd and blas. Each non-scalar result is reduced as Σ R ⊙ y with a fixed random R, so every
/// output element's gradient matters.
final class TapeOperationTests: XCTestCase {
    /// n distinct values spaced 2/n apart in (−1, 1), none within 1/n of 0, shuffled: no ReLU kink,
    /// |x| kink or max/min tie within the checker's step.
    static func separated(_ shape: [Int], seed: UInt64, scale: Float = 1, offset: Float = 0) -> Tensor {
        let t = Tensor(shape: shape)
        let n = t.count
        var order = Array(0..<n)
        var g = RandomGenerator(seed: seed)
        for i in stride(from: n - 1, to: 0, by: -1) { order.swapAt(i, g.nextInt(below: i + 1)) }
        for i in 0..<n { t[i] = offset + scale * (-1 + (Float(order[i]) + 0.5) * 2 / Float(n)) }
        return t
    }

    static func constant(_ shape: [Int], _ c: Float) -> Tensor {
        let t = Tensor(shape: shape)
        for i in 0..<t.count { t[i] = c }
        return t
    }

    static func positive(_ shape: [Int], seed: UInt64) -> Tensor { separated(shape, seed: seed, scale: 0.75, offset: 1.25) }

    /// Σ R ⊙ y for a fixed R (seeded by y's shape).
    static func probe(_ t: GradientTape, _ y: Variable) -> Variable {
        if y.value.count == 1 { return sum(y) }
        let r = Tensor(shape: y.shape.dims)
        var g = RandomGenerator(seed: UInt64(y.value.count))
        g.fill(.uniform(low: -1, high: 1), r.data, count: r.count)
        return sum(y * t.constant(r))
    }

    func check(_ what: String, _ inputs: [Tensor], tolerance: Double = 1e-2, h: Float = 1e-2,
               file: StaticString = #filePath, line: UInt = #line, _ f: @escaping (GradientTape, [Variable]) -> Variable) throws {
        try forEachBackend { backend in
            let report = try GradientChecker.check(backend, inputs: inputs, h: h, tolerance: tolerance) { t, v in Self.probe(t, f(t, v)) }
            XCTAssert(report.passed, "\(what) on \(backend.name): \(report)", file: file, line: line)
            XCTAssertGreaterThan(abs(report.worst.analytic) + abs(report.worst.numeric), 0, "\(what): a zero gradient checks nothing",
                                 file: file, line: line)
        }
    }

    func testArithmeticWithEveryBroadcast() throws {
        let a = Self.separated([3, 4], seed: 1), m = Self.positive([3, 4], seed: 2)
        let row = Self.positive([4], seed: 3), col = Self.positive([3, 1], seed: 4), s = Self.positive([1], seed: 5)
        for (name, rhs) in [("matrix", m), ("row", row), ("column", col), ("scalar", s)] {
            try check("a + \(name)", [a, rhs]) { _, v in v[0] + v[1] }
            try check("a - \(name)", [a, rhs]) { _, v in v[0] - v[1] }
            try check("a * \(name)", [a, rhs]) { _, v in v[0] * v[1] }
            try check("a / \(name)", [a, rhs]) { _, v in v[0] / v[1] }
        }
        // The smaller operand on the left of a commutative op.
        try check("row + a", [row, a]) { _, v in v[0] + v[1] }
        try check("column * a", [col, a]) { _, v in v[0] * v[1] }
        // b on a grid shifted by half a step from a's: no ties.
        try check("maximum", [a, Self.separated([3, 4], seed: 6, offset: 1 / 12)]) { _, v in maximum(v[0], v[1]) }
        try check("minimum", [a, Self.separated([3, 4], seed: 7, offset: 1 / 12)]) { _, v in minimum(v[0], v[1]) }
        try check("maximum with a row", [a, Self.separated([4], seed: 8, offset: 0.125)]) { _, v in maximum(v[0], v[1]) }
    }

    func testScalarOperands() throws {
        let a = Self.positive([2, 5], seed: 9)
        try check("x + 2", [a]) { _, v in v[0] + 2 }
        try check("x - 2", [a]) { _, v in v[0] - 2 }
        try check("x * 3", [a]) { _, v in v[0] * 3 }
        try check("x / 4", [a]) { _, v in v[0] / 4 }
        try check("2 + x", [a]) { _, v in 2 + v[0] }
        try check("2 - x", [a]) { _, v in 2 - v[0] }
        try check("3 * x", [a]) { _, v in 3 * v[0] }
        try check("3 / x", [a]) { _, v in 3 / v[0] }
        try check("-x", [a]) { _, v in -v[0] }
        try check("maximum(x, 1.3)", [a]) { _, v in maximum(v[0], 1.3) }
        try check("minimum(x, 1.3)", [a]) { _, v in minimum(v[0], 1.3) }
    }

    func testElementwiseFunctions() throws {
        let a = Self.separated([3, 4], seed: 10), p = Self.positive([3, 4], seed: 11)
        try check("exp", [a]) { _, v in exp(v[0]) }
        try check("log", [p]) { _, v in log(v[0]) }
        try check("sqrt", [p]) { _, v in sqrt(v[0]) }
        try check("square", [a]) { _, v in square(v[0]) }
        try check("abs", [a]) { _, v in abs(v[0]) }
        try check("pow 1.5", [p]) { _, v in pow(v[0], 1.5) }
        try check("pow -0.5", [p]) { _, v in pow(v[0], -0.5) }
        try check("pow 2", [a]) { _, v in pow(v[0], 2) }
        try check("sigmoid", [a]) { _, v in sigmoid(v[0]) }
        try check("tanh", [a]) { _, v in tanh(v[0]) }
        try check("relu", [a]) { _, v in relu(v[0]) }
        try check("leaky relu", [a]) { _, v in leakyReLU(v[0], alpha: 0.1) }
        try check("elu", [a]) { _, v in elu(v[0], alpha: 0.7) }
        try check("softmax", [a]) { _, v in softmax(v[0]) }
        try check("log softmax", [a]) { _, v in logSoftmax(v[0]) }
    }

    func testReductions() throws {
        let a = Self.separated([3, 5], seed: 12)
        for axis in [ReduceAxis.all, .rows, .columns] {
            try check("sum \(axis)", [a]) { _, v in sum(v[0], axis) }
            try check("mean \(axis)", [a]) { _, v in mean(v[0], axis) }
            try check("max \(axis)", [a]) { _, v in max(v[0], axis) }
        }
    }

    func testMatrixProductsAndLayout() throws {
        let a = Self.separated([3, 4], seed: 13), b = Self.separated([4, 2], seed: 14)
        let at = Self.separated([4, 3], seed: 15), bt = Self.separated([2, 4], seed: 16)
        try check("matmul", [a, b]) { _, v in matmul(v[0], v[1]) }
        try check("matmul Aᵀ", [at, b]) { _, v in matmul(v[0], v[1], transposeA: true) }
        try check("matmul Bᵀ", [a, bt]) { _, v in matmul(v[0], v[1], transposeB: true) }
        try check("matmul AᵀBᵀ", [at, bt]) { _, v in matmul(v[0], v[1], transposeA: true, transposeB: true) }
        try check("reshape", [a]) { _, v in reshape(v[0], [6, 2]) * reshape(v[0], [6, 2]) }
        try check("transpose", [a]) { t, v in matmul(transpose(v[0]), v[0]) }
        try check("slice rows", [a]) { _, v in slice(v[0], rows: 1..<3) }
        try check("slice columns", [a]) { _, v in slice(v[0], columns: 1..<3) * 2 }
        try check("concatenate rows", [a, Self.separated([2, 4], seed: 17)]) { _, v in concatenate(rows: v[0], v[1]) }
        try check("concatenate columns", [a, Self.separated([3, 2], seed: 18)]) { _, v in concatenate(columns: v[0], v[1]) }
        let table = Self.separated([5, 3], seed: 19)
        try check("gather (repeated rows)", [table]) { _, v in gather(v[0], rows: [Int32(4), 0, 4, 2]) }
        try check("scatterAdd", [Self.separated([4, 3], seed: 20)]) { _, v in scatterAdd(v[0], rows: [Int32(1), 3, 1, 0], into: 5) }
    }

    /// The checker can fail: x ⊙ detached(x) has tape gradient x (the detached factor is a
    /// constant to the tape) but numeric derivative 2x; the report names the worst element.
    func testTheCheckerCatchesAWrongGradient() throws {
        let a = Self.separated([3, 4], seed: 31)
        try forEachBackend { backend in
            let report = try GradientChecker.check(backend, inputs: [a]) { _, v in sum(v[0] * detached(v[0])) }
            XCTAssertFalse(report.passed, "\(backend.name): \(report)")
            XCTAssertEqual(report.relativeError, 1.0 / 3, accuracy: 0.01, "‖x − 2x‖ / (‖x‖ + ‖2x‖)")
            XCTAssertEqual(report.worst.numeric, 2 * report.worst.analytic, accuracy: 1e-2)
            XCTAssertTrue("\(report)".contains("worst: input 0 element"), "\(report)")
        }
        // detached is the identity in value, and stops the gradient.
        try check("detached term", [a]) { _, v in v[0] * 2 + detached(v[0]) * 0 }
    }

    func testMasksAndSelect() throws {
        let a = Self.separated([3, 4], seed: 21), b = Self.separated([3, 4], seed: 22)
        try check("select(a ≥ b)", [a, b]) { _, v in select(greaterOrEqual(v[0], v[1]), v[0] * v[0], v[1] * 3) }
        try check("select(a < 0.2)", [a, b]) { t, v in
            select(less(v[0], t.constant(Self.constant([3, 4], 0.2))), v[0], exp(v[1]))
        }
    }

    func testFusedPrimitivesAndLosses() throws {
        let x = Self.separated([4, 3], seed: 23), w = Self.separated([3, 5], seed: 24), bias = Self.separated([5], seed: 25)
        for f in [Activation.identity, .relu, .sigmoid, .tanh, .leakyReLU(alpha: 0.1), .elu(alpha: 1)] {
            try check("dense \(f)", [x, w, bias]) { _, v in dense(v[0], weight: v[1], bias: v[2], activation: f) }
        }
        let logits = Self.separated([4, 3], seed: 26), labels: [Int32] = [2, 0, 1, 2]
        for r in LossReduction.allCases {
            try check("softmax cross-entropy \(r)", [logits]) { _, v in softmaxCrossEntropy(v[0], labels: labels, reduction: r) }
        }
        try check("cross-entropy from ops", [logits]) { t, v in -mean(sum(logSoftmax(v[0]) * t.oneHot(labels, classes: 3), .rows)) }
        let target = Self.separated([4, 3], seed: 27), bits = Tensor(shape: [4, 3])
        for i in 0..<12 { bits[i] = Float(i % 2) }
        try check("mse", [logits]) { t, v in meanSquaredError(v[0], t.constant(target)) }
        try check("bce with logits", [logits]) { t, v in binaryCrossEntropy(logits: v[0], t.constant(bits)) }
        try check("bce", [logits]) { t, v in binaryCrossEntropy(probabilities: sigmoid(v[0]), t.constant(bits)) }
    }

    /// The fused primitives give the values of their compositions.
    func testFusedPrimitivesEqualTheirCompositions() throws {
        try forEachBackend { backend in
            let x = Self.separated([4, 3], seed: 28), w = Self.separated([3, 5], seed: 29), b = Self.separated([5], seed: 30)
            let t = GradientTape(backend)
            let (xv, wv, bv) = (t.constant(x), t.constant(w), t.constant(b))
            let fused = dense(xv, weight: wv, bias: bv, activation: .tanh).value.array
            let composed = tanh(matmul(xv, wv) + bv).value.array
            XCTAssertLessThanOrEqual(relativeError(fused, composed), 1e-6, backend.name)
            let labels: [Int32] = [1, 4, 0, 2]
            let z = matmul(xv, wv)
            let ce = softmaxCrossEntropy(z, labels: labels).scalar
            let ceOps = (-mean(sum(logSoftmax(z) * t.oneHot(labels, classes: 5), .rows))).scalar
            XCTAssertEqual(ce, ceOps, accuracy: 1e-5, backend.name)
        }
    }
}
