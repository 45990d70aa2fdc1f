import Backprop
import Foundation

// Layers and losses of your own written only as expressions: the tape derives their backward
// passes. They plug into Sequential, the Trainer and model files like the built-ins.

/// y = s ⊙ x, a learnt scale per feature (initially 1).
struct Scale: ExpressionLayerDefinition {
    var kind: String { "example.scale" }
    var inputSize: Int
    var parameterSpecs: [ParameterSpec] { [ParameterSpec("scale", [inputSize], initializer: .constant(1))] }
    func forward(_ x: Variable, _ p: ExpressionParameters) -> Variable { x * p["scale"] }
}

/// A residual MLP block: y = x + ReLU(x·W₁ + b₁)·W₂ + b₂.
struct Residual: ExpressionLayerDefinition {
    var kind: String { "example.residual" }
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

/// Huber loss, mean(½q² + δ(|d| − q)), d = p − t, q = min(|d|, δ).
struct Huber: ExpressionLossDefinition {
    var kind: String { "example.huber" }
    var delta: Float = 1
    func loss(_ p: Variable, _ t: Variable) -> Variable {
        let a = abs(p - t), q = minimum(a, delta)
        return mean(0.5 * square(q) + delta * (a - q))
    }
}

func expressionLayer() throws {
    // Registered kinds load back from model files.
    LayerKinds.register(Scale.self, as: "example.scale")
    LayerKinds.register(Residual.self, as: "example.residual")
    LossKinds.register(Huber.self, as: "example.huber")

    let backend = try Backends.make(CommandLine.arguments.dropFirst().first ?? "auto")
    var g = RandomGenerator(seed: 1)
    let model = Sequential(backend, layers: [
        Dense(backend, inputs: 2, outputs: 32, activation: .tanh, generator: &g),
        try Residual(inputSize: 32, hidden: 32).makeLayer(on: backend, generator: &g),
        try Scale(inputSize: 32).makeLayer(on: backend, generator: &g),
        Dense(backend, inputs: 32, outputs: 2, generator: &g),
    ])
    let train = SyntheticDataset.spiral.make(count: 1000, seed: 0), test = SyntheticDataset.spiral.make(count: 500, seed: 1)
    let trainer = Trainer(model: model, loss: try Huber().makeLoss(on: backend), optimizer: Adam(backend, learningRate: 0.01))
    let history = try trainer.fit(train, options: FitOptions(epochs: 60, batchSize: 32, validationSplit: 0))
    let accuracy = try trainer.evaluate(test).accuracy ?? 0
    print(String(format: "spiral: Huber loss %.4f after %d epochs, test accuracy %.3f", history.epochs.last!.loss, history.epochs.count, accuracy))

    let path = FileManager.default.temporaryDirectory.appendingPathComponent("residual-spiral.safetensors").path
    try ModelFile(model: model, loss: trainer.loss.configuration, classes: 2, scaler: nil).save(to: path)
    let file = try ModelFile.load(path)
    let loaded = try file.model(on: backend)
    let again = try Evaluator(model: loaded, loss: try file.makeLoss(on: backend)).evaluate(test).accuracy ?? 0
    print(String(format: "loaded from %@: test accuracy %.3f", path, again))
    guard accuracy >= 0.97, again == accuracy else { throw Failed(accuracy: accuracy, loaded: again) }
}

struct Failed: Error, CustomStringConvertible {
    var accuracy: Float, loaded: Float
    var description: String { "test accuracy \(accuracy) (loaded: \(loaded)); ≥ 0.97 and equal expected" }
}

do { try expressionLayer() } catch { FileHandle.standardError.write(Data("ExpressionLayer: \(error)\n".utf8)); exit(1) }
