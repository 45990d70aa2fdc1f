import Backprop
import Foundation
import XCTest

/// y = s ⊙ x, a learnt scale per feature: the "at most about 10 lines".
struct Scale: ExpressionLayerDefinition {
    var kind: String { "test.scale" }
    var inputSize: Int
    var parameterSpecs: [ParameterSpec] { [ParameterSpec("scale", [inputSize], initializer: .constant(1))] }
    func forward(_ x: Variable, _ p: ExpressionParameters) -> Variable { x * p["scale"] }
}

/// A residual MLP block: y = x + ReLU(x·W₁ + b₁)·W₂ + b₂.
struct ResidualBlock: ExpressionLayerDefinition {
    var kind: String { "test.residual" }
    var inputSize: Int
    var hidden: Int
    var parameterSpecs: [ParameterSpec] {
        [ParameterSpec("w1", [inputSize, hidden], initializer: .heNormal, isWeight: true), ParameterSpec("b1", [hidden]),
         ParameterSpec("w2", [hidden, inputSize], initializer: .xavierUniform, isWeight: true), ParameterSpec("b2", [inputSize])]
    }
    func forward(_ x: Variable, _ p: ExpressionParameters) -> Variable {
        x + matmul(relu(matmul(x, p["w1"]) + p["b1"]), p["w2"]) + p["b2"]
    }
}

/// Huber loss, mean(½q² + δ(|d| − q)) with d = p − t and q = min(|d|, δ): five lines.
struct Huber: ExpressionLossDefinition {
    var kind: String { "test.huber" }
    var delta: Float = 1
    func loss(_ p: Variable, _ t: Variable) -> Variable {
        let a = abs(p - t), q = minimum(a, delta)
        return mean(0.5 * square(q) + delta * (a - q))
    }
}

/// Softmax cross-entropy against one-hot rows, from ops, with label smoothing ε:
/// −mean_i Σ_j ((1 − ε)·t_ij + ε/K) · log softmax(z_i)_j.
struct SmoothedCrossEntropy: ExpressionLossDefinition {
    var kind: String { "test.smoothed_ce" }
    var epsilon: Float = 0.05
    var outputKind: OutputKind { .logits }
    func loss(_ z: Variable, _ t: Variable) -> Variable {
        let k = Float(z.cols)
        return -mean(sum(((1 - epsilon) * t + epsilon / k) * logSoftmax(z), .rows))
    }
}

final class ExpressionLayerTests: XCTestCase {
    override class func setUp() {
        LayerKinds.register(Scale.self, as: "test.scale")
        LayerKinds.register(ResidualBlock.self, as: "test.residual")
        LossKinds.register(Huber.self, as: "test.huber")
        LossKinds.register(SmoothedCrossEntropy.self, as: "test.smoothed_ce")
    }

    /// The layers' parameter and input gradients, through the `Layer` contract (forward, then
    /// backward adding into the arena), against central differences on every backend.
    func testExpressionLayersGradientsMatchFiniteDifferences() throws {
        try forEachBackend { backend in
            for definition in [Scale(inputSize: 3) as any ExpressionLayerDefinition, ResidualBlock(inputSize: 3, hidden: 4)] {
                var g = RandomGenerator(seed: 3)
                let layer = try definition.makeLayer(on: backend, generator: &g)
                for p in layer.parameters { g.fill(.uniform(low: -1, high: 1), p.value.data, count: p.count) }
                XCTAssertEqual(layer.outputShape, [3])
                let x = randomTensor([5, 3], &g), t = randomTensor([5, 3], &g)
                let loss = MeanSquaredError(backend), dy = Tensor(shape: [5, 3])
                for p in layer.parameters { p.grad.data.update(repeating: 0, count: p.count) }
                _ = loss.compute(layer.forward(TensorView(x), training: true), TensorView(t), gradient: TensorView(dy))
                let dx = layer.backward(TensorView(dy), needsInputGradient: true).array
                let f = { loss.compute(layer.forward(TensorView(x), training: true), TensorView(t), gradient: nil) }
                for p in layer.parameters {
                    assertGradient(p.grad.array, numericGradient(p.value, h: 1e-2, f), "\(backend.name) \(definition.kind) d\(p.name)")
                }
                assertGradient(dx, numericGradient(x, h: 1e-2, f), "\(backend.name) \(definition.kind) dx")
            }
        }
    }

    /// Backward adds into the gradients (twice = 2×), and a first layer that wants no input
    /// gradient still gets its parameters' gradients.
    func testExpressionLayersAccumulateAndSkipTheInputGradient() throws {
        let backend = try Backends.make("simd")
        var g = RandomGenerator(seed: 1)
        let layer = try ResidualBlock(inputSize: 4, hidden: 3).makeLayer(on: backend, generator: &g)
        let x = randomTensor([6, 4], &g), dy = randomTensor([6, 4], &g)
        _ = layer.forward(TensorView(x), training: true)
        _ = layer.backward(TensorView(dy), needsInputGradient: false)
        let once = layer.parameters.flatMap { $0.grad.array }
        XCTAssertTrue(once.contains { $0 != 0 })
        _ = layer.forward(TensorView(x), training: true)
        _ = layer.backward(TensorView(dy), needsInputGradient: false)
        let twice = layer.parameters.flatMap { $0.grad.array }
        for (a, b) in zip(once, twice) { XCTAssertEqual(2 * a, b, accuracy: 1e-5 * max(1, abs(b))) }
        // Asked for the input gradient again after skipping it: the true dx = dy·(I + W₁ mask W₂)ᵀ path.
        _ = layer.forward(TensorView(x), training: true)
        let dx = layer.backward(TensorView(dy), needsInputGradient: true).array
        XCTAssertNotEqual(dx, dy.array)
    }

    /// Huber by hand: d = p − t = (0.5, −2, 3), δ = 1: terms 0.125, 1.5, 2.5, mean 1.375;
    /// ∂L/∂p = (0.5, −1, 1)/3.
    func testHuberLossByHand() throws {
        try forEachBackend { backend in
            let loss = try Huber().makeLoss(on: backend)
            let p = Tensor(shape: [1, 3]), t = Tensor(shape: [1, 3]), grad = Tensor(shape: [1, 3])
            let pairs: [(Float, Float)] = [(1.5, 1), (-1, 1), (3, 0)]
            for (i, (a, b)) in pairs.enumerated() { p[i] = a; t[i] = b }
            XCTAssertEqual(loss.compute(TensorView(p), TensorView(t), gradient: TensorView(grad)), 1.375, accuracy: 1e-6, backend.name)
            for (a, b) in zip(grad.array, [Float(0.5) / 3, -1 / 3, 1 / 3] as [Float]) { XCTAssertEqual(a, b, accuracy: 1e-6, backend.name) }
            XCTAssertEqual(loss.name, "test.huber")
        }
    }

    /// The acceptance: a custom layer and a custom loss written only as expressions train
    /// on the spiral to ≥ 0.97 accuracy (measured on held-out points), save, and load with the
    /// same predictions. The model: Dense 2→32 tanh, a residual block, a learnt scale, Dense 32→2;
    /// the loss: Huber against one-hot rows; Adam.
    func testAResidualModelWithAnExpressionLossTrainsOnTheSpiral() throws {
        let b = try Backends.make("simd")
        var g = RandomGenerator(seed: 1)
        var layers: [any Layer<RoutedBackend>] = [Dense(b, inputs: 2, outputs: 32, activation: .tanh, generator: &g)]
        layers.append(try ResidualBlock(inputSize: 32, hidden: 32).makeLayer(on: b, generator: &g))
        layers.append(try Scale(inputSize: 32).makeLayer(on: b, generator: &g))
        layers.append(Dense(b, inputs: 32, outputs: 2, generator: &g))
        let model = Sequential(b, layers: layers)
        let train = SyntheticDataset.spiral.make(count: 1000, seed: 0), test = SyntheticDataset.spiral.make(count: 500, seed: 1)
        let trainer = Trainer(model: model, loss: try Huber().makeLoss(on: b), optimizer: Adam(b, learningRate: 0.01))
        let history = try trainer.fit(train, options: FitOptions(epochs: 60, batchSize: 32, validationSplit: 0))
        let (_, accuracy) = try trainer.evaluate(test)
        print("spiral, residual expression model + Huber: test accuracy \(accuracy ?? -1), loss \(history.epochs.first!.loss) → \(history.epochs.last!.loss)")
        XCTAssertGreaterThanOrEqual(accuracy ?? 0, 0.97)

        let path = FileManager.default.temporaryDirectory.appendingPathComponent("expr-\(UUID().uuidString).safetensors").path
        defer { try? FileManager.default.removeItem(atPath: path) }
        try ModelFile(model: model, loss: trainer.loss.configuration, classes: 2, scaler: nil).save(to: path)
        let file = try ModelFile.load(path)
        XCTAssertEqual((file.architecture as? SequentialConfiguration)?.layers.map(\.kind), ["dense", "test.residual", "test.scale", "dense"])
        XCTAssertEqual((file.loss as? Huber)?.delta, 1)
        let loaded = try file.model(on: NaiveBackend())
        for (p, q) in zip(model.predict(test.features).array, loaded.predict(test.features).array) { XCTAssertEqual(p, q, accuracy: 1e-4) }
    }

    /// A second loss from expressions (label-smoothed cross-entropy) gives the built-in
    /// cross-entropy's value and gradient at ε = 0, and trains a plain MLP on the spiral.
    func testAnExpressionCrossEntropyMatchesTheBuiltIn() throws {
        try forEachBackend { backend in
            var g = RandomGenerator(seed: 2)
            let z = randomTensor([6, 4], &g)
            let labels: [Int32] = [0, 3, 1, 2, 2, 0]
            let mine = try SmoothedCrossEntropy(epsilon: 0).makeLoss(on: backend), builtIn = SoftmaxCrossEntropy(backend)
            let g1 = Tensor(shape: [6, 4]), g2 = Tensor(shape: [6, 4])
            let l1 = mine.compute(TensorView(z), .classes(labels[...]), gradient: TensorView(g1))
            let l2 = builtIn.compute(TensorView(z), .classes(labels[...]), gradient: TensorView(g2))
            XCTAssertEqual(l1, l2, accuracy: 1e-5, backend.name)
            XCTAssertLessThanOrEqual(relativeError(g1.array, g2.array), 1e-5, backend.name)
            XCTAssertEqual(mine.outputKind, .logits)
        }
    }
}
