import Backprop
import XCTest

final class SingleNeuronTests: XCTestCase {
    /// Two separable blobs (classes 0 and 1 of `blobs`).
    func separable() -> Dataset {
        let all = SyntheticDataset.blobs.make(count: 300, seed: 1)
        let idx = (0..<all.count).filter { all.labels![$0] < 2 }
        let s = all.subset(idx)
        return Dataset.classification(name: "two blobs", features: s.features, labels: s.labels!, classes: 2)
    }

    func testPerceptronConvergesOnSeparableData() throws {
        try forEachBackend { backend in perceptron(backend) }
    }

    func perceptron<B: Backend>(_ backend: B) {
        let data = separable()
        let p = Perceptron(backend, inputs: 2)
        var g = RandomGenerator(seed: 1)
        let mistakes = p.fit(data, epochs: 100, generator: &g)
        XCTAssertEqual(mistakes.last, 0, "\(backend.name): \(mistakes)")
        XCTAssertEqual(p.predict(data.features), data.labels!.map(Float.init))
    }

    func testPerceptronRuleByHand() {
        // One mistake on x = [1, 2], t = 1 from w = 0, b = 0: ŷ = step(0) = 1 — no update; with
        // t = 0: w ← 0 + 1·(0 − 1)·x = [−1, −2], b ← −1.
        let p = Perceptron(NaiveBackend(), inputs: 2)
        var g = RandomGenerator(seed: 0)
        let d = Dataset.classification(name: "one", features: Tensor(shape: [1, 2], values: [1, 2]), labels: [0], classes: 2)
        XCTAssertEqual(p.fit(d, epochs: 1, generator: &g), [1])
        XCTAssertEqual(p.weights.array, [-1, -2])
        XCTAssertEqual(p.bias, -1)
    }

    func testLogisticRegression() throws {
        try forEachBackend { backend in try logistic(backend) }
    }

    func logistic<B: Backend>(_ backend: B) throws {
        var g = RandomGenerator(seed: 3)
        let data = separable()
        let scaler = FeatureScaler.fit(.standard, to: data.features, backend: backend)
        scaler.apply(to: data.features, backend: backend)
        let model = LogisticRegression(backend, inputs: 2, learningRate: 0.5, generator: &g)
        let losses = try model.fit(data, epochs: 200)
        XCTAssertLessThan(losses.last!, losses.first! / 4)
        XCTAssertGreaterThan(try model.accuracy(data), 0.98)
    }

    func testLinearRegressionSolveAndGradientDescentAgree() throws {
        try forEachBackend { backend in try linear(backend) }
    }

    func linear<B: Backend>(_ backend: B) throws {
        // y = 3·x₁ − 2·x₂ + 1 exactly.
        var g = RandomGenerator(seed: 5)
        let x = randomTensor([50, 2], &g)
        let y = Tensor(shape: [50, 1], values: (0..<50).map { 3 * x[$0, 0] - 2 * x[$0, 1] + 1 })
        let data = Dataset(name: "plane", features: x, targets: y)
        let exact = LinearRegression(backend, inputs: 2)
        try exact.solve(data)
        XCTAssertEqual(exact.dense.weight.value[0], 3, accuracy: 1e-4)
        XCTAssertEqual(exact.dense.weight.value[1], -2, accuracy: 1e-4)
        XCTAssertEqual(exact.dense.bias.value[0], 1, accuracy: 1e-4)
        let gd = LinearRegression(backend, inputs: 2, learningRate: 0.2)
        try gd.fit(data, epochs: 500)
        XCTAssertEqual(gd.dense.weight.value[0], 3, accuracy: 1e-2)
        XCTAssertLessThan(try gd.meanSquaredError(data), 1e-4)
    }
}
