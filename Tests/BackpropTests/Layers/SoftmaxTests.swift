import Backprop
import XCTest

final class SoftmaxTests: XCTestCase {
    func testGradientsAgainstFiniteDifferences() throws {
        try forEachBackend { backend in check(backend) }
    }

    func check<B: Backend>(_ backend: B) {
        var g = RandomGenerator(seed: 8)
        let layer = Softmax(backend, size: 5)
        let x = randomTensor([4, 5], &g, low: -3, high: 3), target = randomTensor([4, 5], &g)
        let loss = MeanSquaredError(backend)
        let grad = Tensor(shape: [4, 5])
        let y = layer.forward(Matrix(x), training: true)
        for i in 0..<4 { XCTAssertEqual((0..<5).map { y[i, $0] }.reduce(0, +), 1, accuracy: 1e-5) }
        _ = loss.compute(y, Matrix(target), gradient: Matrix(grad))
        let dx = layer.backward(Matrix(grad), needsInputGradient: true).array
        let f = { loss.compute(layer.forward(Matrix(x), training: true), Matrix(target), gradient: nil) }
        assertGradient(dx, numericGradient(x, h: 1e-2, f), "\(backend.name) softmax")
    }
}
