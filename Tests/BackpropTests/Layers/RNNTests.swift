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
                for p in layer.parameters { g.fill(.uniform(low: -0.6, high: 0.6), p.value.data, count: p.count) }
                let x = randomTensor([steps, batch, inputs], &g)
                let t = randomTensor(many ? [steps * batch, hidden] : [batch, hidden], &g)
                let loss = MeanSquaredError(backend), dy = Tensor(shape: t.shape)
                for p in layer.parameters { p.grad.data.update(repeating: 0, count: p.count) }
                func out() -> TensorView {
                    let y = layer.forward(TensorView(x), training: true)
                    return TensorView(y.data, rows: t.shape[0], cols: hidden)
                }
                _ = loss.compute(out(), TensorView(t), gradient: TensorView(dy))
                let dx = layer.backward(TensorView(dy.data, shape: many ? Shape(steps, batch, hidden) : Shape(rows: batch, cols: hidden)),
                                        needsInputGradient: true).array
                let fn = { loss.compute(out(), TensorView(t), gradient: nil) }
                for p in layer.parameters {
                    assertGradient(p.grad.array, numericGradient(p.value, h: 1e-3, fn), "\(backend.name) \(f) many=\(many) d\(p.name)")
                }
                assertGradient(dx, numericGradient(x, h: 1e-3, fn), "\(backend.name) \(f) many=\(many) dx")
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
