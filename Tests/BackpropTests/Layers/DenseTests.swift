import Backprop
import XCTest

final class DenseTests: XCTestCase {
    /// dW, db and dX of a dense layer with each activation against central differences, under an
    /// MSE loss. For the ReLU family the inputs are chosen (by seed) so that no pre-activation is
    /// within 0.05 of the kink, and h = 1e-3 cannot cross it.
    func testGradientsOfEveryActivationOnEveryBackend() throws {
        let activations: [Activation] = [.identity, .sigmoid, .tanh, .relu, .leakyReLU(alpha: 0.1), .elu(alpha: 1)]
        try forEachBackend { backend in
            for act in activations { try check(backend, act) }
        }
    }

    func check<B: Backend>(_ backend: B, _ act: Activation) throws {
        let kinked: Bool = switch act { case .relu, .leakyReLU: true; default: false }
        var seed: UInt64 = 1
        while true {
            var g = RandomGenerator(seed: seed)
            let layer = Dense(backend, inputs: 3, outputs: 5, activation: act, initializer: .uniform(limit: 1), generator: &g)
            g.fill(.uniform(low: -0.5, high: 0.5), layer.bias.value.data, count: 5)
            let x = randomTensor([4, 3], &g), target = randomTensor([4, 5], &g)
            if kinked && minPreActivation(layer, x) < 0.05 { seed += 1; continue }
            let loss = MeanSquaredError(backend)
            let grad = Tensor(shape: [4, 5])
            _ = loss.compute(layer.forward(Matrix(x), training: true), Matrix(target), gradient: Matrix(grad))
            let dx = layer.backward(Matrix(grad), needsInputGradient: true).array
            let dW = layer.weight.grad.array, db = layer.bias.grad.array
            let f = { loss.compute(layer.forward(Matrix(x), training: true), Matrix(target), gradient: nil) }
            let h: Float = kinked ? 1e-3 : 1e-2
            assertGradient(dW, numericGradient(layer.weight.value, h: h, f), "\(backend.name) \(act) dW")
            assertGradient(db, numericGradient(layer.bias.value, h: h, f), "\(backend.name) \(act) db")
            assertGradient(dx, numericGradient(x, h: h, f), "\(backend.name) \(act) dX")
            return
        }
    }

    func minPreActivation<B: Backend>(_ l: Dense<B>, _ x: Tensor) -> Float {
        var m = Float.infinity
        for i in 0..<x.rows {
            for j in 0..<l.outputSize {
                var z = l.bias.value[j]
                for p in 0..<l.inputSize { z += x[i, p] * l.weight.value[p, j] }
                m = min(m, abs(z))
            }
        }
        return m
    }

    func testForwardIsXWPlusBThroughTheActivation() throws {
        try forEachBackend { backend in forward(backend) }
    }

    func forward<B: Backend>(_ backend: B) {
        var g = RandomGenerator(seed: 0)
        let l = Dense(backend, inputs: 2, outputs: 2, activation: .relu, initializer: .zeros, generator: &g)
        l.weight.value.data.update(from: [1, -1, 2, 3], count: 4)     // W = [[1, -1], [2, 3]]
        l.bias.value.data.update(from: [0.5, -10], count: 2)
        let y = l.forward(Matrix(Tensor(shape: [1, 2], values: [1, 1])), training: false)
        XCTAssertEqual(y.array, [3.5, 0])                              // relu([3 + 0.5, 2 − 10])
    }

    /// The check can fail: a gradient off by a factor, or with the derivative of the wrong
    /// activation, is far outside the tolerance.
    func testTheGradientCheckCatchesWrongGradients() {
        var g = RandomGenerator(seed: 9)
        let backend = NaiveBackend()
        let layer = Dense(backend, inputs: 3, outputs: 4, activation: .sigmoid, generator: &g)
        let x = randomTensor([5, 3], &g), target = randomTensor([5, 4], &g)
        let loss = MeanSquaredError(backend)
        let grad = Tensor(shape: [5, 4])
        let y = layer.forward(Matrix(x), training: true)
        _ = loss.compute(y, Matrix(target), gradient: Matrix(grad))
        // Wrong: tanh's derivative 1 − y² instead of sigmoid's y(1 − y).
        let dz = Tensor(shape: [5, 4])
        for i in 0..<20 { dz[i] = grad[i] * (1 - y.data[i] * y.data[i]) }
        var wrong = [Float](repeating: 0, count: 12)
        backend.gemm(.transpose, .none, m: 3, n: 4, k: 5, alpha: 1, a: x.data, lda: 3, b: dz.data, ldb: 4, beta: 0, c: &wrong, ldc: 4)
        _ = layer.backward(Matrix(grad), needsInputGradient: false)
        let numeric = numericGradient(layer.weight.value, h: 1e-2) { loss.compute(layer.forward(Matrix(x), training: true), Matrix(target), gradient: nil) }
        XCTAssertLessThan(relativeError(layer.weight.grad.array, numeric), 1e-2)
        XCTAssertGreaterThan(relativeError(wrong, numeric), 0.1)
        XCTAssertGreaterThan(relativeError(layer.weight.grad.array.map { $0 * 2 }, numeric), 0.1)
    }

    func testDefaultInitialisationFollowsTheActivation() {
        XCTAssertEqual(Initializer.default(for: .relu), .heNormal)
        XCTAssertEqual(Initializer.default(for: .tanh), .xavierUniform)
        var g = RandomGenerator(seed: 5)
        let l = Dense(NaiveBackend(), inputs: 400, outputs: 300, activation: .relu, generator: &g)
        let v = l.weight.value.array
        let sd = (v.map { $0 * $0 }.reduce(0, +) / Float(v.count)).squareRoot()
        XCTAssertEqual(sd, (2.0 / 400).squareRoot(), accuracy: 0.003)      // He: σ = √(2/fan_in)
        XCTAssertTrue(l.bias.value.array.allSatisfy { $0 == 0 })
    }
}
