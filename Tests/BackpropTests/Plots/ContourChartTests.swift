import Backprop
import Foundation
import XCTest

/// Contour lines by marching squares: on f = x² + y² the segments of level r² lie on the circle
/// of radius r; the chart parses as XML with a path per level and a polyline per optimiser path.
final class ContourChartTests: XCTestCase {
    func testSegmentsOfACircleLieOnIt() {
        let n = 40
        // Grid coordinates (i, j) ↦ (x, y) = (−2 + 4i/n, −2 + 4j/n).
        let z = (0...n).map { j in (0...n).map { i -> Double in
            let x = -2 + 4 * Double(i) / Double(n), y = -2 + 4 * Double(j) / Double(n)
            return x * x + y * y
        } }
        let segments = ContourChart.segments(z, level: 1)
        XCTAssertGreaterThan(segments.count, 20)
        for (a, b) in segments {
            for p in [a, b] {
                let x = -2 + 4 * p.0 / Double(n), y = -2 + 4 * p.1 / Double(n)
                XCTAssertEqual((x * x + y * y).squareRoot(), 1, accuracy: 0.02)
            }
        }
        XCTAssertTrue(ContourChart.segments(z, level: 100).isEmpty, "no crossing above the maximum")
    }

    func testTheChartDrawsLevelsAndPaths() {
        var chart = ContourChart(title: "Bowl", xLabel: "x", yLabel: "y", x: -2...2, y: -2...2, resolution: 30, levels: [0.5, 1, 2]) { $0 * $0 + $1 * $1 }
        chart.paths = [LineChart.Series(name: "sgd", points: [(-1.5, 1.5), (-0.5, 0.5), (0, 0)])]
        chart.marked = (0, 0)
        let c = SVGCollector.parse(chart.svg)
        XCTAssertEqual(c.elements["path"], 3, "one path per level")
        XCTAssertEqual(c.elements["polyline"], 1)
        XCTAssertTrue(c.texts.contains("sgd") && c.texts.contains("Bowl"))
        XCTAssertEqual(chart.svg, chart.svg, "deterministic output")
    }
}
