import Foundation
import XCTest

/// `backprop experiment`: the list, a tiny rnn-vs-lstm run writing its table, verdict, CSV and
/// SVG, and a clear error for an unwritable output folder. (The claim itself is asserted by
/// `LongDependencyExperimentTests` on the quick version.)
final class ExperimentTests: CLITestCase {
    func testListAndATinyRunWriteCSVAndSVG() throws {
        let l = try CLI.run(["experiment", "list"])
        XCTAssertEqual(l.status, 0, l.stderr)
        XCTAssertTrue(l.stdout.contains("rnn-vs-lstm"), l.stdout)
        let out = dir.appendingPathComponent("ex").path
        let r = try CLI.run(["experiment", "rnn-vs-lstm", "--lengths", "5,8", "--steps", "5", "--seeds", "2", "--out", out])
        XCTAssertEqual(r.status, 0, r.stderr)
        XCTAssertTrue(r.stdout.contains("Verdict:"), r.stdout)
        let csv = try String(contentsOfFile: out + "/rnn-vs-lstm.csv", encoding: .utf8).split(separator: "\n")
        XCTAssertEqual(csv.count, 1 + 2 * 3 * 2, "header + lengths × cells × seeds")
        XCTAssertTrue(csv[0].hasPrefix("cell,hidden,parameters,length,seed,test_mse"))
        let svg = try String(contentsOfFile: out + "/rnn-vs-lstm.svg", encoding: .utf8)
        XCTAssertTrue(svg.contains("<svg") && svg.contains("polyline"))
        try assertFails(["experiment", "rnn-vs-lstm", "--lengths", "5", "--steps", "1", "--seeds", "1", "--out", "/proc/nope"], "/proc/nope")
        try assertFails(["experiment", "rnn-vs-lstm", "--lengths", "5,x"], "--lengths")
    }
}
