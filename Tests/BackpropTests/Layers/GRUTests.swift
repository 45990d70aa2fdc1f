import Backprop
import Foundation
import XCTest

/// The GRU layer: gradients through six time steps against finite differences (many to many and
/// many to one, every backend), outputs against a Float64 transcription of PyTorch's documented
/// `torch.nn.GRU` equations, names, layouts and settings.
final class GRUTests: XCTestCase {
    let (steps, batch, inputs, hidden) = (6, 3, 4, 5)

    func testGradientsMatchFiniteDifferencesThroughSixSteps() throws {
        try forEachBackend { backend in
            for many in [true, false] {
                var g = RandomGenerator(seed: 19)
                let layer = GRU(backend, inputSize: inputs, hiddenSize: hidden, returnSequences: many, generator: &g)
                checkRecurrentGradients(layer, steps: steps, batch: batch, many: many, h: 1e-2, scale: 0.8,
                                        "\(backend.name) many=\(many)", generator: &g)
            }
        }
    }

    /// r = σ(W_ir x + b_ir + W_hr h + b_hr), z = σ(…), n = tanh(W_in x + b_in + r ⊙ (W_hn h + b_hn)),
    /// h' = (1 − z) ⊙ n + z ⊙ h.
    func testOutputsMatchPyTorchsEquationsInFloat64() throws {
        try forEachBackend { backend in
            var g = RandomGenerator(seed: 14)
            let layer = GRU(backend, inputSize: inputs, hiddenSize: hidden, generator: &g)
            let x = randomTensor([steps, batch, inputs], &g)
            let y = layer.forward(TensorView(x), training: false).array
            let (wi, wh, bi, bh) = (layer.weightIH.value, layer.weightHH.value, layer.biasIH.value, layer.biasHH.value)
            var h = [[Double]](repeating: [Double](repeating: 0, count: hidden), count: batch)
            var worst = 0.0
            func sigmoid(_ v: Double) -> Double { 1 / (1 + Foundation.exp(-v)) }
            for s in 0..<steps {
                var hNew = h
                for b in 0..<batch {
                    var gx = [Double](repeating: 0, count: 3 * hidden), gh = gx
                    for r in 0..<(3 * hidden) {
                        gx[r] = Double(bi[r])
                        gh[r] = Double(bh[r])
                        for k in 0..<inputs { gx[r] += Double(wi[r * inputs + k]) * Double(x[(s * batch + b) * inputs + k]) }
                        for k in 0..<hidden { gh[r] += Double(wh[r * hidden + k]) * h[b][k] }
                    }
                    for j in 0..<hidden {
                        let r = sigmoid(gx[j] + gh[j]), z = sigmoid(gx[hidden + j] + gh[hidden + j])
                        let n = Foundation.tanh(gx[2 * hidden + j] + r * gh[2 * hidden + j])
                        hNew[b][j] = (1 - z) * n + z * h[b][j]
                        worst = max(worst, abs(hNew[b][j] - Double(y[(s * batch + b) * hidden + j])))
                    }
                }
                h = hNew
            }
            XCTAssertLessThanOrEqual(worst, 1e-5, "\(backend.name): largest |h − h_ref| \(worst)")
        }
    }

    func testPyTorchNamesLayoutsAndConfiguration() throws {
        let b = try Backends.make("simd")
        var g = RandomGenerator(seed: 1)
        let layer = GRU(b, inputSize: 3, hiddenSize: 8, layers: 2, returnSequences: false, generator: &g)
        XCTAssertEqual(layer.parameters.map(\.name), ["weight_ih_l0", "weight_hh_l0", "bias_ih_l0", "bias_hh_l0",
                                                      "weight_ih_l1", "weight_hh_l1", "bias_ih_l1", "bias_hh_l1"])
        XCTAssertEqual(layer.parameters.map(\.shape), [[24, 3], [24, 8], [24], [24], [24, 8], [24, 8], [24], [24]])
        let bound = 1 / Float(8).squareRoot()
        XCTAssertTrue(layer.parameters.allSatisfy { $0.value.array.allSatisfy { abs($0) <= bound } }, "U(−1/√H, 1/√H)")
        let config = try JSONDecoder().decode(GRUConfiguration.self, from: JSONEncoder().encode(layer.configuration as! GRUConfiguration))
        XCTAssertEqual(config, GRUConfiguration(inputSize: 3, hiddenSize: 8, layers: 2, returnSequences: false))
        XCTAssertEqual(config.parameterCount, layer.parameters.reduce(0) { $0 + $1.count })
        XCTAssertTrue(LayerKinds.type("gru") == GRUConfiguration.self)
        XCTAssertEqual(layer.torchModules, ["GRU(3, 8, num_layers=2)"])
        // Files written before `layers` and `tokens` existed still decode.
        let old = try JSONDecoder().decode(GRUConfiguration.self, from: Data(#"{"inputSize":3,"hiddenSize":8}"#.utf8))
        XCTAssertEqual(old, GRUConfiguration(inputSize: 3, hiddenSize: 8))
        XCTAssertThrowsError(try GRUConfiguration(inputSize: 3, hiddenSize: 8, layers: 0).makeLayer(on: b, generator: &g))
    }
}
