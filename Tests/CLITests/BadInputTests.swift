import Foundation
import XCTest

/// Every bad input gets a one-line error naming the problem and where, and exit status 1.
final class BadInputTests: CLITestCase {
    static func idx(_ type: UInt8, _ shape: [Int], _ data: [UInt8]) -> [UInt8] {
        var b: [UInt8] = [0, 0, type, UInt8(shape.count)]
        for s in shape { b += [UInt8(s >> 24 & 255), UInt8(s >> 16 & 255), UInt8(s >> 8 & 255), UInt8(s & 255)] }
        return b + data
    }

    func testMissingFiles() throws {
        try assertFails(["train", "--dataset", "idx:/nope/images,/nope/labels"], "/nope/images: no such file")
        try assertFails(["train", "--dataset", "csv:/nope/data.csv"], "/nope/data.csv: no such file")
        try assertFails(["evaluate", "--model", "/nope/m.safetensors", "--dataset", "spiral"], "/nope/m.safetensors: no such file")
    }

    func testCorruptIDX() throws {
        let labels = try file("labels", Self.idx(8, [2], [0, 1]))
        let badMagic = try file("bad-magic", [1, 2, 8, 2, 0, 0, 0, 2, 0, 0, 0, 1, 5, 6])
        try assertFails(["train", "--dataset", "idx:\(badMagic),\(labels)"], "bad-magic: offset 0: bad magic 01 02 08 02")
        let truncated = try file("truncated", Self.idx(8, [2, 3], [1, 2, 3, 4]))
        try assertFails(["train", "--dataset", "idx:\(truncated),\(labels)"], "truncated: offset 12: data is 4 bytes; shape 2x3 needs 6")
        let mismatch = try file("three", Self.idx(8, [3, 2], [UInt8](repeating: 1, count: 6)))
        try assertFails(["train", "--dataset", "idx:\(mismatch),\(labels)"], "2 labels for 3 images")
    }

    func testBadCSV() throws {
        let nonNumeric = try file("a.csv", "x,y,label\n1,2,0\n3,abc,1\n")
        try assertFails(["train", "--dataset", "csv:\(nonNumeric)"], "a.csv: line 3, column 2: not a number: 'abc'")
        let ragged = try file("b.csv", "1,2,0\n3,4\n")
        try assertFails(["train", "--dataset", "csv:\(ragged)"], "b.csv: line 2: 2 fields, expected 3")
        let empty = try file("c.csv", "x,y,label\n")
        try assertFails(["train", "--dataset", "csv:\(empty)"], "c.csv: no data rows")
    }

    func testBadModelFiles() throws {
        let text = try file("text.safetensors", "this is not a model file at all")
        try assertFails(["evaluate", "--model", text, "--dataset", "spiral"], "not a safetensors file")
        // A real model, then truncated and then with a shape that contradicts its metadata.
        let good = dir.appendingPathComponent("m.safetensors").path
        let r = try CLI.run(["train", "--dataset", "xor", "--layers", "4", "--epochs", "1", "--quiet", "--save", good])
        XCTAssertEqual(r.status, 0, r.stderr)
        let bytes = [UInt8](try Data(contentsOf: URL(fileURLWithPath: good)))
        let cut = try file("cut.safetensors", Array(bytes.prefix(bytes.count - 10)))
        try assertFails(["evaluate", "--model", cut, "--dataset", "xor"], "truncated")
        var header = String(decoding: bytes[8..<(8 + Int(bytes[0]) + Int(bytes[1]) << 8)], as: UTF8.self)
        header = header.replacingOccurrences(of: "\"shape\":[2,4]", with: "\"shape\":[4,2]")   // 2.weight, [out, in]
        let lied = try file("lie.safetensors", Array(bytes.prefix(8)) + Array(header.utf8) + Array(bytes.dropFirst(8 + header.utf8.count)))
        try assertFails(["evaluate", "--model", lied, "--dataset", "xor"], "tensor 2.weight has shape [4, 2]; the architecture says [2, 4]")
        // The right model on the wrong data.
        try assertFails(["evaluate", "--model", good, "--dataset", "blobs"], "blobs: evaluation has 3 classes, for which cross_entropy needs 3 outputs; the model has 2 (model \(good))")
        let wide = try file("wide.csv", "1,2,3\n")
        try assertFails(["predict", "--model", good, "--input", wide], "wide.csv: 3 columns; the model expects 2 features")
    }

    func testOptionsOutOfRange() throws {
        try assertFails(["train", "--layers", "0"], "--layers: '0' is not a positive layer size")
        try assertFails(["train", "--layers", "64,x"], "--layers: 'x' is not a positive layer size")
        try assertFails(["train", "--lr", "-1"], "--lr must be a positive number, got -1.0")
        try assertFails(["train", "--batch-size", "0"], "--batch-size must be ≥ 1, got 0")
        try assertFails(["train", "--dropout", "1.5"], "--dropout must be in [0, 1), got 1.5")
        try assertFails(["train", "--epochs", "0"], "--epochs must be ≥ 1")
        try assertFails(["train", "--validation-split", "1"], "--validation-split must be in [0, 1)")
        try assertFails(["train", "--activation", "swish"], "--activation: unknown activation 'swish'")
        try assertFails(["train", "--optimizer", "lbfgs"], "--optimizer: unknown optimizer 'lbfgs'")
        try assertFails(["train", "--loss", "hinge"], "--loss: unknown loss 'hinge'")
        try assertFails(["train", "--dataset", "mnist-digits"], "--dataset: unknown dataset 'mnist-digits'")
        try assertFails(["train", "--schedule", "step:0:2"], "--schedule: 'step:0:2'")
        try assertFails(["train", "--threads", "0"], "--threads must be ≥ 1, got 0")
        try assertFails(["train", "--backend", "nope"], "unknown backend 'nope'; available backends: naive, simd, blas, auto")
        try assertFails(["conformance", "--backend", "nope"], "available backends: naive, simd, blas, auto")
        try assertFails(["train", "--dataset", "blobs", "--loss", "bce"], "--loss bce needs a 2-class dataset")
    }

    func testUnwritableOutputs() throws {
        try assertFails(["train", "--dataset", "xor", "--epochs", "1", "--quiet", "--save", "/nope/dir/m.safetensors"],
                        "/nope/dir/m.safetensors: folder /nope/dir does not exist")
    }
}
