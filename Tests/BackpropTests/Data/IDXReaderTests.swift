import Backprop
import Foundation
import XCTest

final class IDXReaderTests: XCTestCase {
    var dir: URL!

    override func setUpWithError() throws {
        dir = FileManager.default.temporaryDirectory.appendingPathComponent("idx-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
    }

    override func tearDownWithError() throws { try? FileManager.default.removeItem(at: dir) }

    func write(_ bytes: [UInt8], _ name: String) throws -> String {
        let p = dir.appendingPathComponent(name).path
        try Data(bytes).write(to: URL(fileURLWithPath: p))
        return p
    }

    /// An IDX ubyte file: magic 00 00 08 dims, big-endian sizes, data.
    static func idx(_ shape: [Int], _ data: [UInt8]) -> [UInt8] {
        var b: [UInt8] = [0, 0, 8, UInt8(shape.count)]
        for s in shape { b += [UInt8(s >> 24 & 255), UInt8(s >> 16 & 255), UInt8(s >> 8 & 255), UInt8(s & 255)] }
        return b + data
    }

    func testReadsImagesAndLabels() throws {
        let images = try write(Self.idx([3, 2, 2], Array(0..<12).map { UInt8($0 * 20) }), "img")
        let labels = try write(Self.idx([3], [2, 0, 1]), "lab")
        let ds = try IDXReader.dataset(images: images, labels: labels, name: "t")
        XCTAssertEqual(ds.features.shape, [3, 4])
        XCTAssertEqual(ds.features[1, 0], 80 / 255)
        XCTAssertEqual(ds.labels, [2, 0, 1])
        XCTAssertEqual(ds.classes, 3)
        XCTAssertEqual(ds.targets.array, [0, 0, 1, 1, 0, 0, 0, 1, 0])
    }

    func testReadsGzip() throws {
        let raw = Self.idx([2, 3], [1, 2, 3, 4, 5, 6])
        let plain = try write(raw, "a.idx")
        let p = Process()
        p.executableURL = URL(fileURLWithPath: "/bin/gzip")
        p.arguments = ["-k", plain]
        try p.run()
        p.waitUntilExit()
        let arr = try IDXReader.read(plain + ".gz")
        XCTAssertEqual(arr.shape, [2, 3])
        XCTAssertEqual(arr.values, [1, 2, 3, 4, 5, 6])
    }

    func testRealFashionMNISTWhenInstalled() throws {
        let d = DatasetSource.fashionMNISTDirectory
        guard FileManager.default.fileExists(atPath: d + "/t10k-images-idx3-ubyte.gz") else {
            throw XCTSkip("dataset-fashion-mnist is not installed (the README's commands install it)")
        }
        let ds = try IDXReader.dataset(images: d + "/t10k-images-idx3-ubyte.gz", labels: d + "/t10k-labels-idx1-ubyte.gz", name: "f")
        XCTAssertEqual(ds.features.shape, [10000, 784])
        XCTAssertEqual(ds.classes, 10)
    }

    func testErrorsNameTheProblemAndWhere() throws {
        func message(_ bytes: [UInt8]) throws -> String {
            let p = try write(bytes, "bad-\(UUID().uuidString)")
            do { _ = try IDXReader.read(p); return "no error" } catch { return "\(error)" }
        }
        XCTAssertTrue(try message([1, 2, 8, 1, 0, 0, 0, 1, 5]).contains("offset 0: bad magic 01 02 08 01"))
        XCTAssertTrue(try message([0, 0, 7, 1, 0, 0, 0, 1, 5]).contains("unsupported element type 0x07"))
        XCTAssertTrue(try message(Self.idx([2, 2], [1, 2, 3])).contains("data is 3 bytes; shape 2x2 needs 4"))
        XCTAssertTrue(try message(Self.idx([2, 2], [1, 2, 3, 4, 5])).contains("data is 5 bytes"))
        XCTAssertTrue(try message([0, 0, 8, 3, 0, 0]).contains("truncated header"))
        XCTAssertTrue(try message([0, 0]).contains("at least 4"))
        // A truncated gzip stream.
        let raw = try write(Self.idx([100], [UInt8](repeating: 7, count: 100)), "z")
        let p = Process()
        p.executableURL = URL(fileURLWithPath: "/bin/gzip")
        p.arguments = [raw]
        try p.run()
        p.waitUntilExit()
        let gz = try Data(contentsOf: URL(fileURLWithPath: raw + ".gz"))
        XCTAssertTrue(try message([UInt8](gz.prefix(gz.count / 2))).contains("truncated gzip stream"))
        do { _ = try IDXReader.read(dir.appendingPathComponent("missing").path); XCTFail() } catch {
            XCTAssertTrue("\(error)".hasSuffix("missing: no such file"))
        }
        // Labels that do not match the images.
        let images = try write(Self.idx([3, 2], [UInt8](repeating: 0, count: 6)), "i3")
        let labels = try write(Self.idx([2], [0, 1]), "l2")
        XCTAssertThrowsError(try IDXReader.dataset(images: images, labels: labels, name: "x")) { e in
            XCTAssertTrue("\(e)".contains("2 labels for 3 images"))
        }
    }
}
