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
        XCTAssertTrue(try String(contentsOfFile: out + "/rnn-vs-lstm.md", encoding: .utf8).contains("Verdict:"))
        try assertFails(["experiment", "rnn-vs-lstm", "--lengths", "5", "--steps", "1", "--seeds", "1", "--out", "/proc/nope"], "/proc/nope")
        try assertFails(["experiment", "rnn-vs-lstm", "--lengths", "5,x"], "--lengths")
    }

    /// Every experiment is listed; one built on `Experiment` runs through the shared command
    /// (table, verdict, CSV, SVG) and rejects bad options with one line.
    func testTheSharedExperimentCommand() throws {
        let l = try CLI.run(["experiment", "list"])
        for name in ["lr-vs-fc", "uat", "vanishing-gradients", "exploding-gradients", "initialization", "optimizers", "batch-size",
                     "regularization", "bias-variance", "feature-scaling", "perceptron", "rnn-vs-lstm"] {
            XCTAssertTrue(l.stdout.contains(name + " "), "\(name) missing from the list:\n\(l.stdout)")
        }
        let out = dir.appendingPathComponent("uat").path
        let r = try CLI.run(["experiment", "uat", "--quick", "--seeds", "1", "--out", out, "--backend", "naive"])
        XCTAssertEqual(r.status, 0, r.stderr)
        XCTAssertTrue(r.stdout.contains("Verdict:") && r.stdout.contains("| width |"), r.stdout)
        let csv = try String(contentsOfFile: out + "/uat.csv", encoding: .utf8).split(separator: "\n")
        XCTAssertEqual(csv.first, "width,seed,train_mse,test_mse")
        XCTAssertEqual(csv.count, 1 + 3, "header + 3 widths × 1 seed")
        XCTAssertTrue(try String(contentsOfFile: out + "/uat.svg", encoding: .utf8).contains("<polyline"))
        let md = try String(contentsOfFile: out + "/uat.md", encoding: .utf8)
        XCTAssertTrue(md.contains("| width |") && md.contains("Verdict:"), "the table and the verdict are written too")
        try assertFails(["experiment", "uat", "--quick", "--out", "/proc/nope"], "/proc/nope")
        try assertFails(["experiment", "optimizers", "--seeds", "0"], "--seeds")
        try assertFails(["experiment", "uat", "--quick", "--threads", "0"], "--threads")
    }
}
