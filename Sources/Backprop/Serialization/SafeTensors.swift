import Foundation

/// The safetensors format: an 8-byte little-endian header length N, N bytes of JSON header
/// (each tensor's `dtype`, `shape` and `data_offsets` [begin, end) relative to the data start;
/// an optional `__metadata__` object of strings), then the raw little-endian data, C order,
/// with no holes. Tensors are written as F32; the reader takes F32, F64, F16 and BF16 (PyTorch
/// state dicts come in all four) and converts them to F32.
public enum SafeTensors {
    /// Writes `tensors` (in order) and `metadata` to `path`, atomically: a temporary file in the
    /// same folder, renamed over the destination.
    public static func write(_ tensors: [(name: String, tensor: Tensor)], metadata: [String: String], to path: String,
                             beforeCommit: () -> Void = {}) throws {
        try AtomicFile.write(try encode(tensors, metadata: metadata), to: path, beforeCommit: beforeCommit)
    }

    /// The bytes of a safetensors file holding `tensors` (F32) and `metadata`.
    public static func encode(_ tensors: [(name: String, tensor: Tensor)], metadata: [String: String]) throws -> Data {
        var header = "{"
        header += "\"__metadata__\":" + (try jsonObject(metadata))
        var offset = 0
        for (name, t) in tensors {
            let bytes = t.count * 4
            header += ",\(try jsonString(name)):{\"dtype\":\"F32\",\"shape\":[\(t.shape.map(String.init).joined(separator: ","))],"
                + "\"data_offsets\":[\(offset),\(offset + bytes)]}"
            offset += bytes
        }
        header += "}"
        // Pad the header with spaces so the data starts 8-byte aligned, as the reference writer does.
        while (header.utf8.count % 8) != 0 { header += " " }
        var out = Data()
        var n = UInt64(header.utf8.count).littleEndian
        withUnsafeBytes(of: &n) { out.append(contentsOf: $0) }
        out.append(contentsOf: Array(header.utf8))
        for (_, t) in tensors {
            // Float32 is stored little-endian, as on every machine Backprop runs on.
            out.append(UnsafeBufferPointer(start: t.data, count: t.count))
        }
        return out
    }

    /// Reads every tensor and the metadata of `path`, validating the layout.
    public static func read(_ path: String) throws -> (tensors: [String: Tensor], order: [String], metadata: [String: String]) {
        guard FileManager.default.fileExists(atPath: path) else { throw DataError(path, "no such file") }
        var isDirectory: ObjCBool = false
        if FileManager.default.fileExists(atPath: path, isDirectory: &isDirectory), isDirectory.boolValue {
            throw DataError(path, "is a directory, not a safetensors file")
        }
        guard let data = FileManager.default.contents(atPath: path) else { throw DataError(path, "cannot read the file") }
        return try parse([UInt8](data), source: path)
    }

    /// Parses the bytes of a safetensors file; `source` names it in errors. Every size and offset
    /// is checked (overflow-reporting arithmetic) against the bytes there are before anything is
    /// allocated.
    public static func parse(_ bytes: [UInt8], source path: String) throws -> (tensors: [String: Tensor], order: [String], metadata: [String: String]) {
        guard bytes.count >= 8 else { throw DataError(path, at: "offset 0", "\(bytes.count) bytes; not a safetensors file (needs an 8-byte header length)") }
        var n: UInt64 = 0
        for i in 0..<8 { n |= UInt64(bytes[i]) << (8 * UInt64(i)) }
        guard n >= 2, n <= UInt64(bytes.count - 8), n < 100_000_000 else {
            throw DataError(path, at: "offset 0", "header length \(n) does not fit a \(bytes.count)-byte file; not a safetensors file or truncated")
        }
        let headerEnd = 8 + Int(n)
        guard let object = try? JSONSerialization.jsonObject(with: Data(bytes[8..<headerEnd])),
              let header = object as? [String: Any] else {
            throw DataError(path, at: "offset 8", "header is not a JSON object; not a safetensors file")
        }
        var metadata: [String: String] = [:]
        if let m = header["__metadata__"] {
            guard let md = m as? [String: String] else { throw DataError(path, "__metadata__ must map strings to strings") }
            metadata = md
        }
        let dataSize = bytes.count - headerEnd
        var entries: [(name: String, dtype: DType, shape: [Int], begin: Int, end: Int)] = []
        for (name, value) in header where name != "__metadata__" {
            guard let info = value as? [String: Any],
                  let dtypeName = info["dtype"] as? String,
                  let shapeNumbers = info["shape"] as? [NSNumber],
                  let offsetNumbers = info["data_offsets"] as? [NSNumber], offsetNumbers.count == 2 else {
                throw DataError(path, "tensor '\(name)': needs dtype, shape and data_offsets [begin, end]")
            }
            guard let dtype = DType(rawValue: dtypeName) else {
                throw DataError(path, "tensor '\(name)': dtype \(dtypeName); supported: F32, F64, F16, BF16 (read as F32)")
            }
            // Every size is untrusted: whole numbers in range, products and sums checked.
            guard let shape = Self.integers(shapeNumbers), shape.allSatisfy({ $0 >= 0 }) else {
                throw DataError(path, "tensor '\(name)': shape \(shapeNumbers) is not a list of whole numbers from 0 to 2^53")
            }
            guard let offsets = Self.integers(offsetNumbers), offsets[0] >= 0, offsets[1] >= offsets[0] else {
                throw DataError(path, "tensor '\(name)': data_offsets \(offsetNumbers) are not whole numbers 0 ≤ begin ≤ end < 2^53")
            }
            var count = 1, overflow = false
            for d in shape {
                let (p, o) = count.multipliedReportingOverflow(by: d)
                count = p
                overflow = overflow || o
            }
            let (bytesNeeded, o2) = count.multipliedReportingOverflow(by: dtype.size)
            guard !overflow, !o2 else {
                throw DataError(path, "tensor '\(name)': shape \(shape) has more elements than can be counted")
            }
            guard offsets[1] - offsets[0] == bytesNeeded else {
                throw DataError(path, "tensor '\(name)': data_offsets \(offsets) hold \(offsets[1] - offsets[0]) bytes; shape \(shape) needs \(bytesNeeded) (\(dtypeName))")
            }
            guard offsets[1] <= dataSize else {
                throw DataError(path, "tensor '\(name)': data ends at byte \(offsets[1]) but the file has \(dataSize) data bytes (truncated)")
            }
            entries.append((name, dtype, shape, offsets[0], offsets[1]))
        }
        entries.sort { ($0.begin, $0.end) < ($1.begin, $1.end) }   // empty tensors first at a shared offset
        var expected = 0
        for e in entries {
            guard e.begin == expected else { throw DataError(path, "tensor '\(e.name)': data starts at \(e.begin), expected \(expected) (holes or overlaps)") }
            expected = e.end
        }
        guard expected == dataSize else { throw DataError(path, "\(dataSize) data bytes but the tensors cover \(expected)") }
        var tensors: [String: Tensor] = [:]
        bytes.withUnsafeBufferPointer { buf in
            for e in entries {
                let t = Tensor(shape: e.shape)
                e.dtype.convert(buf.baseAddress! + headerEnd + e.begin, count: t.count, into: t.data)
                tensors[e.name] = t
            }
        }
        return (tensors, entries.map(\.name), metadata)
    }

    /// The element types the reader takes; all are converted to Float32.
    public enum DType: String, Sendable {
        case f32 = "F32", f64 = "F64", f16 = "F16", bf16 = "BF16"

        public var size: Int {
            switch self {
            case .f32: return 4
            case .f64: return 8
            case .f16, .bf16: return 2
            }
        }

        /// Little-endian values at `p` as Float32 (F64 rounded to nearest, F16/BF16 exact).
        func convert(_ p: UnsafePointer<UInt8>, count: Int, into out: UnsafeMutablePointer<Float>) {
            func u16(_ i: Int) -> UInt16 { UInt16(p[2 * i]) | UInt16(p[2 * i + 1]) << 8 }
            switch self {
            case .f32:
                for i in 0..<count {
                    let o = 4 * i
                    out[i] = Float(bitPattern: UInt32(p[o]) | UInt32(p[o + 1]) << 8 | UInt32(p[o + 2]) << 16 | UInt32(p[o + 3]) << 24)
                }
            case .f64:
                for i in 0..<count {
                    var bits: UInt64 = 0
                    for b in 0..<8 { bits |= UInt64(p[8 * i + b]) << (8 * UInt64(b)) }
                    out[i] = Float(Double(bitPattern: bits))
                }
            case .f16:
                for i in 0..<count { out[i] = SafeTensors.halfToFloat(u16(i)) }
            case .bf16:
                for i in 0..<count { out[i] = Float(bitPattern: UInt32(u16(i)) << 16) }
            }
        }
    }

    /// IEEE binary16 to Float32, exactly (by hand: `Float16` is missing on Intel macOS).
    static func halfToFloat(_ h: UInt16) -> Float {
        let sign = UInt32(h >> 15) << 31
        let exponent = Int(h >> 10) & 0x1F
        let fraction = UInt32(h & 0x3FF)
        switch exponent {
        case 0:
            // Zero or subnormal: fraction · 2⁻²⁴.
            let v = Float(fraction) * 0x1p-24
            return sign != 0 ? -v : v
        case 0x1F:
            return Float(bitPattern: sign | 0x7F80_0000 | fraction << 13)   // ±∞ or NaN
        default:
            return Float(bitPattern: sign | UInt32(exponent - 15 + 127) << 23 | fraction << 13)
        }
    }

    /// The numbers as Ints when every one is a whole number in Int's range.
    static func integers(_ numbers: [NSNumber]) -> [Int]? {
        var out: [Int] = []
        for n in numbers {
            let d = n.doubleValue
            guard d.isFinite, d == d.rounded(), abs(d) < 9.0e15 else { return nil }
            out.append(n.intValue)
        }
        return out
    }

    static func jsonString(_ s: String) throws -> String {
        String(decoding: try JSONEncoder().encode(s), as: UTF8.self)
    }

    static func jsonObject(_ m: [String: String]) throws -> String {
        "{" + (try m.keys.sorted().map { "\(try jsonString($0)):\(try jsonString(m[$0]!))" }.joined(separator: ",")) + "}"
    }
}
