import Backprop
import XCTest

/// Bar charts parse as XML, draw one bar per value (heights proportional to the values from a
/// zero baseline), error bars where a spread is given, and label each bar.
final class BarChartTests: XCTestCase {
    func testBarsAreProportionalAndLabelled() {
        let chart = BarChart(title: "Accuracy", yLabel: "accuracy", bars: [.init(label: "least squares", value: 0.4),
                                                                           .init(label: "softmax", value: 0.8, spread: 0.05)])
        let c = SVGCollector.parse(chart.svg)
        let bars = (c.attributes["rect"] ?? []).filter { $0["opacity"] == "0.8" }
        XCTAssertEqual(bars.count, 2)
        let heights = bars.map { Double($0["height"]!)! }
        XCTAssertEqual(heights[1] / heights[0], 2, accuracy: 0.01, "bar heights follow the values")
        XCTAssertTrue(c.texts.contains("least squares") && c.texts.contains("softmax") && c.texts.contains("Accuracy"))
        XCTAssertEqual(c.elements["line"].map { $0 > 0 }, true, "grid and the error bar")
    }
}
