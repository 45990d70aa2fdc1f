import Foundation
#if canImport(FoundationXML)
import FoundationXML
#endif
import XCTest

/// `train --log/--plot/--plot-boundary`: one CSV row per epoch in Keras's CSVLogger columns, SVGs
/// that parse as XML, and one clear line for an unwritable path or a dataset that is not 2-D.
final class TrainPlotTests: CLITestCase {
    func wellFormed(_ path: String, file: StaticString = #filePath, line: UInt = #line) throws -> String {
        let text = try String(contentsOfFile: path, encoding: .utf8)
        let p = XMLParser(data: Data(text.utf8))
        XCTAssertTrue(p.parse(), "\(path) is not well-formed XML: \(String(describing: p.parserError))", file: file, line: line)
        return text
    }

    func testLogPlotAndBoundaryAreWritten() throws {
        let (log, plot, boundary) = (dir.appendingPathComponent("m.csv").path, dir.appendingPathComponent("c.svg").path,
                                     dir.appendingPathComponent("b.svg").path)
        let r = try CLI.run(["train", "--dataset", "circles", "--layers", "8", "--activation", "tanh", "--epochs", "4", "--quiet",
                             "--log", log, "--plot", plot, "--plot-boundary", boundary])
        XCTAssertEqual(r.status, 0, r.stderr)
        let rows = try String(contentsOfFile: log, encoding: .utf8).split(separator: "\n")
        XCTAssertEqual(rows.first, "epoch,loss,accuracy,val_loss,val_accuracy,learning_rate,seconds")
        XCTAssertEqual(rows.count, 5, "a header and one row per epoch")
        XCTAssertEqual(rows[4].split(separator: ",", omittingEmptySubsequences: false).count, 7)
        XCTAssertTrue(rows[1].hasPrefix("1,"))
        let curves = try wellFormed(plot)
        XCTAssertTrue(curves.contains("circles: loss") && curves.contains("circles: accuracy") && curves.contains("validation"))
        let map = try wellFormed(boundary)
        XCTAssertTrue(map.contains("decision boundary after 4 epoch(s)"))
        XCTAssertGreaterThan(map.components(separatedBy: "<circle").count - 1, 100, "the training points are drawn")
        // No temporary files are left next to the outputs.
        XCTAssertEqual(try FileManager.default.contentsOfDirectory(atPath: dir.path).filter { $0.contains(".tmp-") }, [])
    }

    func testBadPathsAndDatasetsAreOneLine() throws {
        try assertFails(["train", "--dataset", "circles", "--epochs", "1", "--log", "/proc/nope/m.csv"], "--log")
        try assertFails(["train", "--dataset", "circles", "--epochs", "1", "--plot", "/proc/nope/c.svg"], "--plot")
        try assertFails(["train", "--dataset", "uat", "--loss", "mse", "--epochs", "1", "--plot-boundary", dir.appendingPathComponent("b.svg").path],
                        "needs a classification dataset with 2 features")
        let same = dir.appendingPathComponent("x").path
        try assertFails(["train", "--dataset", "circles", "--epochs", "1", "--log", same, "--plot", same], "name the same file")
    }
}
