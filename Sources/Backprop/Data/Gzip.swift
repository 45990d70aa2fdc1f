import CZlib
import Foundation

/// gzip decompression with zlib.
enum Gzip {
    static func inflate(_ input: [UInt8], source: String) throws -> [UInt8] {
        var stream = z_stream()
        guard inflateInit2_(&stream, 16 + MAX_WBITS, ZLIB_VERSION, Int32(MemoryLayout<z_stream>.size)) == Z_OK else {
            throw DataError(source, "cannot initialise zlib")
        }
        defer { inflateEnd(&stream) }
        var output = [UInt8]()
        output.reserveCapacity(input.count * 4)
        var chunk = [UInt8](repeating: 0, count: 1 << 20)
        var input = input
        let status: Int32 = input.withUnsafeMutableBufferPointer { inp in
            stream.next_in = inp.baseAddress
            stream.avail_in = UInt32(inp.count)
            var s: Int32 = Z_OK
            repeat {
                chunk.withUnsafeMutableBufferPointer { out in
                    stream.next_out = out.baseAddress
                    stream.avail_out = UInt32(out.count)
                    s = CZlib.inflate(&stream, Z_NO_FLUSH)
                    output.append(contentsOf: out[0..<(out.count - Int(stream.avail_out))])
                }
            } while s == Z_OK
            return s
        }
        switch status {
        case Z_STREAM_END: return output
        case Z_BUF_ERROR: throw DataError(source, at: "offset \(stream.total_in)", "truncated gzip stream")
        default: throw DataError(source, at: "offset \(stream.total_in)", "corrupt gzip data (zlib error \(status))")
        }
    }
}
