import Backprop
import Foundation
import XCTest

/// The SVG line chart parses as XML and draws what it is given: a polyline per series, the title,
/// axis labels, ticks (powers of ten on log axes), escaped text.
final class LineChartTests: XCTestCase {
    func parse(_ svg: String) throws -> SVGCollector { SVGCollector.parse(svg) }

    func testAChartIsWellFormedSVGWithItsSeriesAndLabels() throws {
        var chart = LineChart(title: "Loss & <accuracy>", xLabel: "epoch", yLabel: "loss",
                              series: [.init(name: "SGD", points: [(1, 1.0), (2, 0.5), (3, 0.25)]),
                                       .init(name: "Adam", points: [(1, 0.8), (2, 0.1), (3, 0.01)], spread: [0.1, 0.01, 0.001])])
        chart.logY = true
        let c = try parse(chart.svg)
        XCTAssertEqual(c.elements["svg"], 1)
        XCTAssertEqual(c.elements["polyline"], 2)
        XCTAssertEqual(c.elements["circle"], 6)
        XCTAssertTrue(c.texts.contains("Loss & <accuracy>"), "\(c.texts)")
        XCTAssertTrue(c.texts.contains("SGD") && c.texts.contains("Adam") && c.texts.contains("epoch") && c.texts.contains("loss"))
        for decade in ["0.01", "0.1", "1"] { XCTAssertTrue(c.texts.contains(decade), "log tick \(decade) missing: \(c.texts)") }
        let twoPanels = try parse(LineChart.document([chart, chart]))
        XCTAssertEqual(twoPanels.elements["polyline"], 4)
        XCTAssertEqual(twoPanels.elements["g"], 2)
    }

    func testLinearTicksAreRoundNumbers() {
        XCTAssertEqual(LineChart.ticks(0, 1, log: false).map { ($0 * 1e9).rounded() / 1e9 }, [0, 0.2, 0.4, 0.6, 0.8, 1])
        XCTAssertEqual(LineChart.ticks(1e-6, 1, log: true).first, 1e-6)
        XCTAssertEqual(LineChart.ticks(0.3, 2.5, log: true).map { ($0 * 1e9).rounded() / 1e9 }, [0.5, 1, 2], "1-2-5 steps within two decades")
        XCTAssertEqual(LineChart.label(2e-5, log: true), "2e-05")
        XCTAssertEqual(LineChart.label(1e-5, log: true), "1e-5")
    }

    func testAScatterSeriesIsPointsWithoutALine() throws {
        let chart = LineChart(title: "scatter", xLabel: "x", yLabel: "y",
                              series: [.init(name: "points", points: (0..<100).map { (Double($0), Double($0 % 7)) }, scatter: true)])
        let c = try parse(chart.svg)
        XCTAssertEqual(c.elements["polyline"], nil, "no line through a scatter")
        XCTAssertEqual(c.elements["circle"], 100, "every point drawn, however many")
    }
}
