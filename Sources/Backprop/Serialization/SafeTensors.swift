import Foundation

/// The safetensors format: an 8-byte little-endian header length N, N bytes of JSON header
/// (each tensor's `dtype`, `shape` and `data_offsets` [begin, end) relative to the data start;
/// an optional `__metadata__` object of strings), then the raw little-endian data, C order,
/// with no holes. Only F32 tensors are written and read here.
public enum SafeTensors {
    /// Writes `tensors` (in order) and `metadata` to `path`, atomically: a temporary file in the
    /// same folder, renamed over the destination.
    public static func write(_ tensors: [(name: String, tensor: Tensor)], metadata: [String: String], to path: String) throws {
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
            for i in 0..<t.count {
                var bits = t.data[i].bitPattern.littleEndian
                withUnsafeBytes(of: &bits) { out.append(contentsOf: $0) }
            }
        }
        try AtomicFile.write(out, to: path)
    }

    /// Reads every tensor and the metadata of `path`, validating the layout.
    public static func read(_ path: String) throws -> (tensors: [String: Tensor], order: [String], metadata: [String: String]) {
        guard FileManager.default.fileExists(atPath: path) else { throw DataError(path, "no such file") }
        guard let data = FileManager.default.contents(atPath: path) else { throw DataError(path, "cannot read the file") }
        let bytes = [UInt8](data)
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
        var entries: [(name: String, shape: [Int], begin: Int, end: Int)] = []
        for (name, value) in header where name != "__metadata__" {
            guard let info = value as? [String: Any],
                  let dtype = info["dtype"] as? String,
                  let shape = (info["shape"] as? [NSNumber])?.map(\.intValue),
                  let offsets = (info["data_offsets"] as? [NSNumber])?.map(\.intValue), offsets.count == 2 else {
                throw DataError(path, "tensor '\(name)': needs dtype, shape and data_offsets [begin, end]")
            }
            guard dtype == "F32" else { throw DataError(path, "tensor '\(name)': dtype \(dtype); only F32 is supported") }
            guard shape.allSatisfy({ $0 >= 0 }) else { throw DataError(path, "tensor '\(name)': negative dimension in \(shape)") }
            let count = shape.reduce(1, *)
            guard offsets[0] >= 0, offsets[1] >= offsets[0], offsets[1] - offsets[0] == count * 4 else {
                throw DataError(path, "tensor '\(name)': data_offsets \(offsets) hold \(offsets[1] - offsets[0]) bytes; shape \(shape) needs \(count * 4)")
            }
            guard offsets[1] <= dataSize else {
                throw DataError(path, "tensor '\(name)': data ends at byte \(offsets[1]) but the file has \(dataSize) data bytes (truncated)")
            }
            entries.append((name, shape, offsets[0], offsets[1]))
        }
        entries.sort { $0.begin < $1.begin }
        var expected = 0
        for e in entries {
            guard e.begin == expected else { throw DataError(path, "tensor '\(e.name)': data starts at \(e.begin), expected \(expected) (holes or overlaps)") }
            expected = e.end
        }
        guard expected == dataSize else { throw DataError(path, "\(dataSize) data bytes but the tensors cover \(expected)") }
        var tensors: [String: Tensor] = [:]
        for e in entries {
            let t = Tensor(shape: e.shape)
            for i in 0..<t.count {
                let o = headerEnd + e.begin + 4 * i
                let bits = UInt32(bytes[o]) | UInt32(bytes[o + 1]) << 8 | UInt32(bytes[o + 2]) << 16 | UInt32(bytes[o + 3]) << 24
                t.data[i] = Float(bitPattern: bits)
            }
            tensors[e.name] = t
        }
        return (tensors, entries.map(\.name), metadata)
    }

    static func jsonString(_ s: String) throws -> String {
        String(decoding: try JSONEncoder().encode(s), as: UTF8.self)
    }

    static func jsonObject(_ m: [String: String]) throws -> String {
        "{" + (try m.keys.sorted().map { "\(try jsonString($0)):\(try jsonString(m[$0]!))" }.joined(separator: ",")) + "}"
    }
}

/// Writes files atomically: to a temporary name in the same folder, then renamed into place, so a
/// crash never leaves half a file under the real name.
public enum AtomicFile {
    public static func write(_ data: Data, to path: String) throws {
        let url = URL(fileURLWithPath: path)
        let dir = url.deletingLastPathComponent()
        guard FileManager.default.fileExists(atPath: dir.path) else {
            throw DataError(path, "folder \(dir.path) does not exist")
        }
        let tmp = dir.appendingPathComponent(".\(url.lastPathComponent).tmp-\(ProcessInfo.processInfo.processIdentifier)")
        do {
            try data.write(to: tmp)
            if rename(tmp.path, url.path) != 0 {
                throw DataError(path, "cannot rename the temporary file into place (errno \(errno))")
            }
        } catch let e as DataError {
            try? FileManager.default.removeItem(at: tmp)
            throw e
        } catch {
            try? FileManager.default.removeItem(at: tmp)
            throw DataError(path, "cannot write: \(error.localizedDescription)")
        }
    }
}
