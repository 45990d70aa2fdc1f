import Backprop
import Foundation

/// A layer of your own: y = x ⊙ s, one learnt scale per feature.
/// Backward adds into the gradient (the `Layer` contract): ∂L/∂s += Σ_rows ∂L/∂y ⊙ x, and
/// returns ∂L/∂x = ∂L/∂y ⊙ s.
final class FeatureScale<B: Backend>: Layer {
    let backend: B
    let size: Int
    let scale: Parameter
    private var input: TensorView?
    private let output = Workspace(), gradInput = Workspace(), product = Workspace(), sums = Workspace()

    init(_ backend: B, size: Int) {
        self.backend = backend
        self.size = size
        scale = Parameter(name: "scale", shape: [size], isWeight: true)
        backend.fill(1, scale.value.data, count: size)
    }

    var inputShape: Shape { [size] }
    var outputShape: Shape { [size] }
    var parameters: [Parameter] { [scale] }
    var configuration: any LayerConfiguration { FeatureScaleConfiguration(size: size) }

    func forward(_ x: TensorView, training: Bool) -> TensorView {
        let y = output.view(x.shape)
        backend.binary(.mul, x.data, scale.value.data, .row, y.data, rows: x.rows, cols: size)
        input = x
        return y
    }

    func backward(_ dy: TensorView, needsInputGradient: Bool) -> TensorView {
        let x = input!
        let p = product.view(x.shape), s = sums.matrix(rows: 1, cols: size)
        backend.binary(.mul, dy.data, x.data, .none, p.data, rows: x.rows, cols: size)
        backend.reduce(.sum, .columns, p.data, rows: x.rows, cols: size, s.data)
        backend.axpy(alpha: 1, s.data, scale.grad.data, count: size)
        let dx = gradInput.view(x.shape)
        backend.binary(.mul, dy.data, scale.value.data, .row, dx.data, rows: x.rows, cols: size)
        return dx
    }
}

/// What a model file records for the layer, and how to build it again.
struct FeatureScaleConfiguration: LayerConfiguration {
    var kind: String { "example.feature_scale" }
    var size: Int
    func makeLayer<B: Backend>(on backend: B, generator: inout RandomGenerator) throws -> any Layer<B> {
        guard size > 0 else { throw ConfigurationError("feature_scale: size must be positive, got \(size)") }
        return FeatureScale(backend, size: size)
    }
}

enum ExampleError: Error { case mismatch }

func example() throws {
    LayerKinds.register(FeatureScaleConfiguration.self, as: "example.feature_scale")

    let backend = try Backends.make("simd")
    var g = RandomGenerator(seed: 7)
    let model = Sequential(backend, layers: [
        Dense(backend, inputs: 2, outputs: 16, activation: .tanh, generator: &g),
        FeatureScale(backend, size: 16),
        Dense(backend, inputs: 16, outputs: 2, generator: &g),
    ])
    let trainer = Trainer(model: model, loss: SoftmaxCrossEntropy(backend), optimizer: Adam(backend, learningRate: 0.02))
    try trainer.fit(SyntheticDataset.circles.make(count: 800, seed: 1), options: FitOptions(epochs: 30, batchSize: 32))
    let test = SyntheticDataset.circles.make(count: 200, seed: 2)
    print("test accuracy \(try trainer.evaluate(test).accuracy!)")

    let path = FileManager.default.temporaryDirectory.appendingPathComponent("custom.safetensors").path
    try ModelFile(model: model, loss: trainer.loss.configuration, classes: 2, scaler: nil).save(to: path)
    let loaded = try ModelFile.load(path).model(on: backend)
    let same = zip(model.predict(test.features).array, loaded.predict(test.features).array).allSatisfy { $0 == $1 }
    print("saved and loaded a model holding FeatureScale: outputs \(same ? "identical" : "DIFFER")")
    if !same { throw ExampleError.mismatch }
}

do { try example() } catch { FileHandle.standardError.write(Data("CustomLayer: \(error)\n".utf8)); exit(1) }
