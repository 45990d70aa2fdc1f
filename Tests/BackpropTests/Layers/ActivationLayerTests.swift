import Backprop
import XCTest

final class ActivationLayerTests: XCTestCase {
    func testGradientsAgainstFiniteDifferences() throws {
        try forEachBackend { backend in
            for act in [Activation.sigmoid, .tanh, .elu(alpha: 0.7), .identity] { check(backend, act) }
        }
    }

    func check<B: Backend>(_ backend: B, _ act: Activation) {
        var g = RandomGenerator(seed: 3)
        let layer = ActivationLayer(backend, act, size: 6)
        let x = randomTensor([3, 6], &g, low: -2, high: 2), target = randomTensor([3, 6], &g)
        let loss = MeanSquaredError(backend)
        let grad = Tensor(shape: [3, 6])
        _ = loss.compute(layer.forward(Matrix(x), training: true), Matrix(target), gradient: Matrix(grad))
        let dx = layer.backward(Matrix(grad), needsInputGradient: true).array
        let f = { loss.compute(layer.forward(Matrix(x), training: true), Matrix(target), gradient: nil) }
        assertGradient(dx, numericGradient(x, h: 1e-2, f), "\(backend.name) \(act)")
    }

    func testStepIsTheHeavisideFunction() {
        let b = NaiveBackend()
        var y = [Float](repeating: 9, count: 4)
        b.unary(.activation(.step), [-1, 0, 2, -0.0], &y, count: 4)
        XCTAssertEqual(y, [0, 1, 1, 1])
    }
}
