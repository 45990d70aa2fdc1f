import Backprop
import Foundation
import XCTest

/// A layer defined outside Backprop, as a user writes one: y = x ⊙ s, a learnt scale per feature.
/// Backward: ds += Σ_rows dy ⊙ x, dx = dy ⊙ s.
final class FeatureScale<B: Backend>: Layer {
    let backend: B
    let size: Int
    let scale: Parameter
    private var input: TensorView?
    private let output = Workspace(), gradInput = Workspace(), product = Workspace(), sums = Workspace()

    init(_ backend: B, size: Int, initial: Float = 1) {
        self.backend = backend
        self.size = size
        scale = Parameter(name: "scale", shape: [size], isWeight: true)
        backend.fill(initial, scale.value.data, count: size)
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

struct FeatureScaleConfiguration: LayerConfiguration {
    var kind: String { "test.feature_scale" }
    var size: Int
    func makeLayer<B: Backend>(on backend: B, generator: inout RandomGenerator) throws -> any Layer<B> {
        guard size > 0 else { throw ConfigurationError("size must be positive") }
        return FeatureScale(backend, size: size)
    }
}

/// A loss defined outside Backprop: the mean absolute error, L = (1/N) Σ |p − t|, ∂L/∂p = sign(p − t)/N.
final class MeanAbsoluteError<B: Backend>: Loss {
    let backend: B
    var name: String { "test.mae" }
    var outputKind: OutputKind { .values }
    var reduction: LossReduction { .mean }
    var configuration: any LossConfiguration { MeanAbsoluteErrorConfiguration() }
    private let d = Workspace()
    init(_ backend: B) { self.backend = backend }

    func compute(_ p: TensorView, _ target: LossTarget, gradient: TensorView?) -> Float {
        guard case .values(let t) = target else { preconditionFailure("MAE takes dense targets") }
        let diff = d.view(p.shape)
        backend.binary(.sub, p.data, t.data, .none, diff.data, rows: p.rows, cols: p.cols)
        if let g = gradient {
            backend.unary(.sign, diff.data, g.data, count: p.count)
            backend.scale(alpha: 1 / Float(p.count), g.data, count: p.count)
        }
        backend.unary(.abs, diff.data, diff.data, count: p.count)
        var s: Float = 0
        backend.reduce(.sum, .all, diff.data, rows: 1, cols: p.count, &s)
        return s / Float(p.count)
    }
}

struct MeanAbsoluteErrorConfiguration: LossConfiguration {
    var kind: String { "test.mae" }
    func makeLoss<B: Backend>(on backend: B) throws -> any Loss<B> { MeanAbsoluteError(backend) }
}

final class CustomLayerTests: XCTestCase {
    override class func setUp() {
        LayerKinds.register(FeatureScaleConfiguration.self, as: "test.feature_scale")
        LossKinds.register(MeanAbsoluteErrorConfiguration.self, as: "test.mae")
    }

    func testTheCustomLayersGradientMatchesFiniteDifferences() throws {
        try forEachBackend { backend in
            var g = RandomGenerator(seed: 4)
            let layer = FeatureScale(backend, size: 3)
            g.fill(.uniform(low: 0.5, high: 1.5), layer.scale.value.data, count: 3)
            let x = randomTensor([4, 3], &g), t = randomTensor([4, 3], &g)
            let loss = MeanSquaredError(backend), grad = Tensor(shape: [4, 3])
            _ = loss.compute(layer.forward(TensorView(x), training: true), TensorView(t), gradient: TensorView(grad))
            let dx = layer.backward(TensorView(grad), needsInputGradient: true).array
            let f = { loss.compute(layer.forward(TensorView(x), training: true), TensorView(t), gradient: nil) }
            assertGradient(layer.scale.grad.array, numericGradient(layer.scale.value, h: 1e-2, f), "\(backend.name) ds")
            assertGradient(dx, numericGradient(x, h: 1e-2, f), "\(backend.name) dx")
        }
    }

    /// A model holding the custom layer trains, saves, and loads with the same outputs; the custom
    /// loss is recorded and comes back as itself.
    func testAModelWithACustomLayerAndLossRoundTripsThroughAModelFile() throws {
        let b = try Backends.make("simd")
        var g = RandomGenerator(seed: 2)
        let layers: [any Layer<RoutedBackend>] = [
            Dense(b, inputs: 1, outputs: 8, activation: .tanh, generator: &g),
            FeatureScale(b, size: 8, initial: 0.5),
            Dense(b, inputs: 8, outputs: 1, generator: &g),
        ]
        let model = Sequential(b, layers: layers)
        let data = SyntheticDataset.uat.make(count: 200, seed: 1)
        let trainer = Trainer(model: model, loss: MeanAbsoluteError(b), optimizer: Adam(b, learningRate: 0.01))
        let h = try trainer.fit(data, options: FitOptions(epochs: 5, batchSize: 20, validationSplit: 0))
        XCTAssertLessThan(h.epochs.last!.loss, h.epochs.first!.loss)
        XCTAssertNotEqual(model.parameters.parameter(named: "layers.1.scale")?.value[0], 0.5, "the custom layer's parameter trained")

        let path = FileManager.default.temporaryDirectory.appendingPathComponent("custom-\(UUID().uuidString).safetensors").path
        defer { try? FileManager.default.removeItem(atPath: path) }
        try ModelFile(model: model, loss: trainer.loss.configuration, classes: nil, scaler: nil).save(to: path)
        let file = try ModelFile.load(path)
        XCTAssertEqual((file.architecture as? SequentialConfiguration)?.layers.map(\.kind), ["dense", "test.feature_scale", "dense"])
        XCTAssertTrue(file.loss is MeanAbsoluteErrorConfiguration)
        XCTAssertEqual(file.order, ["0.weight", "0.bias", "2.scale", "3.weight", "3.bias"])
        let loaded = try file.model(on: NaiveBackend())
        let x = data.features
        for (p, q) in zip(model.predict(x).array, loaded.predict(x).array) { XCTAssertEqual(p, q, accuracy: 1e-5) }
        XCTAssertEqual(try file.makeLoss(on: NaiveBackend()).name, "test.mae")
    }

    func testAnUnregisteredKindIsAClearError() throws {
        let path = FileManager.default.temporaryDirectory.appendingPathComponent("unreg-\(UUID().uuidString).safetensors").path
        defer { try? FileManager.default.removeItem(atPath: path) }
        let arch = #"{"kind":"sequential","config":{"layers":[{"kind":"test.never_registered","config":{"size":3}}]}}"#
        try SafeTensors.write([], metadata: ["format": "backprop/2", "architecture": arch,
                                             "loss": #"{"kind":"mse","config":{"kind":"mse","reduction":"mean"}}"#], to: path)
        XCTAssertThrowsError(try ModelFile.load(path)) { e in
            XCTAssertTrue("\(e)".contains("unknown kind 'test.never_registered'"), "\(e)")
        }
    }
}
