import Backprop
import Foundation
#if canImport(FoundationXML)
import FoundationXML
#endif
import XCTest

/// The decision-boundary map and the training curves parse as XML and draw what they are given.
final class DecisionBoundaryChartTests: XCTestCase {
    func testTheMapColoursThePlaneByTheClassifierAndDrawsThePoints() {
        let points = Tensor(shape: [4, 2])
        for (i, v) in [Float(-1), -1, 1, 1, -1, 1, 1, -1].enumerated() { points.data[i] = v }
        var chart = DecisionBoundaryChart(title: "x₁ > 0")
        chart.resolution = 10
        var asked = 0
        let svg = chart.svg(points: points, labels: [0, 1, 0, 1]) { grid in
            asked = grid.shape[0]
            return (0..<grid.shape[0]).map { grid.data[2 * $0] > 0 ? 1 : 0 }
        }
        XCTAssertEqual(asked, 100, "a 10×10 grid")
        XCTAssertTrue(XMLParser(data: Data(svg.utf8)).parse())
        XCTAssertEqual(svg.components(separatedBy: "<circle").count - 1, 4)
        // Each grid row is two runs (x₁ < 0, x₁ > 0): 20 cells rectangles, plus background and frame.
        XCTAssertEqual(svg.components(separatedBy: "<rect").count - 1, 20 + 2)
    }

    func testTrainingCurvesHaveLossAndAccuracyPanels() {
        let logs = (1...3).map { EpochLog(epoch: $0, loss: 1 / Float($0), accuracy: 0.5 + 0.1 * Float($0), validationLoss: 1.2 / Float($0),
                                           learningRate: 0.1, seconds: 1) }
        let svg = TrainingCurves.svg(logs, title: "run")
        XCTAssertTrue(XMLParser(data: Data(svg.utf8)).parse())
        XCTAssertTrue(svg.contains("run: loss") && svg.contains("run: accuracy"))
        XCTAssertEqual(svg.components(separatedBy: "<polyline").count - 1, 3, "training and validation loss, training accuracy")
        XCTAssertFalse(TrainingCurves.svg(logs.map { var l = $0; l.accuracy = nil; return l }).contains("accuracy"), "regression: loss only")
    }
}
