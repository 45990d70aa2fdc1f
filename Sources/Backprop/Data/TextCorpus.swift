import Foundation

/// A text as a sequence of token indices, for language models: the file is read once and held
/// as one `Int32` per token (memory linear in its size).
///
/// Tokens are **bytes** (any file; the vocabulary is the distinct byte values) or **characters**
/// (Unicode scalars of a UTF-8 text — not grapheme clusters, so "é" written as e + U+0301 is two
/// tokens). The vocabulary is the distinct tokens, sorted by value; token i of the vocabulary is
/// class i of the model's output.
public struct TextCorpus: Sendable {
    /// Bytes, or the Unicode scalars of UTF-8 text.
    public enum Tokens: String, Codable, Sendable, CaseIterable {
        case bytes, characters
    }

    public let tokens: Tokens
    public let vocabulary: Vocabulary
    /// The text as vocabulary indices.
    public let ids: [Int32]

    /// Reads `path` once; throws a `DataError` naming the file for an unreadable, empty or (for
    /// characters) non-UTF-8 or binary file.
    public init(path: String, tokens: Tokens) throws {
        guard let data = FileManager.default.contents(atPath: path) else {
            throw DataError(path, FileManager.default.fileExists(atPath: path) ? "cannot be read" : "no such file")
        }
        try self.init(bytes: [UInt8](data), tokens: tokens, source: path)
    }

    /// The tokens of `bytes`; `source` names them in errors.
    public init(bytes: [UInt8], tokens: Tokens, source: String) throws {
        guard !bytes.isEmpty else { throw DataError(source, "is empty: a language model needs text") }
        self.tokens = tokens
        var symbols: [UInt32]
        switch tokens {
        case .bytes:
            symbols = bytes.map(UInt32.init)
        case .characters:
            if let z = bytes.firstIndex(of: 0) {
                throw DataError(source, "is not text: NUL byte at offset \(z) (use --tokens bytes for binary files)")
            }
            symbols = []
            symbols.reserveCapacity(bytes.count)
            var decoder = UTF8()
            var it = bytes.makeIterator()
            var offset = 0
            loop: while true {
                switch decoder.decode(&it) {
                case .scalarValue(let s):
                    symbols.append(s.value)
                    offset += UTF8.width(s)
                case .emptyInput:
                    break loop
                case .error:
                    throw DataError(source, "is not UTF-8 text: invalid byte 0x\(String(bytes[min(offset, bytes.count - 1)], radix: 16)) at offset \(offset) (use --tokens bytes)")
                }
            }
        }
        vocabulary = try Vocabulary(tokens: tokens, symbols: Array(Set(symbols)).sorted())
        var index = [UInt32: Int32](minimumCapacity: vocabulary.count)
        for (i, s) in vocabulary.symbols.enumerated() { index[s] = Int32(i) }
        ids = symbols.map { index[$0]! }
    }

    /// The first `1 − fraction` of the text for training and the rest for validation.
    public func split(validationFraction fraction: Double = 0.1) -> (train: ArraySlice<Int32>, validation: ArraySlice<Int32>) {
        let cut = Int(Double(ids.count) * (1 - fraction))
        return (ids[..<cut], ids[cut...])
    }
}
