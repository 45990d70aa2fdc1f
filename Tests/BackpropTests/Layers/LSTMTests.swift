import Backprop
import Foundation
import XCTest

/// The LSTM layer: gradients through six time steps against finite differences (many to many and
/// many to one, every backend), and its outputs against a Float64 transcription of PyTorch's
/// documented `torch.nn.LSTM` equations.
final class LSTMTests: XCTestCase {
    let (steps, batch, inputs, hidden) = (6, 3, 4, 5)

    func testGradientsMatchFiniteDifferencesThroughSixSteps() throws {
        try forEachBackend { backend in
            for many in [true, false] {
                var g = RandomGenerator(seed: 9)
                let layer = LSTM(backend, inputSize: inputs, hiddenSize: hidden, returnSequences: many, generator: &g)
                checkRecurrentGradients(layer, steps: steps, batch: batch, many: many, h: 1e-2, scale: 0.8,
                                        "\(backend.name) many=\(many)", generator: &g)
            }
        }
    }

    /// PyTorch's equations, transcribed in Float64: i = σ(W_ii x + b_ii + W_hi h + b_hi), …,
    /// c' = f c + i g, h' = o tanh(c').
    func testOutputsMatchPyTorchsEquationsInFloat64() throws {
        try forEachBackend { backend in
            var g = RandomGenerator(seed: 4)
            let layer = LSTM(backend, inputSize: inputs, hiddenSize: hidden, returnSequences: true, unitForgetBias: true, generator: &g)
            let x = randomTensor([steps, batch, inputs], &g)
            let y = layer.forward(TensorView(x), training: false).array
            let (wi, wh, bi, bh) = (layer.weightIH.value, layer.weightHH.value, layer.biasIH.value, layer.biasHH.value)
            var h = [[Double]](repeating: [Double](repeating: 0, count: hidden), count: batch), c = h
            var worst = 0.0
            func sigmoid(_ v: Double) -> Double { 1 / (1 + Foundation.exp(-v)) }
            for s in 0..<steps {
                var hNew = h
                for b in 0..<batch {
                    var z = [Double](repeating: 0, count: 4 * hidden)
                    for r in 0..<(4 * hidden) {
                        var v = Double(bi[r]) + Double(bh[r])
                        for k in 0..<inputs { v += Double(wi[r * inputs + k]) * Double(x[(s * batch + b) * inputs + k]) }
                        for k in 0..<hidden { v += Double(wh[r * hidden + k]) * h[b][k] }
                        z[r] = v
                    }
                    for j in 0..<hidden {
                        let (i, f) = (sigmoid(z[j]), sigmoid(z[hidden + j]))
                        let (gg, o) = (Foundation.tanh(z[2 * hidden + j]), sigmoid(z[3 * hidden + j]))
                        c[b][j] = f * c[b][j] + i * gg
                        hNew[b][j] = o * Foundation.tanh(c[b][j])
                        worst = max(worst, abs(hNew[b][j] - Double(y[(s * batch + b) * hidden + j])))
                    }
                }
                h = hNew
            }
            XCTAssertLessThanOrEqual(worst, 1e-5, "\(backend.name): largest |h − h_ref| \(worst)")
            XCTAssertEqual(layer.biasIH.value.array[hidden..<(2 * hidden)].allSatisfy { $0 == 1 }, true, "unit forget bias")
        }
    }

    func testPyTorchNamesLayoutsAndConfiguration() throws {
        let b = try Backends.make("simd")
        var g = RandomGenerator(seed: 1)
        let layer = LSTM(b, inputSize: 3, hiddenSize: 8, returnSequences: false, generator: &g)
        XCTAssertEqual(layer.parameters.map(\.name), ["weight_ih_l0", "weight_hh_l0", "bias_ih_l0", "bias_hh_l0"])
        XCTAssertEqual(layer.parameters.map(\.shape), [[32, 3], [32, 8], [32], [32]])
        let bound = 1 / Float(8).squareRoot()
        XCTAssertTrue(layer.weightHH.value.array.allSatisfy { abs($0) <= bound }, "U(−1/√H, 1/√H)")
        let config = try JSONDecoder().decode(LSTMConfiguration.self, from: JSONEncoder().encode(layer.configuration as! LSTMConfiguration))
        XCTAssertEqual(config, LSTMConfiguration(inputSize: 3, hiddenSize: 8, returnSequences: false))
        XCTAssertTrue(LayerKinds.type("lstm") == LSTMConfiguration.self)
        XCTAssertThrowsError(try LSTMConfiguration(inputSize: 0, hiddenSize: 8).makeLayer(on: b, generator: &g))
        // Many to one: the last step of many to many.
        let x = randomTensor([5, 2, 3], &g)
        let last = layer.forward(TensorView(x), training: false).array
        var g2 = RandomGenerator(seed: 1)
        let all = LSTM(b, inputSize: 3, hiddenSize: 8, returnSequences: true, generator: &g2).forward(TensorView(x), training: false).array
        XCTAssertEqual(last, Array(all[(4 * 2 * 8)...]))
    }
}

/// The LSTM trains through `Sequential` and the `Trainer` on a sequence set: the class is the sign
/// of the first step's first feature, seen 12 steps before the answer (the rest is noise).
final class LSTMTrainingTests: XCTestCase {
    static func firstStepSign(count: Int, steps: Int, seed: UInt64) -> Dataset {
        var g = RandomGenerator(seed: seed)
        let x = Tensor(shape: [count, steps, 2])
        g.fill(.uniform(low: -1, high: 1), x.data, count: x.count)
        let labels = (0..<count).map { Int32(x.data[$0 * steps * 2] > 0 ? 1 : 0) }
        return Dataset.classification(name: "first-step sign", features: x, labels: labels, classes: 2)
    }

    func testAnLSTMClassifierLearnsALongDependency() throws {
        let b = try Backends.make("simd")
        var g = RandomGenerator(seed: 3)
        let model = Sequential(b, layers: [
            LSTM(b, inputSize: 2, hiddenSize: 16, returnSequences: false, unitForgetBias: true, generator: &g),
            Dense(b, inputs: 16, outputs: 2, generator: &g),
        ])
        let train = Self.firstStepSign(count: 1024, steps: 12, seed: 1), test = Self.firstStepSign(count: 512, steps: 12, seed: 2)
        let trainer = Trainer(model: model, loss: SoftmaxCrossEntropy(b), optimizer: Adam(b, learningRate: 0.01))
        let history = try trainer.fit(train, options: FitOptions(epochs: 25, batchSize: 32, validationSplit: 0))
        let accuracy = try trainer.evaluate(test).accuracy ?? 0
        print("LSTM, first-step sign over 12 steps: test accuracy \(accuracy), loss \(history.epochs.first!.loss) → \(history.epochs.last!.loss)")
        XCTAssertGreaterThanOrEqual(accuracy, 0.95)
    }
}
