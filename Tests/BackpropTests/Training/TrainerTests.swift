import Backprop
import XCTest

final class TrainerTests: XCTestCase {
    func testLearnsBlobsOnEveryBackend() throws {
        try forEachBackend { backend in try blobs(backend) }
    }

    func blobs<B: Backend>(_ backend: B) throws {
        var g = RandomGenerator(seed: 2)
        let train = SyntheticDataset.blobs.make(count: 600, seed: 1), test = SyntheticDataset.blobs.make(count: 300, seed: 2)
        let model = Sequential.mlp(backend, sizes: [2, 16, 3], activation: .relu, generator: &g)
        let trainer = Trainer(model: model, loss: SoftmaxCrossEntropy(backend), optimizer: Adam(backend, learningRate: 0.01))
        var o = FitOptions(batchSize: 32, validationSplit: 0)
        o.epochs = 20
        o.validationSplit = 0.2
        let h = try trainer.fit(train, options: o)
        XCTAssertEqual(h.epochs.count, 20)
        XCTAssertNotNil(h.epochs.last?.validationAccuracy)
        XCTAssertGreaterThan(try trainer.evaluate(test).accuracy!, 0.95, backend.name)
    }

    func testDivergenceStopsWithAClearError() throws {
        let b = try Backends.make("simd")
        var g = RandomGenerator(seed: 1)
        let model = Sequential.mlp(b, sizes: [1, 8, 1], activation: .relu, generator: &g)
        let trainer = Trainer(model: model, loss: MeanSquaredError(b), optimizer: SGD(b, learningRate: 1e4))
        var o = FitOptions(batchSize: 32, validationSplit: 0)
        o.epochs = 50
        XCTAssertThrowsError(try trainer.fit(SyntheticDataset.uat.make(count: 200, seed: 1), options: o)) { e in
            guard case TrainingError.nonFiniteLoss = e else { return XCTFail("\(e)") }
            XCTAssertTrue("\(e)".contains("training diverged: loss is"), "\(e)")
        }
    }

    func testEarlyStoppingWaitsForPatienceAndRestoresTheBest() {
        let stop = EarlyStopping(monitor: "val_loss", patience: 2, minDelta: 0.01)
        let p = Parameter(name: "w", shape: [1], isWeight: true)
        let losses: [Float] = [1.0, 0.8, 0.795, 0.9, 0.7]
        var stoppedAt: Int?
        for (i, l) in losses.enumerated() {
            p.value[0] = Float(i + 1)                                           // the weights "of epoch i + 1"
            let log = EpochLog(epoch: i + 1, loss: 0, validationLoss: l, learningRate: 0.1, seconds: 0)
            if stop.epochDidEnd(log, parameters: [p]) { stoppedAt = i + 1; break }
        }
        XCTAssertEqual(stoppedAt, 4, "0.795 is not better than 0.8 by more than 0.01; 0.9 is worse")
        XCTAssertEqual(stop.bestEpoch, 2)
        stop.trainingDidEnd(parameters: [p])
        XCTAssertEqual(p.value[0], 2, "the best epoch's weights are restored")
    }

    func testEarlyStoppingInFit() throws {
        let b = try Backends.make("simd")
        var g = RandomGenerator(seed: 4)
        let data = SyntheticDataset.moons.make(count: 200, seed: 1)
        let model = Sequential.mlp(b, sizes: [2, 64, 64, 2], activation: .relu, generator: &g)
        let trainer = Trainer(model: model, loss: SoftmaxCrossEntropy(b), optimizer: Adam(b, learningRate: 0.05))
        let stop = EarlyStopping(patience: 3, minDelta: 0.01)
        var o = FitOptions(batchSize: 32, validationSplit: 0)
        o.epochs = 300
        o.batchSize = 16
        o.validationSplit = 0.3
        o.callbacks = [stop]
        let h = try trainer.fit(data, options: o)
        XCTAssertLessThan(h.epochs.count, 300, "an over-fitting model stops early")
        XCTAssertEqual(stop.stoppedEpoch, h.epochs.count)
        XCTAssertEqual(h.epochs.count - stop.bestEpoch, 3)
    }

    func testL2PenaltyShrinksWeights() throws {
        let b = try Backends.make("simd")
        func norm(_ l2: Float) throws -> Float {
            var g = RandomGenerator(seed: 1)
            let model = Sequential.mlp(b, sizes: [2, 32, 2], generator: &g)
            var o = FitOptions(batchSize: 32, validationSplit: 0)
            o.epochs = 30
            o.penalty = Penalty(l2: l2)
            try Trainer(model: model, loss: SoftmaxCrossEntropy(b), optimizer: SGD(b, learningRate: 0.1))
                .fit(SyntheticDataset.circles.make(count: 300, seed: 1), options: o)
            return model.parameters.parameters.filter(\.isWeight).flatMap(\.value.array).map { $0 * $0 }.reduce(0, +)
        }
        XCTAssertLessThan(try norm(0.1), try norm(0) * 0.8)
    }
}
