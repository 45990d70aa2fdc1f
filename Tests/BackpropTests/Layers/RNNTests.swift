import Backprop
import Foundation
import XCTest

/// The Elman RNN layer: gradients through six steps against finite differences (tanh and ReLU,
/// many to many and many to one, every backend), outputs against a Float64 transcription of
/// PyTorch's `torch.nn.RNN` equations.
final class RNNTests: XCTestCase {
    let (steps, batch, inputs, hidden) = (6, 3, 4, 5)

    func testGradientsMatchFiniteDifferencesThroughSixSteps() throws {
        try forEachBackend { backend in
            for (f, many) in [(Activation.tanh, true), (.tanh, false), (.relu, true)] {
                var g = RandomGenerator(seed: 5)
                let layer = RNN(backend, inputSize: inputs, hiddenSize: hidden, activation: f, returnSequences: many, generator: &g)
                checkRecurrentGradients(layer, steps: steps, batch: batch, many: many, h: 1e-3, scale: 0.6,
                                        "\(backend.name) \(f) many=\(many)", generator: &g)
            }
        }
    }

    func testOutputsMatchPyTorchsEquationsInFloat64() throws {
        try forEachBackend { backend in
            var g = RandomGenerator(seed: 6)
            let layer = RNN(backend, inputSize: inputs, hiddenSize: hidden, generator: &g)
            let x = randomTensor([steps, batch, inputs], &g)
            let y = layer.forward(TensorView(x), training: false).array
            let (wi, wh, bi, bh) = (layer.weightIH.value, layer.weightHH.value, layer.biasIH.value, layer.biasHH.value)
            var h = [[Double]](repeating: [Double](repeating: 0, count: hidden), count: batch)
            var worst = 0.0
            for s in 0..<steps {
                var next = h
                for b in 0..<batch {
                    for r in 0..<hidden {
                        var v = Double(bi[r]) + Double(bh[r])
                        for k in 0..<inputs { v += Double(wi[r * inputs + k]) * Double(x[(s * batch + b) * inputs + k]) }
                        for k in 0..<hidden { v += Double(wh[r * hidden + k]) * h[b][k] }
                        next[b][r] = Foundation.tanh(v)
                        worst = max(worst, abs(next[b][r] - Double(y[(s * batch + b) * hidden + r])))
                    }
                }
                h = next
            }
            XCTAssertLessThanOrEqual(worst, 1e-5, "\(backend.name): largest |h − h_ref| \(worst)")
        }
    }
}
