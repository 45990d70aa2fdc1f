import Backprop
import XCTest

final class SequentialTests: XCTestCase {
    /// Every parameter of a three-layer network (tanh, ELU, sigmoid hidden layers, softmax
    /// cross-entropy) against central differences, on every backend.
    func testWholeModelGradients() throws {
        try forEachBackend { backend in check(backend) }
    }

    func check<B: Backend>(_ backend: B) {
        var g = RandomGenerator(seed: 21)
        let layers: [any Layer<B>] = [
            Dense(backend, inputs: 4, outputs: 6, activation: .tanh, generator: &g),
            Dense(backend, inputs: 6, outputs: 5, activation: .elu(alpha: 1), generator: &g),
            Dense(backend, inputs: 5, outputs: 4, activation: .sigmoid, generator: &g),
            Dense(backend, inputs: 4, outputs: 3, generator: &g),
        ]
        let model = Sequential(backend, layers: layers)
        let x = randomTensor([5, 4], &g), t = oneHot([0, 1, 2, 1, 0], classes: 3)
        let loss = SoftmaxCrossEntropy(backend)
        let grad = Tensor(shape: [5, 3])
        _ = loss.compute(model.forward(Matrix(x), training: true), Matrix(t), gradient: Matrix(grad))
        model.backward(Matrix(grad))
        let f = { loss.compute(model.forward(Matrix(x), training: true), Matrix(t), gradient: nil) }
        for p in model.parameters.parameters {
            let analytic = p.grad.array
            assertGradient(analytic, numericGradient(p.value, h: 1e-2, f), "\(backend.name) \(p.name)")
        }
        XCTAssertEqual(model.parameters.entries.map(\.name), ["layers.0.weight", "layers.0.bias", "layers.1.weight", "layers.1.bias",
                                                      "layers.2.weight", "layers.2.bias", "layers.3.weight", "layers.3.bias"])
    }
}
