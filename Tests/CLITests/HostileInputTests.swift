import Foundation
import XCTest

/// Crafted files and extreme flags, class by class: each gives one clear line on stderr and
/// exit 1 — never a trap — within bounded memory (the commands run under `prlimit --as`).
final class HostileInputTests: CLITestCase {
    /// 1 GiB of address space: ample for these runs (Fashion-MNIST trains in 1.2 GiB), far too
    /// little for what the crafted files claim.
    let memoryCap = 1 << 30

    /// Asserts a one-line error containing `expected`, exit 1, under the memory cap.
    func assertRefused(_ args: [String], _ expected: String, file: StaticString = #filePath, line: UInt = #line) throws {
        let r = try CLI.run(URL(fileURLWithPath: "/usr/bin/prlimit"), ["--as=\(memoryCap)", "--", CLI.binary.path] + args)
        XCTAssertEqual(r.status, 1, "\(args): exit \(r.status), stderr \(r.stderr)", file: file, line: line)
        let lines = r.stderr.split(separator: "\n")
        XCTAssertEqual(lines.count, 1, "\(args): one line expected, got: \(r.stderr)", file: file, line: line)
        XCTAssertTrue(r.stderr.contains(expected), "\(args): '\(r.stderr)' does not contain '\(expected)'", file: file, line: line)
    }

    static func idx(_ type: UInt8, _ shape: [UInt32], _ data: [UInt8]) -> [UInt8] {
        var b: [UInt8] = [0, 0, type, UInt8(shape.count)]
        for s in shape { b += [UInt8(s >> 24 & 255), UInt8(s >> 16 & 255), UInt8(s >> 8 & 255), UInt8(s & 255)] }
        return b + data
    }

    /// Class 1: sizes whose products and sums overflow are rejected before anything is allocated.
    func testOverflowingHeaders() throws {
        let labels = try file("labels", Self.idx(8, [1], [0]))
        let huge = try file("huge.idx", Self.idx(8, [0xFFFF_FFFF, 0xFFFF_FFFF, 0xFFFF_FFFF], [1, 2, 3]))
        try assertRefused(["train", "--dataset", "idx:\(huge),\(labels)"], "huge.idx: offset 4: shape 4294967295x4294967295x4294967295 has more elements than can be counted")
        let big = try file("big.idx", Self.idx(0x0D, [0x4000_0000, 0x4000_0000], [0]))
        try assertRefused(["train", "--dataset", "idx:\(big),\(labels)"], "big.idx: offset 12: data is 1 bytes; shape 1073741824x1073741824 needs 4611686018427387904")
        func safetensors(_ header: String) throws -> String {
            var h = header
            while h.utf8.count % 8 != 0 { h += " " }
            let n = h.utf8.count
            return try file("bad-\(UUID().uuidString).safetensors", [UInt8(n & 255), UInt8(n >> 8), 0, 0, 0, 0, 0, 0] + Array(h.utf8) + [0, 0, 0, 0])
        }
        let md = #""__metadata__":{"format":"backprop/2"}"#
        let shape = try safetensors(#"{\#(md),"0.weight":{"dtype":"F32","shape":[4611686018427387904,4],"data_offsets":[0,4]}}"#)
        try assertRefused(["evaluate", "--model", shape, "--dataset", "xor"], "tensor '0.weight': shape [4611686018427387904, 4] is not a list of whole numbers from 0 to 2^53")
        let product = try safetensors(#"{\#(md),"0.weight":{"dtype":"F32","shape":[4294967296,4294967296],"data_offsets":[0,4]}}"#)
        try assertRefused(["evaluate", "--model", product, "--dataset", "xor"], "shape [4294967296, 4294967296] has more elements than can be counted")
        let offsets = try safetensors(#"{\#(md),"0.weight":{"dtype":"F32","shape":[1],"data_offsets":[-9223372036854775808,4]}}"#)
        try assertRefused(["evaluate", "--model", offsets, "--dataset", "xor"], "are not whole numbers 0 ≤ begin ≤ end")
        let end = try safetensors(#"{\#(md),"0.weight":{"dtype":"F32","shape":[1],"data_offsets":[9223372036854775807,4]}}"#)
        try assertRefused(["evaluate", "--model", end, "--dataset", "xor"], "are not whole numbers 0 ≤ begin ≤ end")
        let fraction = try safetensors(#"{\#(md),"0.weight":{"dtype":"F32","shape":[1.5],"data_offsets":[0,4]}}"#)
        try assertRefused(["evaluate", "--model", fraction, "--dataset", "xor"], "is not a list of whole numbers")
    }

    /// Class 2: degenerate sizes are errors at the boundary, naming the file or flag.
    func testDegenerateSizes() throws {
        let zero = try file("zero.idx", Self.idx(8, [3, 0, 28], []))
        let labels = try file("labels3", Self.idx(8, [3], [0, 1, 0]))
        try assertRefused(["train", "--dataset", "idx:\(zero),\(labels)"], "zero.idx: images of shape 0x28 have 0 features")
        try assertRefused(["train", "--dataset", "xor", "--validation-split", "0.9999", "--epochs", "1"],
                          "xor: a validation split of 0.9999 leaves no training examples out of 1000")
        let good = dir.appendingPathComponent("m.safetensors").path
        let r = try CLI.run(["train", "--dataset", "xor", "--layers", "4", "--epochs", "1", "--quiet", "--save", good])
        XCTAssertEqual(r.status, 0, r.stderr)
        try assertRefused(["evaluate", "--model", good, "--dataset", "uat"], "uat has 1 features; the model in \(good) takes 2")
        let wide = try file("wide.csv", "1,2,3\n")
        try assertRefused(["predict", "--model", good, "--input", wide], "wide.csv: 3 columns; the model expects 2 features")
    }

    /// Class 3: huge layers and thread counts are refused with the numbers, before anything is
    /// allocated or started.
    func testResourceLimits() throws {
        try assertRefused(["train", "--dataset", "xor", "--layers", "100000,100000"],
                          "--layers 100000,100000: the model 2-100000-100000-2 has 10000600002 parameters; training it needs about")
        try assertRefused(["train", "--dataset", "xor", "--layers", "9223372036854775807,9"], "has more parameters than can be counted")
        try assertRefused(["train", "--dataset", "xor", "--threads", "100000"], "--threads 100000 is more than the")
        try assertRefused(["bench", "--size", "1000000"], "--size must be in 1...16384")
    }

    /// Class 4: a small gzip file that inflates to 1.5 GiB behind a header declaring one byte
    /// stops as soon as it holds more than the header says.
    func testDecompressionBombStopsEarly() throws {
        let bomb = dir.appendingPathComponent("bomb.gz").path
        let script = """
        import zlib, struct
        c = zlib.compressobj(1, zlib.DEFLATED, 31)
        out = [c.compress(bytes([0, 0, 8, 2]) + struct.pack('>II', 1, 1) + bytes([7]))]
        zeros = bytes(1 << 20)
        out += [c.compress(zeros) for _ in range(1536)]
        out.append(c.flush())
        open("\(bomb)", "wb").write(b"".join(out))
        """
        let p = try CLI.run(URL(fileURLWithPath: "/usr/bin/env"), ["python3", "-c", script])
        XCTAssertEqual(p.status, 0, p.stderr)
        let size = try FileManager.default.attributesOfItem(atPath: bomb)[.size] as! Int
        XCTAssertLessThan(size, 10 << 20, "small on disk")
        let labels = try file("labels", Self.idx(8, [1], [0]))
        try assertRefused(["train", "--dataset", "idx:\(bomb),\(labels)"], "inflates to more than the 13 bytes its contents may hold; stopped")
    }

    /// Class 5: garbage that used to be accepted: a stray label, NaN weights, NaN features.
    func testAcceptedGarbageIsRefused() throws {
        let images = try file("img", Self.idx(8, [6, 2], [UInt8](repeating: 9, count: 12)))
        let stray = try file("stray", Self.idx(8, [6], [0, 1, 2, 200, 1, 0]))
        try assertRefused(["train", "--dataset", "idx:\(images),\(stray)"], "stray: label 3: label 200 would make 201 classes, but class 3 never occurs")
        try assertRefused(["train", "--dataset", "idx:\(images),\(stray)", "--classes", "10"], "stray: label 3: label 200.0 is outside the declared 10 classes")
        let ok = try CLI.run(["train", "--dataset", "idx:\(images),\(stray)", "--classes", "201", "--epochs", "1", "--quiet"])
        XCTAssertEqual(ok.status, 0, "a declared count makes it legal: \(ok.stderr)")
        let nanFloats = try file("nan.idx", Self.idx(0x0D, [2, 1], [0x3F, 0x80, 0, 0, 0x7F, 0xC0, 0, 0]))
        let two = try file("two", Self.idx(8, [2], [0, 1]))
        try assertRefused(["train", "--dataset", "idx:\(nanFloats),\(two)"], "nan.idx: element 1: nan is not a finite number")
        // A model file whose weights hold NaN.
        let good = dir.appendingPathComponent("m.safetensors").path
        XCTAssertEqual(try CLI.run(["train", "--dataset", "xor", "--layers", "4", "--epochs", "1", "--quiet", "--save", good]).status, 0)
        var bytes = [UInt8](try Data(contentsOf: URL(fileURLWithPath: good)))
        bytes[bytes.count - 4..<bytes.count] = [0, 0, 0xC0, 0x7F]       // the last float: NaN
        let nanModel = try file("nan.safetensors", bytes)
        try assertRefused(["evaluate", "--model", nanModel, "--dataset", "xor"], "holds nan at element")
        // No test examples: said so, not "accuracy 0.0000".
        let one = try file("one", Self.idx(8, [2, 2], [1, 2, 3, 4]))
        let r = try CLI.run(["train", "--dataset", "idx:\(one),\(two)", "--epochs", "1", "--validation-split", "0", "--quiet"])
        XCTAssertEqual(r.status, 0, r.stderr)
        XCTAssertTrue(r.stdout.contains("no test examples"), r.stdout)
        XCTAssertFalse(r.stdout.contains("accuracy 0.0000"), r.stdout)
    }

    /// Class 6: outputs are checked before training; the same file twice is an error; messages
    /// are words, not errno numbers; stale temporary files of dead writers are removed.
    func testOutputPaths() throws {
        try assertRefused(["train", "--dataset", "xor", "--save", dir.path], "--save \(dir.path): is a directory")
        try assertRefused(["train", "--dataset", "xor", "--save", ""], "--save: the path is empty")
        try assertRefused(["train", "--dataset", "xor", "--report", "/nope/r.json"], "--report /nope/r.json: folder /nope does not exist")
        let same = dir.appendingPathComponent("x").path
        try assertRefused(["train", "--dataset", "xor", "--save", same, "--report", same], "--save and --report name the same file")
        let plain = try file("plain", "x")
        try assertRefused(["train", "--dataset", "xor", "--checkpoint", plain], "--checkpoint \(plain): is a file, not a folder")
        // A bad output fails in a second: before the data is even loaded.
        let t0 = Date()
        try assertRefused(["train", "--save", dir.path], "is a directory")
        XCTAssertLessThan(Date().timeIntervalSince(t0), 5)
        // Leftovers of a dead writer (pid 999999 does not run) go; the live file is untouched.
        let model = dir.appendingPathComponent("m.safetensors").path
        let stale = dir.appendingPathComponent(".m.safetensors.tmp-999999").path
        XCTAssertTrue(FileManager.default.createFile(atPath: stale, contents: Data([1, 2, 3])))
        XCTAssertEqual(try CLI.run(["train", "--dataset", "xor", "--layers", "4", "--epochs", "1", "--quiet", "--save", model]).status, 0)
        XCTAssertFalse(FileManager.default.fileExists(atPath: stale))
        XCTAssertTrue(FileManager.default.fileExists(atPath: model))
    }

    /// Class 7: the same run gives byte-identical model files.
    func testTwoIdenticalRunsGiveByteIdenticalModelFiles() throws {
        var files: [Data] = []
        for i in 0..<2 {
            let path = dir.appendingPathComponent("run\(i).safetensors").path
            let r = try CLI.run(["train", "--dataset", "circles", "--layers", "8,4", "--dropout", "0.1", "--epochs", "2", "--quiet", "--save", path])
            XCTAssertEqual(r.status, 0, r.stderr)
            files.append(try Data(contentsOf: URL(fileURLWithPath: path)))
        }
        XCTAssertEqual(files[0], files[1])
    }
}
