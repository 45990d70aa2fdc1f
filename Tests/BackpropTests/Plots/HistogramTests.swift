import Backprop
import XCTest

/// Histograms bin values into fractions that sum to 1 (outliers in the end bins) and draw one
/// outlined step path per sample, with a legend.
final class HistogramTests: XCTestCase {
    func testFractionsSumToOneAndLandInTheirBins() {
        let f = Histogram.fractions([0.05, 0.15, 0.15, 0.95, 7, -3, .nan], bins: 10, lo: 0, hi: 1)
        XCTAssertEqual(f.reduce(0, +), 1, accuracy: 1e-12)
        XCTAssertEqual(f[0], 2.0 / 6, accuracy: 1e-12, "0.05 and the outlier −3")
        XCTAssertEqual(f[1], 2.0 / 6, accuracy: 1e-12)
        XCTAssertEqual(f[9], 2.0 / 6, accuracy: 1e-12, "0.95 and the outlier 7")
    }

    func testEachSampleIsAPathWithALegend() {
        var h = Histogram(title: "Weights", xLabel: "w", samples: [.init(name: "none", values: (0..<100).map { Double($0) / 100 }),
                                                                   .init(name: "L1", values: Array(repeating: 0, count: 50))])
        h.logCount = true
        let c = SVGCollector.parse(h.svg)
        XCTAssertEqual(c.elements["path"], 2)
        XCTAssertTrue(c.texts.contains("none") && c.texts.contains("L1") && c.texts.contains("fraction of values"))
    }
}
