import Backprop
import Foundation
import XCTest

final class CSVReaderTests: XCTestCase {
    func message(_ text: String) -> String {
        do { _ = try CSVReader.parse(text, source: "f.csv"); return "no error" } catch { return "\(error)" }
    }

    func testParsesWithAndWithoutHeader() throws {
        let t = try CSVReader.parse("a,b,label\n1, 2.5,0\n\n-3,4e2,1\r\n", source: "f.csv")
        XCTAssertEqual(t.header, ["a", "b", "label"])
        XCTAssertEqual(t.rows, [[1, 2.5, 0], [-3, 400, 1]])
        XCTAssertNil(try CSVReader.parse("1,2\n3,4", source: "f.csv").header)
    }

    func testErrorsNameLineAndColumn() {
        XCTAssertEqual(message("1,2,3\n4,x,6\n"), "f.csv: line 2, column 2: not a number: 'x'")
        XCTAssertEqual(message("1,2,3\n4,5\n"), "f.csv: line 2: 2 fields, expected 3 like the first row")
        XCTAssertEqual(message(""), "f.csv: no data rows")
        XCTAssertEqual(message("a,b\n"), "f.csv: no data rows")
        XCTAssertEqual(message("1,2\n3,nan\n"), "f.csv: line 2, column 2: not a finite number: 'nan'")
    }

    func testDatasetFromCSV() throws {
        let path = FileManager.default.temporaryDirectory.appendingPathComponent("d-\(UUID().uuidString).csv").path
        try "x,y,c\n0.5,1,0\n2,3,2\n-1,0,1\n".write(toFile: path, atomically: true, encoding: .utf8)
        defer { try? FileManager.default.removeItem(atPath: path) }
        let ds = try CSVReader.dataset(path, regression: false)
        XCTAssertEqual(ds.features.array, [0.5, 1, 2, 3, -1, 0])
        XCTAssertEqual(ds.labels, [0, 2, 1])
        XCTAssertEqual(ds.classes, 3)
        let reg = try CSVReader.dataset(path, labelColumn: 0, regression: true)
        XCTAssertEqual(reg.targets.array, [0.5, 2, -1])
        XCTAssertEqual(reg.features.array, [1, 0, 3, 2, 0, 1])
        try "1,2,0.5\n".write(toFile: path, atomically: true, encoding: .utf8)
        XCTAssertThrowsError(try CSVReader.dataset(path, regression: false)) { e in
            XCTAssertTrue("\(e)".contains("line 1, column 3: label 0.5 is not a class index"), "\(e)")
        }
    }
}
