import Backprop
import XCTest

final class LossTests: XCTestCase {
    func testGradientsOfEveryLossOnEveryBackend() throws {
        try forEachBackend { backend in check(backend) }
    }

    func check<B: Backend>(_ backend: B) {
        var g = RandomGenerator(seed: 2)
        let logits = randomTensor([4, 3], &g, low: -3, high: 3)
        let probs = randomTensor([4, 1], &g, low: 0.05, high: 0.95)
        let binary = Tensor(shape: [4, 1], values: [0, 1, 1, 0])
        let values = randomTensor([4, 3], &g)
        let cases: [(any Loss<B>, Tensor, Tensor)] = [
            (MeanSquaredError(backend), logits, values),
            (SoftmaxCrossEntropy(backend), logits, oneHot([0, 2, 1, 2], classes: 3)),
            (BinaryCrossEntropyWithLogits(backend), Tensor(shape: [4, 1], values: [-2, 0.5, 3, -0.1]), binary),
            (BinaryCrossEntropy(backend), probs, binary),
        ]
        for (loss, p, t) in cases {
            let grad = Tensor(shape: p.shape)
            _ = loss.compute(Matrix(p), Matrix(t), gradient: Matrix(grad))
            let f = { loss.compute(Matrix(p), Matrix(t), gradient: nil) }
            assertGradient(grad.array, numericGradient(p, h: 1e-3, f), "\(backend.name) \(loss.name)")
        }
    }

    /// Values computed by hand from the documented formulas.
    func testValuesByHand() throws {
        try forEachBackend { backend in try byHand(backend) }
    }

    func byHand<B: Backend>(_ b: B) throws {
        // MSE: ((1 − 0)² + (2 − 4)²)/2 = 2.5
        XCTAssertEqual(MeanSquaredError(b).compute(Matrix(Tensor(shape: [1, 2], values: [1, 2])),
                                                    Matrix(Tensor(shape: [1, 2], values: [0, 4])), gradient: nil), 2.5, accuracy: 1e-6)
        // Softmax CE of logits [0, 0] with class 1: −ln(1/2) = ln 2
        XCTAssertEqual(SoftmaxCrossEntropy(b).compute(Matrix(Tensor(shape: [1, 2], values: [0, 0])),
                                                       Matrix(oneHot([1], classes: 2)), gradient: nil), 0.6931472, accuracy: 1e-6)
        // BCE of p = 0.8, t = 1: −ln 0.8
        XCTAssertEqual(BinaryCrossEntropy(b).compute(Matrix(Tensor(shape: [1, 1], values: [0.8])),
                                                      Matrix(Tensor(shape: [1, 1], values: [1])), gradient: nil), 0.2231436, accuracy: 1e-6)
        // BCE with logits, z = 0, t = 1: ln 2; z = 100, t = 0: 100 (stable, no overflow)
        XCTAssertEqual(BinaryCrossEntropyWithLogits(b).compute(Matrix(Tensor(shape: [2, 1], values: [0, 100])),
                                                                Matrix(Tensor(shape: [2, 1], values: [1, 0])), gradient: nil),
                       (0.6931472 + 100) / 2, accuracy: 1e-4)
        // BCE clamps the log at −100: p = 0, t = 1 gives 100, not ∞.
        XCTAssertEqual(BinaryCrossEntropy(b).compute(Matrix(Tensor(shape: [1, 1], values: [0])),
                                                      Matrix(Tensor(shape: [1, 1], values: [1])), gradient: nil), 100, accuracy: 1e-4)
    }

    func testPenaltyGradientAndValue() throws {
        try forEachBackend { backend in penalty(backend) }
    }

    func penalty<B: Backend>(_ backend: B) {
        let w = Parameter(name: "w", shape: [5], isWeight: true)
        w.value.data.update(from: [0.5, -1.5, 2, -0.25, 1], count: 5)
        let bias = Parameter(name: "b", shape: [1], isWeight: false)
        bias.value[0] = 3
        let pen = Penalty(l1: 0.1, l2: 0.2)
        let scratch = Workspace()
        // P = 0.1·5.25 + 0.1·(0.25 + 2.25 + 4 + 0.0625 + 1) = 0.525 + 0.75625
        XCTAssertEqual(pen.value([w, bias], backend: backend, scratch: scratch), 1.28125, accuracy: 1e-5)
        pen.addGradient([w, bias], backend: backend, scratch: scratch)
        let f = { pen.value([w, bias], backend: backend, scratch: scratch) }
        assertGradient(w.grad.array, numericGradient(w.value, h: 1e-2, f), "\(backend.name) penalty")
        XCTAssertEqual(bias.grad[0], 0, "biases are not penalised")
    }

    /// Class-index targets give the loss and gradient one-hot rows give; `sum` is the mean × N
    /// (N: rows for cross-entropy, elements for the others); the class-index path passes the
    /// finite-difference check too.
    func testClassIndicesAndReductions() throws {
        try forEachBackend { backend in
            var g = RandomGenerator(seed: 6)
            let labels: [Int32] = [2, 0, 1, 2]
            let logits = randomTensor([4, 3], &g, low: -2, high: 2)
            let probs = randomTensor([4, 1], &g, low: 0.1, high: 0.9)
            let binary: [Int32] = [1, 0, 0, 1]
            let cases: [(LossKind, Tensor, [Int32], Tensor, Int)] = [
                (.crossEntropy, logits, labels, oneHot(labels.map(Int.init), classes: 3), 4),
                (.mse, logits, labels, oneHot(labels.map(Int.init), classes: 3), 12),
                (.bce, probs, binary, Tensor(shape: [4, 1], values: binary.map(Float.init)), 4),
                (.bceLogits, logits, labels, oneHot(labels.map(Int.init), classes: 3), 12),
            ]
            for (kind, p, cls, dense, n) in cases {
                let loss = kind.make(backend), total = kind.make(backend, reduction: .sum)
                let g1 = Tensor(shape: p.shape), g2 = Tensor(shape: p.shape), g3 = Tensor(shape: p.shape)
                let a = loss.compute(TensorView(p), .classes(cls[...]), gradient: TensorView(g1))
                let b = loss.compute(TensorView(p), .values(TensorView(dense)), gradient: TensorView(g2))
                let c = total.compute(TensorView(p), .classes(cls[...]), gradient: TensorView(g3))
                XCTAssertEqual(a, b, accuracy: 1e-6, "\(backend.name) \(kind)")
                XCTAssertEqual(c, a * Float(n), accuracy: 1e-5 * abs(c), "\(backend.name) \(kind) sum")
                for i in 0..<p.count {
                    XCTAssertEqual(g1[i], g2[i], accuracy: 1e-6, "\(backend.name) \(kind)")
                    XCTAssertEqual(g3[i], g1[i] * Float(n), accuracy: 1e-5, "\(backend.name) \(kind) sum gradient")
                }
                let f = { loss.compute(TensorView(p), .classes(cls[...]), gradient: nil) }
                assertGradient(g1.array, numericGradient(p, h: 1e-3, f), "\(backend.name) \(kind) with class indices")
            }
            XCTAssertEqual(LossKind.bce.make(backend).outputCount(classes: 2), 1)
            XCTAssertEqual(LossKind.crossEntropy.make(backend).outputCount(classes: 2), 2)
        }
    }
}
