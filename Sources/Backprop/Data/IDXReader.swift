import Foundation

/// Reads IDX files, the MNIST / Fashion-MNIST format, raw or gzip-compressed.
///
/// Layout: magic `00 00 TT DD` (TT = element type: 0x08 unsigned byte, 0x0D float32; DD = number
/// of dimensions), DD big-endian UInt32 sizes, then the elements, big-endian, row-major. Every size
/// is untrusted: the reader checks the magic, the type, that there is at least one dimension, that
/// the sizes' product (with overflow-checked arithmetic) makes the data exactly as long as the file,
/// and that float elements are finite — before it allocates anything. A gzip file is inflated as a
/// stream and stopped as soon as it holds more than its header declares.
public enum IDXReader {
    /// An IDX array: its sizes and its elements as Float (bytes are not rescaled here).
    public struct Array {
        public let shape: [Int]
        public let values: [Float]
    }

    /// Reads `path`, decompressing gzip when the file starts with 1F 8B.
    public static func read(_ path: String) throws -> Array {
        guard FileManager.default.fileExists(atPath: path) else { throw DataError(path, "no such file") }
        var isDirectory: ObjCBool = false
        if FileManager.default.fileExists(atPath: path, isDirectory: &isDirectory), isDirectory.boolValue {
            throw DataError(path, "is a directory, not an IDX file")
        }
        guard let d = FileManager.default.contents(atPath: path) else { throw DataError(path, "cannot read the file") }
        return try read(bytes: [UInt8](d), source: path)
    }

    /// Parses the bytes of an IDX file (gzip-compressed or not); `source` names it in errors.
    public static func read(bytes: [UInt8], source: String) throws -> Array {
        if bytes.count >= 2 && bytes[0] == 0x1F && bytes[1] == 0x8B {
            let inflated = try Gzip.inflate(bytes, source: source) { try declaredSize(prefix: $0, source: source) }
            return try parse(inflated, source: source)
        }
        return try parse(bytes, source: source)
    }

    /// The bytes the whole file must have, once `prefix` holds the header (nil before); throws for
    /// a header that is wrong already.
    static func declaredSize(prefix b: [UInt8], source: String) throws -> Int? {
        guard b.count >= 4 else { return nil }
        let (elementSize, dims) = try header(b, source: source)
        let headerSize = 4 + 4 * dims
        guard b.count >= headerSize else { return nil }
        return try totalSize(b, dims: dims, elementSize: elementSize, source: source).total
    }

    /// The element size and the number of dimensions, from the first 4 bytes.
    static func header(_ b: [UInt8], source: String) throws -> (elementSize: Int, dims: Int) {
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
        return (elementSize, dims)
    }

    /// The shape, element count and total file size the header declares, with every product
    /// and sum checked for overflow.
    static func totalSize(_ b: [UInt8], dims: Int, elementSize: Int, source: String) throws -> (shape: [Int], count: Int, total: Int) {
        var shape: [Int] = []
        var count = 1, overflow = false
        for d in 0..<dims {
            let o = 4 + 4 * d
            let s = Int(b[o]) << 24 | Int(b[o + 1]) << 16 | Int(b[o + 2]) << 8 | Int(b[o + 3])
            shape.append(s)
            let (p, o2) = count.multipliedReportingOverflow(by: s)
            count = p
            overflow = overflow || o2
        }
        let (bytes, o3) = count.multipliedReportingOverflow(by: elementSize)
        let (total, o4) = bytes.addingReportingOverflow(4 + 4 * dims)
        guard !overflow, !o3, !o4 else {
            throw DataError(source, at: "offset 4", "shape \(shape.map(String.init).joined(separator: "x")) has more elements than can be counted")
        }
        return (shape, count, total)
    }

    /// Parses uncompressed IDX bytes.
    public static func parse(_ b: [UInt8], source: String) throws -> Array {
        guard b.count >= 4 else { throw DataError(source, at: "offset 0", "file is \(b.count) bytes; an IDX header needs at least 4") }
        let (elementSize, dims) = try header(b, source: source)
        let headerSize = 4 + 4 * dims
        guard b.count >= headerSize else {
            throw DataError(source, at: "offset 4", "truncated header: \(dims) dimensions need \(headerSize) bytes, file has \(b.count)")
        }
        let (shape, count, total) = try totalSize(b, dims: dims, elementSize: elementSize, source: source)
        guard b.count == total else {
            throw DataError(source, at: "offset \(headerSize)",
                            "data is \(b.count - headerSize) bytes; shape \(shape.map(String.init).joined(separator: "x")) needs \(total - headerSize)")
        }
        var values = [Float](repeating: 0, count: count)
        if elementSize == 1 {
            for i in 0..<count { values[i] = Float(b[headerSize + i]) }
        } else {
            for i in 0..<count {
                let o = headerSize + 4 * i
                let v = Float(bitPattern: UInt32(b[o]) << 24 | UInt32(b[o + 1]) << 16 | UInt32(b[o + 2]) << 8 | UInt32(b[o + 3]))
                guard v.isFinite else { throw DataError(source, at: "element \(i)", "\(v) is not a finite number") }
                values[i] = v
            }
        }
        return Array(shape: shape, values: values)
    }

    /// An image file and a label file as a classification set: images flattened to rows and
    /// scaled from 0…255 to 0…1. Classes: `classes` when given (every label must be below it),
    /// else the largest label + 1, and then every class below it must occur (a stray byte of 200
    /// among labels 0…9 is an error naming it, not a model with 201 outputs).
    public static func dataset(images: String, labels: String, name: String, classes: Int? = nil) throws -> Dataset {
        let img = try read(images)
        let lab = try read(labels)
        guard img.shape.count >= 2 else { throw DataError(images, "expected images with ≥ 2 dimensions, found shape \(img.shape)") }
        guard lab.shape.count == 1 else { throw DataError(labels, "expected 1 dimension of labels, found shape \(lab.shape)") }
        guard img.shape[0] == lab.shape[0] else {
            throw DataError(labels, "\(lab.shape[0]) labels for \(img.shape[0]) images in \(images)")
        }
        let n = img.shape[0]
        guard n > 0 else { throw DataError(images, "no images") }
        let d = img.values.count / n
        guard d > 0 else {
            throw DataError(images, "images of shape \(img.shape.dropFirst().map(String.init).joined(separator: "x")) have 0 features")
        }
        let ls = try ClassLabels.check(lab.values, declared: classes, source: labels, location: { "label \($0)" })
        let f = Tensor(shape: [n, d], values: img.values.map { $0 / 255 })
        return Dataset.classification(name: name, features: f, labels: ls.labels, classes: ls.classes)
    }
}
