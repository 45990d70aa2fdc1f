import Backprop
import XCTest

/// Texts as tokens: bytes or Unicode scalars, the sorted vocabulary, the 90/10 split, and the
/// errors for empty, binary and non-UTF-8 input; the vocabulary's encode/decode and its checks.
final class TextCorpusTests: XCTestCase {
    func testBytesAndCharactersGiveTheirVocabularies() throws {
        let text = Array("héllo, hé".utf8)
        let bytes = try TextCorpus(bytes: text, tokens: .bytes, source: "t")
        XCTAssertEqual(bytes.ids.count, text.count)
        XCTAssertEqual(bytes.vocabulary.symbols, Array(Set(text)).sorted().map(UInt32.init))
        let chars = try TextCorpus(bytes: text, tokens: .characters, source: "t")
        XCTAssertEqual(chars.ids.count, 9, "é is one scalar, two bytes")
        XCTAssertEqual(chars.vocabulary.symbols, [32, 44, 104, 108, 111, 233])
        XCTAssertEqual(chars.vocabulary.decode(chars.ids), text, "decode(encode) is the text")
        XCTAssertEqual(try chars.vocabulary.encode("hé"), [2, 5])
        let (train, validation) = try TextCorpus(bytes: Array(repeating: 65, count: 100), tokens: .bytes, source: "t").split()
        XCTAssertEqual(train.count, 90)
        XCTAssertEqual(validation.count, 10)
    }

    func testBadTextsAreErrorsNamingTheProblem() {
        func message(_ bytes: [UInt8], _ tokens: TextCorpus.Tokens) -> String {
            do { _ = try TextCorpus(bytes: bytes, tokens: tokens, source: "f.txt"); return "no error" } catch { return "\(error)" }
        }
        XCTAssertTrue(message([], .bytes).contains("is empty"), message([], .bytes))
        XCTAssertTrue(message([104, 0, 105], .characters).contains("NUL byte at offset 1"))
        XCTAssertTrue(message([104, 105, 0xFF, 0x41], .characters).contains("not UTF-8"), message([104, 105, 0xFF], .characters))
        XCTAssertEqual(message([104, 0, 0xFF], .bytes), "no error", "any file is bytes")
        let v = try! TextCorpus(bytes: Array("abc".utf8), tokens: .characters, source: "t").vocabulary
        XCTAssertThrowsError(try v.encode("abz")) { XCTAssertTrue("\($0)".contains("'z'"), "\($0)") }
        XCTAssertThrowsError(try Vocabulary(tokens: .bytes, symbols: [3, 2]))
        XCTAssertThrowsError(try Vocabulary(tokens: .bytes, symbols: [300]))
        XCTAssertThrowsError(try Vocabulary(tokens: .characters, symbols: [0xD800]), "a surrogate is not a scalar")
    }
}
