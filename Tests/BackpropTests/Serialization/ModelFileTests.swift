import Backprop
import Foundation
import XCTest

final class ModelFileTests: XCTestCase {
    func testSaveAndLoadGiveTheSameOutputs() throws {
        var g = RandomGenerator(seed: 1)
        let b = try Backends.make("simd")
        let model = Sequential.mlp(b, sizes: [4, 8, 3], activation: .tanh, dropout: 0.2, generator: &g)
        let x = randomTensor([5, 4], &g)
        let scaler = FeatureScaler.fit(.standard, to: x, backend: b)
        let path = FileManager.default.temporaryDirectory.appendingPathComponent("m-\(UUID().uuidString).safetensors").path
        defer { try? FileManager.default.removeItem(atPath: path) }
        try ModelFile(model: model, loss: .crossEntropy, classes: 3, scaler: scaler).save(to: path)
        let file = try ModelFile.load(path)
        XCTAssertEqual(file.architecture, model.specs)
        XCTAssertEqual(file.architecture.map(\.kind), ["dense", "dropout", "dense"])
        XCTAssertEqual(file.classes, 3)
        XCTAssertEqual(file.scaler?.shift.array, scaler.shift.array)
        let loaded = file.model(on: NaiveBackend())
        let y1 = model.predict(x).array, y2 = loaded.predict(x).array
        for (p, q) in zip(y1, y2) { XCTAssertEqual(p, q, accuracy: 1e-5) }
        XCTAssertEqual(Set(file.tensors.keys), ["layers.0.weight", "layers.0.bias", "layers.2.weight", "layers.2.bias", "scaler.shift", "scaler.scale"])
    }

    func testShapesMustMatchTheArchitecture() throws {
        let path = FileManager.default.temporaryDirectory.appendingPathComponent("m-\(UUID().uuidString).safetensors").path
        defer { try? FileManager.default.removeItem(atPath: path) }
        let arch = #"[{"kind":"dense","inputs":4,"outputs":3,"activation":"relu"}]"#
        try SafeTensors.write([("layers.0.weight", Tensor(shape: [3, 4])), ("layers.0.bias", Tensor(shape: [3]))],
                              metadata: ["format": "backprop/1", "architecture": arch, "loss": "cross_entropy"], to: path)
        XCTAssertThrowsError(try ModelFile.load(path)) { e in
            XCTAssertTrue("\(e)".contains("tensor layers.0.weight has shape [3, 4]; the architecture says [4, 3]"), "\(e)")
        }
        try SafeTensors.write([("x", Tensor(shape: [1]))], metadata: [:], to: path)
        XCTAssertThrowsError(try ModelFile.load(path)) { e in XCTAssertTrue("\(e)".contains("not a Backprop model"), "\(e)") }
    }
}
