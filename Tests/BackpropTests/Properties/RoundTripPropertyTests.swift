import Backprop
import Foundation
import XCTest

/// Round trips over random inputs (seeded, so a failure names its case): what is written is
/// what is read back.
final class RoundTripPropertyTests: XCTestCase {
    var dir: URL!

    override func setUpWithError() throws {
        dir = FileManager.default.temporaryDirectory.appendingPathComponent("prop-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
    }

    override func tearDownWithError() throws { try? FileManager.default.removeItem(at: dir) }

    static let alphabet = Array("abcXYZ019._-/ äßé中文🙂\"\\\n\t{}[]:,")

    func randomString(_ g: inout RandomGenerator, maxLength: Int) -> String {
        String((0..<g.nextInt(below: maxLength + 1)).map { _ in Self.alphabet[g.nextInt(below: Self.alphabet.count)] })
    }

    /// safetensors: random shapes (empty tensors and scalars included), names and metadata with
    /// quotes, backslashes, control characters and non-ASCII text; every float pattern (NaN
    /// payloads, ±∞, subnormals) comes back bit for bit.
    func testSafeTensorsWriteThenReadGivesTheSameTensorsAndMetadata() throws {
        for seed in 0..<150 {
            var g = RandomGenerator(seed: UInt64(seed))
            var tensors: [(String, Tensor)] = []
            var names = Set<String>()
            for _ in 0..<g.nextInt(below: 6) {
                let rank = g.nextInt(below: 4)
                let shape = (0..<rank).map { _ in g.nextInt(below: 5) }
                let t = Tensor(shape: shape)
                for i in 0..<t.count { t.data[i] = Float(bitPattern: UInt32(truncatingIfNeeded: RandomGenerator.hash(seed: UInt64(seed), index: UInt64(i)))) }
                var name = randomString(&g, maxLength: 12)
                if name == "__metadata__" || names.contains(name) { name += "#\(names.count)" }
                names.insert(name)
                tensors.append((name, t))
            }
            var metadata: [String: String] = [:]
            for _ in 0..<g.nextInt(below: 4) { metadata[randomString(&g, maxLength: 8)] = randomString(&g, maxLength: 20) }
            let path = dir.appendingPathComponent("t\(seed)").path
            try SafeTensors.write(tensors, metadata: metadata, to: path)
            let r = try SafeTensors.read(path)
            XCTAssertEqual(r.metadata, metadata, "case \(seed)")
            XCTAssertEqual(Set(r.tensors.keys), Set(tensors.map(\.0)), "case \(seed)")
            for (name, t) in tensors {
                let back = try XCTUnwrap(r.tensors[name], "case \(seed) \(name)")
                XCTAssertEqual(back.shape, t.shape, "case \(seed) \(name)")
                XCTAssertEqual(back.array.map(\.bitPattern), t.array.map(\.bitPattern), "case \(seed) \(name)")
            }
            XCTAssertEqual(try Data(contentsOf: URL(fileURLWithPath: path)), try SafeTensors.encode(tensors, metadata: metadata),
                           "the file is what encode gives: deterministic bytes")
        }
    }

    /// CSV: random tables written with Swift's shortest round-trip spelling, an optional header,
    /// spaces, blank lines and CRLF endings parse back to the same values.
    func testCSVWriteThenReadGivesTheSameTable() throws {
        for seed in 0..<150 {
            var g = RandomGenerator(seed: 1000 + UInt64(seed))
            let rows = 1 + g.nextInt(below: 8), cols = 1 + g.nextInt(below: 6)
            var values: [[Float]] = []
            for _ in 0..<rows {
                values.append((0..<cols).map { _ in
                    let v = (g.nextUnit() - 0.5) * pow(10, Float(g.nextInt(below: 20)) - 10)
                    return g.nextInt(below: 5) == 0 ? v.rounded() : v
                })
            }
            let header = g.nextInt(below: 2) == 0 ? nil : (0..<cols).map { "col\($0)" }
            let newline = g.nextInt(below: 2) == 0 ? "\n" : "\r\n"
            var text = header.map { $0.joined(separator: ",") + newline } ?? ""
            for row in values {
                text += row.map { (g.nextInt(below: 3) == 0 ? " " : "") + "\($0)" }.joined(separator: ",") + newline
                if g.nextInt(below: 4) == 0 { text += newline }
            }
            let t = try CSVReader.parse(text, source: "case \(seed)")
            XCTAssertEqual(t.header, header, "case \(seed)")
            XCTAssertEqual(t.rows, values, "case \(seed): \(text)")
        }
    }

    /// Models: random architectures (dense layers of random widths and activations, separate
    /// activation layers, dropout, softmax), saved and loaded, give bit-identical outputs on the
    /// same backend and the same outputs within rounding on another.
    func testModelSaveThenLoadGivesTheSameOutputs() throws {
        let simd = try Backends.make("simd")
        let activations: [Activation] = [.identity, .sigmoid, .tanh, .relu, .leakyReLU(alpha: 0.2), .elu(alpha: 0.5)]
        for seed in 0..<40 {
            var g = RandomGenerator(seed: 5000 + UInt64(seed))
            var width = 1 + g.nextInt(below: 12)
            let inputs = width
            var layers: [any Layer<RoutedBackend>] = []
            for _ in 0..<(1 + g.nextInt(below: 4)) {
                let out = 1 + g.nextInt(below: 12)
                layers.append(Dense(simd, inputs: width, outputs: out, activation: activations[g.nextInt(below: activations.count)], generator: &g))
                width = out
                switch g.nextInt(below: 4) {
                case 0: layers.append(ActivationLayer(simd, activations[g.nextInt(below: activations.count)], size: width))
                case 1: layers.append(Dropout(simd, rate: 0.3, size: width, generator: g.derived(9)))
                default: break
                }
            }
            if g.nextInt(below: 3) == 0 { layers.append(Softmax(simd, size: width)) }
            let model = Sequential(simd, layers: layers)
            let x = Tensor(shape: [7, inputs])
            g.fill(.uniform(low: -2, high: 2), x.data, count: x.count)
            let path = dir.appendingPathComponent("m\(seed)").path
            try ModelFile(model: model, loss: BuiltInLossConfiguration(.mse), classes: nil, scaler: nil).save(to: path)
            let file = try ModelFile.load(path)
            let same = try file.model(on: simd), reference = try file.model(on: NaiveBackend())
            let y = model.predict(x).array
            XCTAssertEqual(same.predict(x).array.map(\.bitPattern), y.map(\.bitPattern), "case \(seed)")
            for (a, b) in zip(reference.predict(x).array, y) { XCTAssertEqual(a, b, accuracy: 1e-4 * max(1, abs(b)), "case \(seed)") }
            XCTAssertEqual((file.architecture as? SequentialConfiguration)?.layers.map(\.kind), layers.map(\.configuration.kind), "case \(seed)")
        }
    }
}
