// Data-parallel training needs the build with the MPI trait (`swift test --traits MPI`, as the
// README's test command runs it) and Open MPI's `mpirun`.
#if MPI
import Backprop
import Foundation
import XCTest

/// `mpirun -np 2 backprop train --distributed`: equivalent to one process with the same global
/// batch, bit-identical between identical runs, resumable, and a failing rank stops the job.
final class DistributedTests: CLITestCase {
    let mpirun = URL(fileURLWithPath: "/usr/bin/mpirun")
    /// Two ranks on this 2-core machine; as root, Open MPI wants to be told.
    let launch = ["--allow-run-as-root", "--oversubscribe", "--bind-to", "none"]
    /// 900 training rows in global batches of 33 (not divisible by 2: slices of 17 and 16), 4
    /// epochs: 112 steps. No dropout: its masks are drawn per rank, so only runs of the same rank
    /// count share them.
    let run = ["train", "--dataset", "moons", "--layers", "32,16", "--batch-size", "33", "--epochs", "4", "--lr", "0.01",
               "--l2", "0.001", "--clip-norm", "5", "--backend", "simd", "--quiet"]

    func distributed(_ ranks: Int, _ args: [String]) throws -> CLI.Result {
        try CLI.run(mpirun, launch + ["-np", "\(ranks)", CLI.binary.path] + args + ["--distributed"])
    }

    func weights(_ path: String) throws -> [String: [Float]] {
        try SafeTensors.read(path).tensors.mapValues(\.array)
    }

    /// The test that matters: N processes with a global batch B give the weights one process with
    /// batch B gives, up to float summation order. Tolerance: 1e-4 relative per weight after 112
    /// steps (measured: see the printed figure; ~1e-6).
    func testTwoRanksEqualOneProcessWithTheWholeBatch() throws {
        let one = dir.appendingPathComponent("one.safetensors").path, two = dir.appendingPathComponent("two.safetensors").path
        let a = try CLI.run(run + ["--save", one])
        XCTAssertEqual(a.status, 0, a.stderr)
        let b = try distributed(2, run + ["--save", two])
        XCTAssertEqual(b.status, 0, b.stderr)
        XCTAssertTrue(b.stdout.contains("all-reduce:"), b.stdout)
        let wa = try weights(one), wb = try weights(two)
        XCTAssertEqual(Set(wa.keys), Set(wb.keys))
        var worst: Float = 0
        for (k, va) in wa {
            for (x, y) in zip(va, wb[k]!) { worst = max(worst, abs(x - y) / max(abs(x), 1e-3)) }
        }
        print("2 ranks vs 1 process, 112 steps: largest relative weight difference \(worst)")
        XCTAssertLessThan(worst, 1e-4)
        XCTAssertGreaterThan(worst, 0, "the two differ only by summation order; equal would suggest the ranks did not split the batch")
        // The printed losses agree to the printed digits.
        XCTAssertEqual(a.stdout.split(separator: "|").first, b.stdout.split(separator: "|").first)
    }

    func testIdenticalDistributedRunsAreBitIdenticalAndResume() throws {
        var files: [Data] = []
        for i in 0..<2 {
            let path = dir.appendingPathComponent("run\(i).safetensors").path
            let r = try distributed(2, run + ["--save", path])
            XCTAssertEqual(r.status, 0, r.stderr)
            files.append(try Data(contentsOf: URL(fileURLWithPath: path)))
        }
        XCTAssertEqual(files[0], files[1], "two identical distributed runs")
        // Checkpoint after 2 epochs, resume for the other 2: the uninterrupted run's bytes.
        let ck = dir.appendingPathComponent("ck").path, resumed = dir.appendingPathComponent("resumed.safetensors").path
        let s = try distributed(2, run + ["--checkpoint", ck, "--stop-after", "2"])
        XCTAssertEqual(s.status, 0, s.stderr)
        let r = try distributed(2, ["train", "--resume", ck, "--backend", "simd", "--quiet", "--save", resumed])
        XCTAssertEqual(r.status, 0, r.stderr)
        XCTAssertEqual(try Data(contentsOf: URL(fileURLWithPath: resumed)), files[0], "resumed distributed run")
    }

    /// A rank given a missing data file stops the whole job within seconds, with a message
    /// naming the rank and the file, and a non-zero exit; no model file is left.
    func testARankThatFailsStopsTheJob() throws {
        let model = dir.appendingPathComponent("never.safetensors").path
        let good = ["train", "--dataset", "moons", "--epochs", "50", "--save", model, "--distributed"]
        let bad = ["train", "--dataset", "csv:/nope/missing.csv", "--epochs", "50", "--save", model, "--distributed"]
        let t0 = Date()
        let r = try CLI.run(mpirun, launch + ["-np", "1", CLI.binary.path] + good + [":", "-np", "1", CLI.binary.path] + bad)
        let seconds = Date().timeIntervalSince(t0)
        XCTAssertNotEqual(r.status, 0)
        XCTAssertLessThan(seconds, 30, "no hang")
        XCTAssertTrue(r.stderr.contains("rank 1 of 2: /nope/missing.csv: no such file"), r.stderr)
        XCTAssertFalse(FileManager.default.fileExists(atPath: model), "no partial model file")
    }
}
#endif
