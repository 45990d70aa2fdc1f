import Foundation
import XCTest

/// The README's Swift API example is the QuickStart example program (which CI builds and runs),
/// verbatim: so the snippet compiles, and does what it says.
final class DocumentationTests: XCTestCase {
    func testTheReadmeSnippetIsTheQuickStartExample() throws {
        let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
        let readme = try String(contentsOf: root.appendingPathComponent("README.md"), encoding: .utf8)
        let example = try String(contentsOf: root.appendingPathComponent("Examples/Sources/QuickStart/main.swift"), encoding: .utf8)
        let section = try XCTUnwrap(readme.range(of: "## Swift API"), "README has a Swift API section")
        let start = try XCTUnwrap(readme.range(of: "```swift\n", range: section.upperBound..<readme.endIndex))
        let end = try XCTUnwrap(readme.range(of: "```\n", range: start.upperBound..<readme.endIndex))
        XCTAssertEqual(String(readme[start.upperBound..<end.lowerBound]), example)
    }
}
