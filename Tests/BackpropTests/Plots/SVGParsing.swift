import Foundation
#if canImport(FoundationXML)
import FoundationXML
#endif
import XCTest

/// What the plot tests read back from an SVG: element counts, text contents, and attributes of
/// chosen elements; parsing fails the test if the document is not well-formed XML.
final class SVGCollector: NSObject, XMLParserDelegate {
    var elements: [String: Int] = [:]
    var texts: [String] = []
    var attributes: [String: [[String: String]]] = [:]
    private var current = ""

    func parser(_ parser: XMLParser, didStartElement name: String, namespaceURI: String?, qualifiedName: String?,
                attributes a: [String: String] = [:]) {
        elements[name, default: 0] += 1
        attributes[name, default: []].append(a)
        current = ""
    }
    func parser(_ parser: XMLParser, foundCharacters string: String) { current += string }
    func parser(_ parser: XMLParser, didEndElement name: String, namespaceURI: String?, qualifiedName: String?) {
        if name == "text" { texts.append(current) }
    }

    static func parse(_ svg: String, file: StaticString = #filePath, line: UInt = #line) -> SVGCollector {
        let p = XMLParser(data: Data(svg.utf8)), c = SVGCollector()
        p.delegate = c
        XCTAssertTrue(p.parse(), "SVG is not well-formed XML: \(String(describing: p.parserError))", file: file, line: line)
        return c
    }
}
