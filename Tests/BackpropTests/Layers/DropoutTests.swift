import Backprop
import XCTest

final class DropoutTests: XCTestCase {
    func testInvertedDropoutKeepsTheExpectationAndMasksTheGradient() throws {
        try forEachBackend { backend in check(backend) }
    }

    func check<B: Backend>(_ backend: B) {
        let p: Float = 0.3
        let layer = Dropout(backend, rate: p, size: 1000, generator: RandomGenerator(seed: 4))
        let x = Tensor(shape: [10, 1000], values: [Float](repeating: 2, count: 10_000))
        let y = layer.forward(Matrix(x), training: true).array
        // Each output is 0 or x/(1 − p).
        XCTAssertTrue(y.allSatisfy { $0 == 0 || abs($0 - 2 / (1 - p)) < 1e-5 }, backend.name)
        let kept = Float(y.filter { $0 != 0 }.count) / Float(y.count)
        XCTAssertEqual(kept, 1 - p, accuracy: 0.02, backend.name)
        XCTAssertEqual(y.reduce(0, +) / Float(y.count), 2, accuracy: 0.05, "E[y] = x")
        // Backward multiplies by the same mask: dx/dy = y/x.
        let dy = Tensor(shape: [10, 1000], values: [Float](repeating: 1, count: 10_000))
        let dx = layer.backward(Matrix(dy), needsInputGradient: true).array
        XCTAssertEqual(dx, y.map { $0 / 2 }, backend.name)
        // Inference: the identity.
        XCTAssertEqual(layer.forward(Matrix(x), training: false).array, x.array)
    }

    func testSameSeedSameMaskOnEveryBackend() throws {
        var masks: [[Float]] = []
        try forEachBackend { backend in masks.append(mask(backend)) }
        XCTAssertEqual(masks[0], masks[1])
        XCTAssertEqual(masks[0], masks[2])
    }

    func mask<B: Backend>(_ backend: B) -> [Float] {
        let layer = Dropout(backend, rate: 0.5, size: 64, generator: RandomGenerator(seed: 11))
        let x = Tensor(shape: [2, 64], values: [Float](repeating: 1, count: 128))
        return layer.forward(Matrix(x), training: true).array
    }
}
