import Backprop
import Foundation
import XCTest

final class ModelFileTests: XCTestCase {
    func temporaryPath() -> String {
        FileManager.default.temporaryDirectory.appendingPathComponent("m-\(UUID().uuidString).safetensors").path
    }

    func testSaveAndLoadGiveTheSameOutputs() throws {
        var g = RandomGenerator(seed: 1)
        let b = try Backends.make("simd")
        let model = Sequential.mlp(b, sizes: [4, 8, 3], activation: .tanh, dropout: 0.2, generator: &g)
        let x = randomTensor([5, 4], &g)
        let scaler = FeatureScaler.fit(.standard, to: x, backend: b)
        let path = temporaryPath()
        defer { try? FileManager.default.removeItem(atPath: path) }
        try ModelFile(model: model, loss: BuiltInLossConfiguration(.crossEntropy), classes: 3, scaler: scaler).save(to: path)
        let file = try ModelFile.load(path)
        let layers = try XCTUnwrap(file.architecture as? SequentialConfiguration).layers
        XCTAssertEqual(layers.map(\.kind), ["dense", "dropout", "dense"])
        XCTAssertEqual(layers[0] as? DenseConfiguration, DenseConfiguration(inputs: 4, outputs: 8, activation: .tanh))
        XCTAssertEqual(file.classes, 3)
        XCTAssertEqual(file.lossKind, .crossEntropy)
        XCTAssertEqual(file.scaler?.shift.array, scaler.shift.array)
        let loaded = try file.model(on: NaiveBackend())
        let y1 = model.predict(x).array, y2 = loaded.predict(x).array
        for (p, q) in zip(y1, y2) { XCTAssertEqual(p, q, accuracy: 1e-5) }
        // PyTorch's names: Linear (0), Tanh (1), Dropout (2), Linear (3); weights [out, in].
        XCTAssertEqual(file.order, ["0.weight", "0.bias", "3.weight", "3.bias"])
        XCTAssertEqual(file.tensors["0.weight"]?.shape, [8, 4])
        XCTAssertEqual(file.tensors["0.weight"]?[1, 2], model.parameters.parameter(named: "layers.0.weight")?.value[2, 1])
        XCTAssertTrue(try XCTUnwrap(file.torchDescription).contains("(2): Dropout(p=0.2)"))
    }

    func testTheMetadataIsWrittenWithSortedKeysSoTheSameModelGivesTheSameFile() throws {
        // JSONEncoder writes a struct's keys in an order that changes from process to process
        // unless told to sort them: the same trained language model then saved different bytes.
        var g = RandomGenerator(seed: 1)
        let b = try Backends.make("naive")
        let model = Sequential.mlp(b, sizes: [3, 2], activation: .tanh, generator: &g)
        var file = ModelFile(model: model, loss: BuiltInLossConfiguration(.crossEntropy), classes: 2, scaler: nil)
        file.vocabulary = try Vocabulary(tokens: .bytes, symbols: [10, 97])
        let path = temporaryPath()
        defer { try? FileManager.default.removeItem(atPath: path) }
        try file.save(to: path)
        let bytes = try Data(contentsOf: URL(fileURLWithPath: path))
        let n = Int(bytes.prefix(8).withUnsafeBytes { $0.loadUnaligned(as: UInt64.self) })
        let header = try XCTUnwrap(JSONSerialization.jsonObject(with: bytes.subdata(in: 8..<(8 + n))) as? [String: Any])
        let metadata = try XCTUnwrap(header["__metadata__"] as? [String: String])
        XCTAssertEqual(metadata["vocabulary"], #"{"symbols":[10,97],"tokens":"bytes"}"#)
    }

    func write(_ tensors: [(String, Tensor)], architecture: String, loss: String = #"{"kind":"cross_entropy","config":{"kind":"cross_entropy","reduction":"mean"}}"#) throws -> String {
        let path = temporaryPath()
        addTeardownBlock { try? FileManager.default.removeItem(atPath: path) }
        try SafeTensors.write(tensors, metadata: ["format": "backprop/2", "architecture": architecture, "loss": loss], to: path)
        return path
    }

    func dense(_ i: Int, _ o: Int, _ a: String = "relu") -> String {
        #"{"kind":"dense","config":{"inputs":\#(i),"outputs":\#(o),"activation":"\#(a)"}}"#
    }

    func sequential(_ layers: String...) -> String {
        #"{"kind":"sequential","config":{"layers":[\#(layers.joined(separator: ","))]}}"#
    }

    func testShapesMustMatchTheArchitecture() throws {
        let path = try write([("0.weight", Tensor(shape: [4, 3])), ("0.bias", Tensor(shape: [3]))], architecture: sequential(dense(4, 3)))
        XCTAssertThrowsError(try ModelFile.load(path)) { e in
            XCTAssertTrue("\(e)".contains("tensor 0.weight has shape [4, 3]; the architecture says [3, 4]"), "\(e)")
        }
        let missing = try write([("0.weight", Tensor(shape: [3, 4]))], architecture: sequential(dense(4, 3)))
        XCTAssertThrowsError(try ModelFile.load(missing)) { e in XCTAssertTrue("\(e)".contains("missing tensor 0.bias"), "\(e)") }
        let other = temporaryPath()
        defer { try? FileManager.default.removeItem(atPath: other) }
        try SafeTensors.write([("x", Tensor(shape: [1]))], metadata: [:], to: other)
        XCTAssertThrowsError(try ModelFile.load(other)) { e in XCTAssertTrue("\(e)".contains("not a Backprop model"), "\(e)") }
    }

    func testLayersThatDoNotChainAreAnErrorNotATrap() throws {
        let path = try write([("0.weight", Tensor(shape: [3, 4])), ("0.bias", Tensor(shape: [3])),
                              ("2.weight", Tensor(shape: [2, 5])), ("2.bias", Tensor(shape: [2]))],
                             architecture: sequential(dense(4, 3), dense(5, 2, "identity")))
        XCTAssertThrowsError(try ModelFile.load(path)) { e in
            XCTAssertTrue("\(e)".contains("layer 0 outputs [3] but layer 1 takes [5]"), "\(e)")
        }
        let zero = try write([], architecture: sequential(dense(0, 3)))
        XCTAssertThrowsError(try ModelFile.load(zero)) { e in XCTAssertTrue("\(e)".contains("sizes must be positive"), "\(e)") }
        let unknown = try write([], architecture: sequential(#"{"kind":"conv9d","config":{}}"#))
        XCTAssertThrowsError(try ModelFile.load(unknown)) { e in
            XCTAssertTrue("\(e)".contains("unknown kind 'conv9d'") && "\(e)".contains("LayerKinds.register"), "\(e)")
        }
        let badLoss = try write([("0.weight", Tensor(shape: [3, 4])), ("0.bias", Tensor(shape: [3]))], architecture: sequential(dense(4, 3)),
                                loss: #"{"kind":"hinge","config":{}}"#)
        XCTAssertThrowsError(try ModelFile.load(badLoss)) { e in XCTAssertTrue("\(e)".contains("loss: unknown kind 'hinge'"), "\(e)") }
    }

    /// Sizes in a file are untrusted: an architecture declaring more parameters than the file holds
    /// is refused before anything of that size is allocated (it was a 160 GB allocation and a trap).
    func testAnArchitectureLargerThanTheFileIsRefusedBeforeAllocating() throws {
        let huge = try write([], architecture: sequential(dense(200_000, 200_000)))
        XCTAssertThrowsError(try ModelFile.load(huge)) { e in
            XCTAssertTrue("\(e)".contains("the architecture declares 40000200000 parameters but the file holds 0 values"), "\(e)")
        }
        let lstm = try write([("0.weight", Tensor(shape: [3, 4]))], architecture: sequential(
            #"{"kind":"lstm","config":{"inputSize":1000000,"hiddenSize":60000,"returnSequences":false,"unitForgetBias":false}}"#))
        XCTAssertThrowsError(try ModelFile.load(lstm)) { e in XCTAssertTrue("\(e)".contains("declares 254400480000 parameters but the file holds 12"), "\(e)") }
        let overflow = try write([], architecture: sequential(dense(1 << 40, 1 << 40)))
        XCTAssertThrowsError(try ModelFile.load(overflow)) { e in XCTAssertTrue("\(e)".contains("declares more than 2^63"), "\(e)") }
    }

    func testNonFiniteWeightsAreRejectedWithTheTensorsName() throws {
        let w = Tensor(shape: [3, 4])
        w[5] = .nan
        let path = try write([("0.weight", w), ("0.bias", Tensor(shape: [3]))], architecture: sequential(dense(4, 3)))
        XCTAssertThrowsError(try ModelFile.load(path)) { e in
            XCTAssertTrue("\(e)".contains("tensor 0.weight holds nan at element 5"), "\(e)")
        }
    }

    /// Files of the first format (`backprop/1`, weights [in, out] under `layers.I.weight`) load as
    /// the same model.
    func testFirstFormatFilesStillLoad() throws {
        let w0 = Tensor(shape: [2, 3], values: [1, 2, 3, 4, 5, 6]), b0 = Tensor(shape: [3], values: [0.5, -0.5, 0])
        let w1 = Tensor(shape: [3, 1], values: [1, -1, 2]), b1 = Tensor(shape: [1], values: [0.25])
        let arch = #"[{"kind":"dense","inputs":2,"outputs":3,"activation":"relu"},{"kind":"dense","inputs":3,"outputs":1,"activation":"identity"}]"#
        let path = temporaryPath()
        defer { try? FileManager.default.removeItem(atPath: path) }
        try SafeTensors.write([("layers.0.weight", w0), ("layers.0.bias", b0), ("layers.1.weight", w1), ("layers.1.bias", b1)],
                              metadata: ["format": "backprop/1", "architecture": arch, "loss": "mse"], to: path)
        let file = try ModelFile.load(path)
        XCTAssertEqual(file.tensors["0.weight"]?.array, [1, 4, 2, 5, 3, 6])      // transposed to [out, in]
        let y = try file.model(on: NaiveBackend()).predict(Tensor(shape: [1, 2], values: [1, -1]))
        // relu([1 − 4 + 0.5, 2 − 5 − 0.5, 3 − 6]) = [0, 0, 0] → 0.25
        XCTAssertEqual(y.array, [0.25])
        let y2 = try file.model(on: NaiveBackend()).predict(Tensor(shape: [1, 2], values: [1, 1]))
        // relu([5.5, 6.5, 9]) · [1, −1, 2] + 0.25 = 17.25
        XCTAssertEqual(y2.array, [17.25])
    }
}
