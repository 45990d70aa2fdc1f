/// The tokens a language model knows, in class order, saved with the model (`vocabulary`
/// metadata) so that sampling can turn classes back into text and a prime into classes.
public struct Vocabulary: Codable, Equatable, Sendable {
    public let tokens: TextCorpus.Tokens
    /// Byte values (0…255) or Unicode scalar values, strictly increasing.
    public let symbols: [UInt32]

    /// Validates the symbols: non-empty, strictly increasing, bytes below 256, valid scalars.
    public init(tokens: TextCorpus.Tokens, symbols: [UInt32]) throws {
        guard !symbols.isEmpty else { throw ConfigurationError("empty vocabulary") }
        for (i, s) in symbols.enumerated() {
            guard i == 0 || s > symbols[i - 1] else { throw ConfigurationError("vocabulary symbols must be distinct and increasing (at \(i))") }
            guard tokens == .characters ? Unicode.Scalar(s) != nil : s < 256 else {
                throw ConfigurationError("vocabulary symbol \(s) at \(i) is not a \(tokens == .bytes ? "byte" : "Unicode scalar")")
            }
        }
        self.tokens = tokens
        self.symbols = symbols
    }

    public init(from decoder: any Decoder) throws {
        let c = try decoder.container(keyedBy: CodingKeys.self)
        try self.init(tokens: try c.decode(TextCorpus.Tokens.self, forKey: .tokens), symbols: try c.decode([UInt32].self, forKey: .symbols))
    }

    public var count: Int { symbols.count }

    /// The classes of `text`'s tokens; throws naming the first token the vocabulary lacks.
    public func encode(_ text: String) throws -> [Int32] {
        let values: [UInt32] = tokens == .bytes ? Array(text.utf8).map(UInt32.init) : text.unicodeScalars.map(\.value)
        return try values.map { v in
            guard let i = index(of: v) else {
                let shown = tokens == .bytes ? "byte 0x\(String(v, radix: 16))" : "character '\(Unicode.Scalar(v).map { String($0).debugDescription.dropFirst().dropLast() } ?? "?")' (U+\(String(v, radix: 16, uppercase: true)))"
                throw ConfigurationError("the \(shown) is not in the model's vocabulary of \(count) \(tokens == .bytes ? "bytes" : "characters")")
            }
            return Int32(i)
        }
    }

    /// The vocabulary index of a symbol, if known (binary search).
    public func index(of symbol: UInt32) -> Int? {
        var (lo, hi) = (0, symbols.count)
        while lo < hi {
            let mid = (lo + hi) / 2
            if symbols[mid] < symbol { lo = mid + 1 } else { hi = mid }
        }
        return lo < symbols.count && symbols[lo] == symbol ? lo : nil
    }

    /// The bytes of the text the classes stand for (UTF-8 for characters).
    public func decode<C: Sequence>(_ classes: C) -> [UInt8] where C.Element == Int32 {
        var out: [UInt8] = []
        for c in classes {
            let s = symbols[Int(c)]
            if tokens == .bytes { out.append(UInt8(s)) } else { out.append(contentsOf: Array(String(Unicode.Scalar(s)!).utf8)) }
        }
        return out
    }
}
