import CZlib
import Foundation

/// gzip decompression with zlib, streamed, with a bound on the output: a small file that
/// inflates to gigabytes (a decompression bomb) is stopped as soon as it exceeds what it may
/// hold, before the memory is spent.
enum Gzip {
    /// The most bytes a gzip stream may inflate to when its contents do not say: 4 GiB.
    static let maximumOutput = 4 << 30

    /// Inflates `input`. After each chunk, `limit` sees the output so far and returns the most
    /// bytes the whole output may have (nil: not known yet, `maximumOutput` applies); it may
    /// throw to reject the contents early.
    static func inflate(_ input: [UInt8], source: String, limit: ([UInt8]) throws -> Int? = { _ in nil }) throws -> [UInt8] {
        var stream = z_stream()
        guard inflateInit2_(&stream, 16 + MAX_WBITS, ZLIB_VERSION, Int32(MemoryLayout<z_stream>.size)) == Z_OK else {
            throw DataError(source, "cannot initialise zlib")
        }
        defer { inflateEnd(&stream) }
        var output = [UInt8]()
        var chunk = [UInt8](repeating: 0, count: 1 << 16)
        var input = input
        var allowed = maximumOutput
        var status: Int32 = Z_OK
        try input.withUnsafeMutableBufferPointer { inp in
            stream.next_in = inp.baseAddress
            stream.avail_in = UInt32(inp.count)
            repeat {
                chunk.withUnsafeMutableBufferPointer { out in
                    stream.next_out = out.baseAddress
                    stream.avail_out = UInt32(out.count)
                    status = CZlib.inflate(&stream, Z_NO_FLUSH)
                    output.append(contentsOf: out[0..<(out.count - Int(stream.avail_out))])
                }
                if let l = try limit(output) { allowed = min(allowed, l) }
                guard output.count <= allowed else {
                    throw DataError(source, at: "offset \(stream.total_in)",
                                    "inflates to more than the \(allowed) bytes its contents may hold; stopped (a decompression bomb?)")
                }
            } while status == Z_OK
        }
        switch status {
        case Z_STREAM_END: return output
        case Z_BUF_ERROR: throw DataError(source, at: "offset \(stream.total_in)", "truncated gzip stream")
        default: throw DataError(source, at: "offset \(stream.total_in)", "corrupt gzip data (zlib error \(status))")
        }
    }
}
