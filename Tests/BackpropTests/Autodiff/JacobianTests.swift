import Backprop
import XCTest

/// Jacobians by reverse mode against forward differences, and the notes' N-step chain rule:
/// the Jacobian of three layers composed is the product of the layers' Jacobians.
final class JacobianTests: XCTestCase {
    /// C = A·B for [m, k]·[k, n] tensors, in Float64.
    func product(_ a: Tensor, _ b: Tensor) -> Tensor {
        let (m, k, n) = (a.shape[0], a.shape[1], b.shape[1])
        precondition(b.shape[0] == k)
        let c = Tensor(shape: [m, n])
        for i in 0..<m {
            for j in 0..<n {
                var s = 0.0
                for l in 0..<k { s += Double(a[i, l]) * Double(b[l, j]) }
                c[i, j] = Float(s)
            }
        }
        return c
    }

    func testTheJacobianOfACompositionIsTheProductOfTheJacobians() throws {
        try forEachBackend { backend in
            var g = RandomGenerator(seed: 5)
            let w1 = randomTensor([4, 5], &g), b1 = randomTensor([5], &g)
            let w2 = randomTensor([5, 3], &g), b2 = randomTensor([3], &g)
            let w3 = randomTensor([3, 2], &g)
            // Three layers of a row vector: ℝ⁴ → ℝ⁵ → ℝ³ → ℝ².
            let f1: (GradientTape, Variable) -> Variable = { t, x in tanh(matmul(x, t.constant(w1)) + t.constant(b1)) }
            let f2: (GradientTape, Variable) -> Variable = { t, x in sigmoid(matmul(x, t.constant(w2)) + t.constant(b2)) }
            let f3: (GradientTape, Variable) -> Variable = { t, x in matmul(x, t.constant(w3)) }
            let x = randomTensor([1, 4], &g)
            func value(_ f: (GradientTape, Variable) -> Variable, _ at: Tensor) -> Tensor {
                let t = GradientTape(backend)
                let out = f(t, t.constant(at)).value
                let r = Tensor(shape: [1, out.count])
                r.data.update(from: out.data, count: out.count)
                return r
            }
            let h1 = value(f1, x), h2 = value(f2, h1)
            let j1 = try Jacobian.jacobian(backend, of: f1, at: x)     // [5, 4]
            let j2 = try Jacobian.jacobian(backend, of: f2, at: h1)    // [3, 5]
            let j3 = try Jacobian.jacobian(backend, of: f3, at: h2)    // [2, 3]
            XCTAssertEqual(j1.shape, [5, 4])
            XCTAssertEqual(j3.shape, [2, 3])
            let composed = try Jacobian.jacobian(backend, of: { t, v in f3(t, f2(t, f1(t, v))) }, at: x)
            let chain = product(j3, product(j2, j1))
            XCTAssertEqual(composed.shape, [2, 4])
            XCTAssertLessThanOrEqual(relativeError(composed.array, chain.array), 1e-5, backend.name)
            // The last layer is linear: its Jacobian is W₃ᵀ exactly.
            for i in 0..<2 { for j in 0..<3 { XCTAssertEqual(j3[i, j], w3[j, i], "\(backend.name) J₃ = W₃ᵀ") } }
            // Reverse mode against the forward-difference reference.
            let numeric = Jacobian.numericalJacobian(backend, of: { t, v in f3(t, f2(t, f1(t, v))) }, at: x)
            XCTAssertLessThanOrEqual(relativeError(composed.array, numeric.array), 1e-2, backend.name)
        }
    }

    /// Softmax's Jacobian is diag(s) − s·sᵀ.
    func testSoftmaxJacobianIsTheTextbookMatrix() throws {
        let backend = try Backends.make("naive")
        let x = Tensor(shape: [1, 3])
        for (i, v) in [Float(0.5), -1, 2].enumerated() { x[i] = v }
        let j = try Jacobian.jacobian(backend, of: { _, v in softmax(v) }, at: x)
        let e = x.array.map { Foundation.exp(Double($0)) }
        let s = e.map { $0 / e.reduce(0, +) }
        for r in 0..<3 {
            for c in 0..<3 {
                XCTAssertEqual(Double(j[r, c]), (r == c ? s[r] : 0) - s[r] * s[c], accuracy: 1e-6)
            }
        }
    }
}
