import Foundation

/// Reads IDX files, the MNIST / Fashion-MNIST format, raw or gzip-compressed.
///
/// Layout: magic `00 00 TT DD` (TT = element type: 0x08 unsigned byte, 0x0D float32; DD = number
/// of dimensions), DD big-endian UInt32 sizes, then the elements, big-endian, row-major. The
/// reader checks the magic, the type, that there is at least one dimension, and that the data is
/// exactly as long as the sizes say.
public enum IDXReader {
    /// An IDX array: its sizes and its elements as Float (bytes are not rescaled here).
    public struct Array {
        public let shape: [Int]
        public let values: [Float]
    }

    /// Reads `path`, decompressing gzip when the file starts with 1F 8B.
    public static func read(_ path: String) throws -> Array {
        let data = try load(path)
        return try parse(data, source: path)
    }

    /// The file's bytes, inflated when gzip-compressed.
    static func load(_ path: String) throws -> [UInt8] {
        guard FileManager.default.fileExists(atPath: path) else { throw DataError(path, "no such file") }
        guard let d = FileManager.default.contents(atPath: path) else { throw DataError(path, "cannot read the file") }
        let bytes = [UInt8](d)
        if bytes.count >= 2 && bytes[0] == 0x1F && bytes[1] == 0x8B { return try Gzip.inflate(bytes, source: path) }
        return bytes
    }

    static func parse(_ b: [UInt8], source: String) throws -> Array {
        guard b.count >= 4 else { throw DataError(source, at: "offset 0", "file is \(b.count) bytes; an IDX header needs at least 4") }
        guard b[0] == 0, b[1] == 0 else {
            throw DataError(source, at: "offset 0", String(format: "bad magic %02x %02x %02x %02x; expected 00 00 <type> <dims>", b[0], b[1], b[2], b[3]))
        }
        let elementSize: Int
        switch b[2] {
        case 0x08: elementSize = 1
        case 0x0D: elementSize = 4
        default: throw DataError(source, at: "offset 2", String(format: "unsupported element type 0x%02x; expected 0x08 (ubyte) or 0x0d (float)", b[2]))
        }
        let dims = Int(b[3])
        guard dims >= 1 else { throw DataError(source, at: "offset 3", "0 dimensions; expected at least 1") }
        let headerSize = 4 + 4 * dims
        guard b.count >= headerSize else {
            throw DataError(source, at: "offset 4", "truncated header: \(dims) dimensions need \(headerSize) bytes, file has \(b.count)")
        }
        var shape: [Int] = []
        for d in 0..<dims {
            let o = 4 + 4 * d
            shape.append(Int(b[o]) << 24 | Int(b[o + 1]) << 16 | Int(b[o + 2]) << 8 | Int(b[o + 3]))
        }
        let (count, overflow) = shape.reduce((1, false)) { acc, s in
            let (v, o) = acc.0.multipliedReportingOverflow(by: s)
            return (v, acc.1 || o)
        }
        let expected = headerSize + count * elementSize
        guard !overflow, b.count == expected else {
            throw DataError(source, at: "offset \(headerSize)",
                            "data is \(b.count - headerSize) bytes; shape \(shape.map(String.init).joined(separator: "x")) needs \(count * elementSize)")
        }
        var values = [Float](repeating: 0, count: count)
        if elementSize == 1 {
            for i in 0..<count { values[i] = Float(b[headerSize + i]) }
        } else {
            for i in 0..<count {
                let o = headerSize + 4 * i
                let bits = UInt32(b[o]) << 24 | UInt32(b[o + 1]) << 16 | UInt32(b[o + 2]) << 8 | UInt32(b[o + 3])
                values[i] = Float(bitPattern: bits)
            }
        }
        return Array(shape: shape, values: values)
    }

    /// An image file and a label file as a classification set: images flattened to rows and
    /// scaled from 0…255 to 0…1; classes = largest label + 1.
    public static func dataset(images: String, labels: String, name: String) throws -> Dataset {
        let img = try read(images)
        let lab = try read(labels)
        guard img.shape.count >= 2 else { throw DataError(images, "expected images with ≥ 2 dimensions, found shape \(img.shape)") }
        guard lab.shape.count == 1 else { throw DataError(labels, "expected 1 dimension of labels, found shape \(lab.shape)") }
        guard img.shape[0] == lab.shape[0] else {
            throw DataError(labels, "\(lab.shape[0]) labels for \(img.shape[0]) images in \(images)")
        }
        let n = img.shape[0], d = img.values.count / max(n, 1)
        guard n > 0 else { throw DataError(images, "no images") }
        var ls = [Int32](repeating: 0, count: n)
        for i in 0..<n {
            let v = lab.values[i]
            guard v >= 0, v < 1000, v == v.rounded() else { throw DataError(labels, at: "label \(i)", "\(v) is not a class index") }
            ls[i] = Int32(v)
        }
        let f = Tensor(shape: [n, d], values: img.values.map { $0 / 255 })
        return Dataset.classification(name: name, features: f, labels: ls, classes: Int(ls.max()!) + 1)
    }
}
