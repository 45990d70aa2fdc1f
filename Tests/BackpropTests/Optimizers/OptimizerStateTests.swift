import Backprop
import XCTest

final class OptimizerStateTests: XCTestCase {
    /// Every optimiser's state is public and named per parameter; restored into a fresh
    /// optimiser, the next update is the one the original makes, bit for bit.
    func testStateRestoresIntoAFreshOptimiser() throws {
        let backend = try Backends.make("simd")
        for kind in OptimizerKind.allCases {
            var g = RandomGenerator(seed: 4)
            let model = Sequential.mlp(backend, sizes: [3, 5, 2], generator: &g)
            let opt = kind.make(backend, learningRate: 0.01)
            let arena = model.parameters
            // Gradients as a backward pass leaves them: in the parameters, zero in the padding.
            func randomGradients() {
                for p in arena.parameters { g.fill(.uniform(low: -1, high: 1), p.grad.data, count: p.count) }
            }
            for _ in 0..<3 {
                randomGradients()
                opt.step(arena)
            }
            XCTAssertEqual(opt.state.step, 3, "\(kind)")
            let named = opt.state.namedTensors(arena)
            XCTAssertEqual(named.count, opt.state.slotNames.count * 4, "\(kind): one tensor per slot and parameter")
            if let first = named.first { XCTAssertEqual(first.name, "\(opt.state.slotNames[0]).layers.0.weight") }
            // A copy of the model and a fresh optimiser restored from the state.
            var g2 = RandomGenerator(seed: 4)
            let copy = Sequential.mlp(backend, sizes: [3, 5, 2], generator: &g2)
            copy.parameters.values.assign(from: arena.values)
            let fresh = kind.make(backend, learningRate: 0.01)
            try fresh.state.restore(step: opt.state.step, tensors: Dictionary(uniqueKeysWithValues: named.map { ($0.name, $0.tensor.copy()) }),
                                    arena: copy.parameters, source: "test")
            randomGradients()
            copy.parameters.gradients.assign(from: arena.gradients)
            opt.step(arena)
            fresh.step(copy.parameters)
            XCTAssertEqual(arena.values.array, copy.parameters.values.array, "\(kind)")
        }
    }

    func testHyperparametersAreReadable() throws {
        let b = NaiveBackend()
        let w = AdamW(b, beta1: 0.8, beta2: 0.99, epsilon: 1e-6, weightDecay: 0.05)
        XCTAssertEqual([w.beta1, w.beta2, w.epsilon, w.weightDecay], [0.8, 0.99, 1e-6, 0.05])
        XCTAssertEqual(w.hyperparameters.map(\.name), ["beta1", "beta2", "eps", "weight_decay"])
        XCTAssertEqual(w.state.slotNames, ["exp_avg", "exp_avg_sq"])
        XCTAssertEqual(SGD(b, momentum: 0.9).state.slotNames, ["momentum_buffer"])
        XCTAssertEqual(AdaGrad(b, initialAccumulator: 0.1).state.initialValues, [0.1])
        let p = Parameter(name: "w", shape: [2], isWeight: true)
        let arena = ParameterArena(gathering: [("w", p)])
        let adam = Adam(b)
        p.grad.data.update(from: [0.5, -1], count: 2)
        adam.step(arena)
        // m = (1 − β₁)g after one step.
        let m = try XCTUnwrap(adam.state.tensor("exp_avg", for: p)).array
        XCTAssertEqual(m[0], 0.05, accuracy: 1e-7)
        XCTAssertEqual(m[1], -0.1, accuracy: 1e-7)
    }

    /// The schedule belongs to the optimiser: its position moves, its base does not.
    func testTheScheduleIsTheOptimisers() {
        let o = OptimizerKind.adam.make(NaiveBackend(), learningRate: 0.1, schedule: .step(every: 1, gamma: 0.5))
        XCTAssertEqual(o.learningRate, 0.1)
        o.rate.epoch = 2
        XCTAssertEqual(o.learningRate, 0.025)
        XCTAssertEqual(o.rate.base, 0.1)
        XCTAssertEqual(LearningRateSchedule(parsing: "cosine", epochs: 7), .cosine(epochs: 7, minimum: 0))
        XCTAssertEqual(LearningRateSchedule(parsing: LearningRateSchedule.step(every: 3, gamma: 0.5).description, epochs: 1),
                       .step(every: 3, gamma: 0.5))
        XCTAssertNil(LearningRateSchedule(parsing: "step:0:2", epochs: 1))
    }
}
