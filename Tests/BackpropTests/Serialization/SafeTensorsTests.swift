import Backprop
import Foundation
import XCTest

final class SafeTensorsTests: XCTestCase {
    var dir: URL!

    override func setUpWithError() throws {
        dir = FileManager.default.temporaryDirectory.appendingPathComponent("st-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
    }

    override func tearDownWithError() throws { try? FileManager.default.removeItem(at: dir) }

    func testRoundTripAndLayout() throws {
        let path = dir.appendingPathComponent("t.safetensors").path
        let a = Tensor(shape: [2, 3], values: [1, 2, 3, 4, 5, 6]), b = Tensor(shape: [1], values: [-0.5])
        try SafeTensors.write([("a", a), ("b", b)], metadata: ["k": "v \"quoted\""], to: path)
        let bytes = [UInt8](try Data(contentsOf: URL(fileURLWithPath: path)))
        let n = Int(bytes[0]) | Int(bytes[1]) << 8
        XCTAssertEqual(n % 8, 0)
        XCTAssertEqual(bytes.count, 8 + n + 7 * 4, "no holes")
        let header = String(decoding: bytes[8..<(8 + n)], as: UTF8.self)
        XCTAssertTrue(header.contains("\"a\":{\"dtype\":\"F32\",\"shape\":[2,3],\"data_offsets\":[0,24]}"), header)
        let r = try SafeTensors.read(path)
        XCTAssertEqual(r.tensors["a"]?.array, a.array)
        XCTAssertEqual(r.tensors["b"]?.shape, [1])
        XCTAssertEqual(r.metadata["k"], "v \"quoted\"")
        XCTAssertEqual(try FileManager.default.contentsOfDirectory(atPath: dir.path), ["t.safetensors"], "no temporary file left")
    }

    func testBadFiles() throws {
        func message(_ bytes: [UInt8]) throws -> String {
            let p = dir.appendingPathComponent("bad-\(UUID().uuidString)").path
            try Data(bytes).write(to: URL(fileURLWithPath: p))
            do { _ = try SafeTensors.read(p); return "no error" } catch { return "\(error)" }
        }
        XCTAssertTrue(try message(Array("hello, world, this is text".utf8)).contains("not a safetensors file"))
        XCTAssertTrue(try message([1, 2, 3]).contains("not a safetensors file"))
        let good = dir.appendingPathComponent("g").path
        try SafeTensors.write([("a", Tensor(shape: [4], values: [1, 2, 3, 4]))], metadata: [:], to: good)
        let bytes = [UInt8](try Data(contentsOf: URL(fileURLWithPath: good)))
        XCTAssertTrue(try message(Array(bytes.dropLast(4))).contains("truncated"))
        var header = "{\"a\":{\"dtype\":\"F32\",\"shape\":[3],\"data_offsets\":[0,16]}}"
        while header.utf8.count % 8 != 0 { header += " " }
        let lie = [UInt8(header.utf8.count), 0, 0, 0, 0, 0, 0, 0] + Array(header.utf8) + [UInt8](repeating: 0, count: 16)
        XCTAssertTrue(try message(lie).contains("shape [3] needs 12"))
    }
}
