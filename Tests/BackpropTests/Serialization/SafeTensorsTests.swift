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

    /// F16 and BF16 convert exactly (normals, subnormals, ±∞, NaN), F64 rounds to nearest; sizes
    /// that overflow are rejected before anything is allocated.
    func testOtherDTypesAndHostileSizes() throws {
        func file(_ name: String, dtype: String, shape: String, offsets: String, data: [UInt8]) throws -> String {
            var header = "{\"\(name)\":{\"dtype\":\"\(dtype)\",\"shape\":\(shape),\"data_offsets\":\(offsets)}}"
            while header.utf8.count % 8 != 0 { header += " " }
            var n = UInt64(header.utf8.count).littleEndian
            let p = dir.appendingPathComponent("\(UUID().uuidString).safetensors").path
            try (Data(bytes: &n, count: 8) + Data(header.utf8) + Data(data)).write(to: URL(fileURLWithPath: p))
            return p
        }
        // F16: 1.0 = 0x3C00, −2.5 = 0xC100, the smallest subnormal 2⁻²⁴ = 0x0001, +∞ = 0x7C00, NaN = 0x7E00.
        let half: [UInt16] = [0x3C00, 0xC100, 0x0001, 0x7C00, 0x7E00]
        let h = try SafeTensors.read(try file("h", dtype: "F16", shape: "[5]", offsets: "[0,10]",
                                              data: half.flatMap { [UInt8($0 & 255), UInt8($0 >> 8)] }))
        let hv = h.tensors["h"]!.array
        XCTAssertEqual(Array(hv.prefix(4)), [1, -2.5, 0x1p-24, .infinity])
        XCTAssertTrue(hv[4].isNaN)
        // BF16: the top half of a Float32.
        let bf: [Float] = [1.5, -3.0e38, 0x1p-130]
        let bfBytes = bf.flatMap { v -> [UInt8] in let b = UInt16(v.bitPattern >> 16); return [UInt8(b & 255), UInt8(b >> 8)] }
        XCTAssertEqual(try SafeTensors.read(try file("b", dtype: "BF16", shape: "[3]", offsets: "[0,6]", data: bfBytes)).tensors["b"]!.array,
                       bf.map { Float(bitPattern: $0.bitPattern & 0xFFFF_0000) })
        let doubles: [Double] = [0.1, -1e300]
        let dBytes = doubles.flatMap { v in (0..<8).map { UInt8(v.bitPattern >> (8 * UInt64($0)) & 255) } }
        XCTAssertEqual(try SafeTensors.read(try file("d", dtype: "F64", shape: "[2]", offsets: "[0,16]", data: dBytes)).tensors["d"]!.array,
                       [Float(0.1), -.infinity])
        func message(_ path: String) -> String { do { _ = try SafeTensors.read(path); return "no error" } catch { return "\(error)" } }
        XCTAssertTrue(message(try file("x", dtype: "F32", shape: "[4294967296,4294967296]", offsets: "[0,4]", data: [0, 0, 0, 0]))
            .contains("more elements than can be counted"))
        XCTAssertTrue(message(try file("x", dtype: "F32", shape: "[1]", offsets: "[-9223372036854775808,4]", data: [0, 0, 0, 0]))
            .contains("are not whole numbers 0 ≤ begin ≤ end"))
        XCTAssertTrue(message(try file("x", dtype: "I8", shape: "[1]", offsets: "[0,1]", data: [0])).contains("dtype I8"))
    }
}
