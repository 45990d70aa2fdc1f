import Foundation
import XCTest

/// `backprop textgen train|sample` on a small text: bits per character per epoch, a saved model
/// that samples the same text for the same seed, and one clear line for each kind of bad input.
final class TextgenTests: CLITestCase {
    func text() throws -> String { try file("cats.txt", String(repeating: "the cat sat on the mat. ", count: 120)) }

    func testTrainPrintsBitsPerCharacterAndSamplingIsReproducible() throws {
        let model = dir.appendingPathComponent("lm.safetensors").path
        let t = try CLI.run(["textgen", "train", "--text", try text(), "--hidden", "32", "--seq-len", "16", "--batch-size", "8",
                             "--epochs", "3", "--learning-rate", "0.01", "--cell", "gru", "--save", model, "--backend", "simd"])
        XCTAssertEqual(t.status, 0, t.stderr)
        let epochs = t.stdout.split(separator: "\n").filter { $0.hasPrefix("epoch ") }
        XCTAssertEqual(epochs.count, 3, t.stdout)
        XCTAssertTrue(epochs.allSatisfy { $0.contains("bits/byte") && $0.contains("val ") }, t.stdout)
        let summary = try XCTUnwrap(t.stdout.split(separator: "\n").first { $0.hasPrefix("SUMMARY") })
        let val = try XCTUnwrap(summary.split(separator: " ").first { $0.hasPrefix("val_bpc=") }.flatMap { Double($0.dropFirst(8)) })
        XCTAssertLessThan(val, 1.0, "a periodic text is learnt: \(summary)")
        let a = try CLI.run(["textgen", "sample", "--model", model, "--length", "80", "--seed", "3", "--prime", "the "])
        let b = try CLI.run(["textgen", "sample", "--model", model, "--length", "80", "--seed", "3", "--prime", "the "])
        XCTAssertEqual(a.status, 0, a.stderr)
        XCTAssertEqual(a.stdout, b.stdout, "same seed, same text")
        XCTAssertTrue(a.stdout.hasPrefix("the "), a.stdout)
        XCTAssertTrue(a.stderr.contains("tokens/s"), a.stderr)
        let c = try CLI.run(["textgen", "sample", "--model", model, "--length", "80", "--seed", "4", "--temperature", "2"])
        XCTAssertNotEqual(c.stdout, a.stdout)
    }

    func testBadInputIsOneLineAndANonZeroExit() throws {
        let model = dir.appendingPathComponent("lm.safetensors").path
        XCTAssertEqual(try CLI.run(["textgen", "train", "--text", try text(), "--hidden", "8", "--seq-len", "8", "--batch-size", "4",
                                    "--save", model]).status, 0)
        try assertFails(["textgen", "train", "--text", try file("empty.txt", "")], "is empty")
        try assertFails(["textgen", "train", "--text", try file("short.txt", "abc def ghi")], "too short")
        try assertFails(["textgen", "train", "--text", try file("bin.dat", [0x41, 0xFF, 0xFE, 0x42, 0x43]), "--tokens", "characters"], "not UTF-8")
        try assertFails(["textgen", "train", "--text", dir.appendingPathComponent("missing.txt").path], "no such file")
        try assertFails(["textgen", "train", "--text", try text(), "--cell", "transformer"], "--cell")
        try assertFails(["textgen", "train", "--text", try text(), "--hidden", "0"], "--hidden")
        try assertFails(["textgen", "sample", "--model", model, "--temperature", "0"], "--temperature must be > 0")
        try assertFails(["textgen", "sample", "--model", model, "--temperature", "-1"], "--temperature must be > 0")
        try assertFails(["textgen", "sample", "--model", model, "--prime", "dog"], "not in the model's vocabulary")
        let mlp = dir.appendingPathComponent("mlp.safetensors").path
        XCTAssertEqual(try CLI.run(["train", "--dataset", "circles", "--layers", "4", "--epochs", "1", "--quiet", "--save", mlp]).status, 0)
        try assertFails(["textgen", "sample", "--model", mlp], "is not a language model")
        try assertFails(["textgen", "train", "--text", try text(), "--hidden", "8", "--seq-len", "8", "--batch-size", "4",
                         "--save", "/proc/forbidden/lm.safetensors"], "/proc/forbidden")
    }

    /// A bare state dict under PyTorch's Sequential names (as `torch` would save it: no metadata)
    /// imports with the text's vocabulary, evaluates to the same bits per byte and samples the
    /// same text as the model it came from.
    func testAPlainStateDictImportsAndEvaluatesAsTheOriginal() throws {
        let model = dir.appendingPathComponent("lm.safetensors").path, bare = dir.appendingPathComponent("bare.safetensors").path
        let imported = dir.appendingPathComponent("imported.safetensors").path
        let text = try text()
        XCTAssertEqual(try CLI.run(["textgen", "train", "--text", text, "--hidden", "16", "--layers", "2", "--seq-len", "8",
                                    "--batch-size", "4", "--save", model]).status, 0)
        let py = try CLI.run(URL(fileURLWithPath: "/usr/bin/env"), ["python3", "-c", """
        from safetensors.numpy import load_file, save_file
        t = load_file("\(model)"); save_file(t, "\(bare)"); print(sorted(t))
        """])
        XCTAssertEqual(py.status, 0, py.stderr)
        XCTAssertTrue(py.stdout.contains("'0.weight_ih_l1'") && py.stdout.contains("'1.weight'"), py.stdout)
        let i = try CLI.run(["textgen", "import", bare, "--text", text, "--hidden", "16", "--layers", "2", "--save", imported])
        XCTAssertEqual(i.status, 0, i.stderr)
        let e1 = try CLI.run(["textgen", "evaluate", "--model", model, "--text", text])
        let e2 = try CLI.run(["textgen", "evaluate", "--model", imported, "--text", text])
        XCTAssertEqual(e1.status, 0, e1.stderr)
        XCTAssertTrue(e1.stdout.contains("bits per byte"), e1.stdout)
        XCTAssertEqual(e1.stdout, e2.stdout)
        let s1 = try CLI.run(["textgen", "sample", "--model", model, "--length", "50", "--seed", "9"])
        let s2 = try CLI.run(["textgen", "sample", "--model", imported, "--length", "50", "--seed", "9"])
        XCTAssertEqual(s1.stdout, s2.stdout)
        try assertFails(["textgen", "import", bare, "--text", text, "--hidden", "16", "--layers", "1", "--save", imported], "_l1 is not part of a lstm 1x16 language model")
        try assertFails(["textgen", "import", bare, "--text", text, "--hidden", "8", "--layers", "2", "--save", imported], "shape")
    }
}
