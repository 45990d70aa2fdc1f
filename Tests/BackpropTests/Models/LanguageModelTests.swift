import Backprop
import Foundation
import XCTest

/// The language model: it learns a periodic text to near zero bits per character through the
/// truncated-BPTT trainer (every cell, every backend agreeing), samples the same text for the
/// same seed, survives a save and load, and refuses a model file that is not a language model.
final class LanguageModelTests: XCTestCase {
    func corpus() throws -> TextCorpus {
        try TextCorpus(bytes: Array(String(repeating: "the cat sat. ", count: 200).utf8), tokens: .bytes, source: "cats")
    }

    func testEachCellLearnsAPeriodicTextAndBackendsAgree() throws {
        let text = try corpus()
        for cell in SequenceCell.allCases {
            var finals: [String: Double] = [:]
            try forEachBackend { b in
                var g = RandomGenerator(seed: 1)
                let lm = LanguageModel(b, vocabulary: text.vocabulary, cell: cell, hidden: 32, generator: &g)
                let trainer = LanguageModelTrainer(model: lm, sequenceLength: 16, batchSize: 8, optimizer: Adam(b, learningRate: 0.01))
                let (train, validation) = text.split()
                let first = trainer.evaluate(validation)!
                var last = 0.0
                for _ in 0..<6 { last = trainer.trainEpoch(train).bitsPerToken }
                let val = trainer.evaluate(validation)!
                XCTAssertGreaterThan(first, 2.5, "\(cell) \(b.name): untrained ≈ log2(\(text.vocabulary.count))")
                XCTAssertLessThan(val, 0.5, "\(cell) \(b.name): validation \(val) bits/char after training (train \(last))")
                finals[b.name] = val
            }
            let values = Array(finals.values)
            XCTAssertLessThanOrEqual(values.max()! - values.min()!, 0.05, "\(cell): backends agree after a short run: \(finals)")
        }
    }

    func testSamplingIsReproducibleAndSurvivesSaveAndLoad() throws {
        let text = try corpus(), b = try Backends.make("simd")
        var g = RandomGenerator(seed: 2)
        let lm = LanguageModel(b, vocabulary: text.vocabulary, cell: .gru, hidden: 32, generator: &g)
        let trainer = LanguageModelTrainer(model: lm, sequenceLength: 16, batchSize: 8, optimizer: Adam(b, learningRate: 0.01))
        for _ in 0..<4 { trainer.trainEpoch(text.split().train) }
        let a = try lm.sample(length: 60, temperature: 0.5, prime: "the ", seed: 7)
        XCTAssertEqual(try lm.sample(length: 60, temperature: 0.5, prime: "the ", seed: 7), a, "same seed, same text")
        XCTAssertNotEqual(try lm.sample(length: 60, temperature: 1.5, prime: "the ", seed: 8), a)
        XCTAssertEqual(Array(a.prefix(4)), Array("the ".utf8))
        XCTAssertTrue(String(decoding: a, as: UTF8.self).contains("cat sat"), String(decoding: a, as: UTF8.self))
        let path = FileManager.default.temporaryDirectory.appendingPathComponent("lm-\(UUID()).safetensors").path
        defer { try? FileManager.default.removeItem(atPath: path) }
        try lm.file.save(to: path)
        let loaded = try LanguageModel(b, file: try ModelFile.load(path), source: path)
        XCTAssertEqual(loaded.vocabulary, lm.vocabulary)
        XCTAssertEqual(try loaded.sample(length: 60, temperature: 0.5, prime: "the ", seed: 7), a)
        XCTAssertThrowsError(try lm.sample(length: 5, prime: "dog")) { XCTAssertTrue("\($0)".contains("byte 0x64"), "\($0)") }
        // An MLP's file is not a language model.
        var g2 = RandomGenerator(seed: 0)
        let mlp = Sequential.mlp(b, sizes: [2, 4, 2], activation: .tanh, generator: &g2)
        let other = ModelFile(model: mlp, loss: BuiltInLossConfiguration(.crossEntropy), classes: 2, scaler: nil)
        XCTAssertThrowsError(try LanguageModel(b, file: other, source: "mlp.safetensors")) {
            XCTAssertTrue("\($0)".contains("is not a language model"), "\($0)")
        }
    }
}
