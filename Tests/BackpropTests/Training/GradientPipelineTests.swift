import Backprop
import XCTest

final class GradientPipelineTests: XCTestCase {
    /// Two micro-batches of 8 accumulated into one update give the step one batch of 16 gives
    /// (mean losses: the summed gradients are averaged).
    func testAccumulationEqualsOneBiggerBatch() throws {
        try forEachBackend { backend in
            func model() -> Sequential<RoutedBackend> {
                var g = RandomGenerator(seed: 8)
                return Sequential.mlp(backend, sizes: [3, 6, 4], activation: .tanh, generator: &g)
            }
            var g = RandomGenerator(seed: 9)
            let x = randomTensor([16, 3], &g)
            let labels: [Int32] = (0..<16).map { Int32($0 % 4) }
            let whole = model(), split = model()
            let one = TrainingStep(model: whole, loss: SoftmaxCrossEntropy(backend), optimizer: SGD(backend, learningRate: 0.5))
            let two = TrainingStep(model: split, loss: SoftmaxCrossEntropy(backend), optimizer: SGD(backend, learningRate: 0.5),
                                   transforms: [GradientAccumulation(steps: 2)])
            XCTAssertTrue(one.run(TensorView(x), .classes(labels[...])).updated)
            let xv = TensorView(x)
            XCTAssertFalse(two.run(xv.rows(0..<8), .classes(labels[0..<8])).updated, "the first micro-batch only accumulates")
            XCTAssertTrue(two.run(xv.rows(8..<16), .classes(labels[8..<16])).updated)
            for (a, b) in zip(whole.parameters.values.array, split.parameters.values.array) {
                XCTAssertEqual(a, b, accuracy: 1e-6, backend.name)
            }
        }
    }

    /// An accumulation window left open at the end of an epoch is applied, averaged over what it holds.
    func testAnOpenWindowIsAppliedAtTheEndOfAnEpoch() throws {
        let backend = try Backends.make("simd")
        var g = RandomGenerator(seed: 8)
        let model = Sequential.mlp(backend, sizes: [2, 3], generator: &g)
        let step = TrainingStep(model: model, loss: MeanSquaredError(backend), optimizer: SGD(backend, learningRate: 0.1),
                                transforms: [GradientAccumulation(steps: 4)])
        let before = model.parameters.values.array
        XCTAssertFalse(step.run(TensorView(randomTensor([2, 2], &g)), TensorView(randomTensor([2, 3], &g))).updated)
        XCTAssertEqual(model.parameters.values.array, before)
        XCTAssertTrue(step.finishEpoch())
        XCTAssertNotEqual(model.parameters.values.array, before)
        XCTAssertFalse(step.finishEpoch(), "nothing left to apply")
    }

    func testFitOptionsBuildThePipelineInOrder() {
        let o = FitOptions(penalty: Penalty(l2: 0.1), clipping: .norm(1), accumulationSteps: 3)
        let kinds = o.pipeline.map { "\(type(of: $0))" }
        XCTAssertEqual(kinds, ["GradientAccumulation", "PenaltyGradient", "ClipGradients"])
        XCTAssertTrue(FitOptions().pipeline.isEmpty)
        XCTAssertEqual(FitOptions().batchSize, 128, "the command line's default")
        XCTAssertEqual(FitOptions().validationSplit, 0.1)
    }

    /// Data that does not fit the model is a thrown error naming the problem, not a trap.
    func testDataThatDoesNotFitThrows() throws {
        let backend = try Backends.make("simd")
        var g = RandomGenerator(seed: 1)
        let model = Sequential.mlp(backend, sizes: [3, 4, 2], generator: &g)
        let trainer = Trainer(model: model, loss: SoftmaxCrossEntropy(backend), optimizer: Adam(backend))
        let wide = SyntheticDataset.blobs.make(count: 30, seed: 1)
        XCTAssertThrowsError(try trainer.fit(wide)) { e in
            XCTAssertEqual("\(e)", "blobs: training has 2 features; the model takes 3")
        }
        let three = Dataset.classification(name: "three", features: randomTensor([6, 3], &g), labels: [0, 1, 2, 0, 1, 2], classes: 3)
        XCTAssertThrowsError(try trainer.evaluate(three)) { e in
            XCTAssertEqual("\(e)", "three: evaluation has 3 classes, for which cross_entropy needs 3 outputs; the model has 2")
        }
        var bad = Dataset.classification(name: "bad", features: randomTensor([3, 3], &g), labels: [0, 1, 1], classes: 2)
        bad.labels![1] = 7
        XCTAssertThrowsError(try trainer.fit(bad, options: FitOptions(validationSplit: 0))) { e in
            XCTAssertEqual("\(e)", "bad: training example 1 has class 7, outside 0..<2")
        }
        let regression = Dataset(name: "reg", features: randomTensor([4, 3], &g), targets: randomTensor([4, 5], &g))
        XCTAssertThrowsError(try trainer.evaluate(regression)) { e in XCTAssertEqual("\(e)", "reg: evaluation has 5 targets; the model outputs 2") }
        let tiny = Dataset.classification(name: "tiny", features: randomTensor([2, 3], &g), labels: [0, 1], classes: 2)
        XCTAssertThrowsError(try trainer.fit(tiny, options: FitOptions(validationSplit: 0.9))) { e in
            XCTAssertTrue("\(e)".contains("leaves no training examples"), "\(e)")
        }
    }
}
