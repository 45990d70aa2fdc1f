import Backprop
import XCTest

/// A figure places charts of any kind side by side: one group per chart, translated by the widths
/// before it, in a document as wide as all of them.
final class ChartTests: XCTestCase {
    func testAFigureLaysChartsSideBySide() {
        let line = LineChart(title: "a", xLabel: "x", yLabel: "y", series: [.init(name: "s", points: [(0, 0), (1, 1)])])
        let bars = BarChart(title: "b", yLabel: "v", bars: [.init(label: "one", value: 1)])
        let c = SVGCollector.parse(Figure.svg([line, bars]))
        XCTAssertEqual(c.elements["g"], 2)
        let groups = c.attributes["g"]!.map { $0["transform"]! }
        XCTAssertEqual(groups, ["translate(0.00,0)", "translate(\(String(format: "%.2f", line.width)),0)"])
        XCTAssertEqual(c.attributes["svg"]![0]["width"], String(format: "%.2f", line.width + bars.width))
    }

    func testMoreThanThreeChartsWrapIntoRows() {
        let line = LineChart(title: "a", xLabel: "x", yLabel: "y", series: [.init(name: "s", points: [(0, 0), (1, 1)])])
        let c = SVGCollector.parse(Figure.svg([line, line, line, line]))
        let groups = c.attributes["g"]!.map { $0["transform"]! }
        XCTAssertEqual(groups.count, 4)
        XCTAssertEqual(groups[2], "translate(0.00,\(String(format: "%.2f", line.height)))", "two per row")
        XCTAssertEqual(c.attributes["svg"]![0]["height"], String(format: "%.2f", 2 * line.height))
    }
}
