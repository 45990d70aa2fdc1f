import Foundation
import XCTest

/// Exact resume and crash safety of `backprop train --checkpoint/--resume`.
final class CheckpointTests: CLITestCase {
    /// A run that exercises every piece of state a resume must restore: shuffling, dropout
    /// masks, Adam's moments and step, the cosine schedule's position, L2 and clipping, a
    /// validation split, early stopping's best value and weights, two threads.
    let run = ["train", "--dataset", "moons", "--layers", "32,16", "--dropout", "0.2", "--batch-size", "32", "--lr", "0.01",
               "--l2", "0.001", "--clip-norm", "5", "--early-stopping", "50", "--threads", "2", "--epochs", "4"]

    /// The printed loss of each epoch, without the timing.
    func epochLines(_ stdout: String) -> [String] {
        stdout.split(separator: "\n").filter { $0.hasPrefix("epoch ") }.map { line in
            String(line[..<line.range(of: "| lr")!.lowerBound])
        }
    }

    func testFourEpochsEqualTwoPlusAResumeForTwoBitForBit() throws {
        for backend in ["simd", "blas"] {
            let straight = dir.appendingPathComponent("straight-\(backend).safetensors").path
            let resumed = dir.appendingPathComponent("resumed-\(backend).safetensors").path
            let ckA = dir.appendingPathComponent("ckA-\(backend)").path, ckB = dir.appendingPathComponent("ckB-\(backend)").path
            let a = try CLI.run(run + ["--backend", backend, "--checkpoint", ckA, "--save", straight])
            XCTAssertEqual(a.status, 0, a.stderr)
            let b1 = try CLI.run(run + ["--backend", backend, "--checkpoint", ckB, "--stop-after", "2"])
            XCTAssertEqual(b1.status, 0, b1.stderr)
            XCTAssertTrue(b1.stdout.contains("stopped after epoch 2 of 4"), b1.stdout)
            let b2 = try CLI.run(["train", "--resume", ckB, "--backend", backend, "--threads", "2", "--save", resumed])
            XCTAssertEqual(b2.status, 0, b2.stderr)
            XCTAssertTrue(b2.stdout.contains("resuming \(ckB) after epoch 2 of 4"), b2.stdout)
            let linesA = epochLines(a.stdout), linesB = epochLines(b1.stdout) + epochLines(b2.stdout)
            XCTAssertEqual(linesA.count, 4)
            XCTAssertEqual(linesA, linesB, "\(backend): printed losses")
            let bytesA = try Data(contentsOf: URL(fileURLWithPath: straight)), bytesB = try Data(contentsOf: URL(fileURLWithPath: resumed))
            XCTAssertEqual(bytesA, bytesB, "\(backend): the model files are byte-identical")
            XCTAssertEqual(testLine(a.stdout), testLine(b2.stdout))
        }
    }

    func testLine(_ s: String) -> String? {
        s.split(separator: "\n").first { $0.hasPrefix("test loss") }.map { String($0[..<$0.range(of: "|")!.lowerBound]) }
    }

    /// A resumed run keeps its options; changing one is an error, not a silently different run.
    func testResumeRefusesChangedOptionsAndMissingCheckpoints() throws {
        let ck = dir.appendingPathComponent("ck").path
        let a = try CLI.run(run + ["--checkpoint", ck, "--stop-after", "1", "--quiet"])
        XCTAssertEqual(a.status, 0, a.stderr)
        try assertFails(["train", "--resume", ck, "--lr", "0.5"], "--resume: --lr 0.5 differs from the checkpoint's 0.01")
        try assertFails(["train", "--resume", dir.appendingPathComponent("none").path], "no checkpoint here (expected checkpoint.safetensors)")
        let notOne = try file("checkpoint.safetensors", "not a checkpoint")
        try assertFails(["train", "--resume", URL(fileURLWithPath: notOne).deletingLastPathComponent().path], "not a safetensors file")
        try assertFails(["train", "--checkpoint-every", "0", "--checkpoint", ck], "--checkpoint-every must be ≥ 1, got 0")
    }

    /// Starts `args` and returns the process (output discarded).
    func start(_ args: [String], environment: [String: String] = [:]) throws -> Process {
        let p = Process()
        p.executableURL = CLI.binary
        p.arguments = args
        var env = ProcessInfo.processInfo.environment
        env.removeValue(forKey: "BACKPROP_BACKEND")
        for (k, v) in environment { env[k] = v }
        p.environment = env
        p.standardOutput = FileHandle.nullDevice
        p.standardError = FileHandle.nullDevice
        try p.run()
        return p
    }

    func temporaryFiles(_ ck: String) -> [String] {
        ((try? FileManager.default.contentsOfDirectory(atPath: ck)) ?? []).filter { $0.hasPrefix(".checkpoint.safetensors.tmp-") }
    }

    /// Waits (up to 60 s) until `condition` holds.
    func wait(_ what: String, _ condition: () -> Bool) throws {
        let deadline = Date().addingTimeInterval(60)
        while !condition() {
            guard Date() < deadline else {
                XCTFail("timed out waiting for \(what)")
                throw CocoaError(.userCancelled)
            }
            usleep(2_000)
        }
    }

    /// Killing the process while it writes a checkpoint leaves the previous one loadable, and a
    /// resume from it ends where an uninterrupted run ends. Kills: during the write of the 2nd and
    /// of the 5th checkpoint (the new file complete under its temporary name, not yet renamed:
    /// `BACKPROP_CHECKPOINT_PAUSE` holds it there), and at moments in between writes.
    func testAKillDuringACheckpointWriteLeavesThePreviousOneLoadable() throws {
        let args = run.filter { $0 != "4" && $0 != "--epochs" } + ["--epochs", "8", "--quiet"]
        let reference = dir.appendingPathComponent("reference.safetensors").path
        let r = try CLI.run(args + ["--save", reference])
        XCTAssertEqual(r.status, 0, r.stderr)
        let expected = try Data(contentsOf: URL(fileURLWithPath: reference))

        for (i, moment) in ["write 2", "write 5", "between writes"].enumerated() {
            let ck = dir.appendingPathComponent("kill-\(i)").path
            let checkpoint = URL(fileURLWithPath: ck).appendingPathComponent("checkpoint.safetensors").path
            let p = try start(args + ["--checkpoint", ck], environment: ["BACKPROP_CHECKPOINT_PAUSE": moment == "between writes" ? "0.05" : "0.4"])
            switch moment {
            case "write 2", "write 5":
                let n = moment == "write 2" ? 2 : 5
                // Each epoch's checkpoint sits under its temporary name during the pause, then
                // replaces the live file (a new inode): count the writes by the inodes.
                func inode() -> Int? {
                    (try? FileManager.default.attributesOfItem(atPath: checkpoint))?[.systemFileNumber] as? Int
                }
                var previous: Int? = nil
                for k in 1...n {
                    try wait("checkpoint write \(k)") { (!temporaryFiles(ck).isEmpty && (k == 1 || inode() != previous)) || !p.isRunning }
                    previous = inode()
                    if k > 1 { XCTAssertNotNil(previous, "\(moment): write \(k - 1) was renamed into place") }
                }
                XCTAssertTrue(p.isRunning, "\(moment): the run ended before the kill")
                XCTAssertFalse(temporaryFiles(ck).isEmpty, "\(moment): killed while the temporary file exists")
            default:
                try wait("a first checkpoint") { FileManager.default.fileExists(atPath: checkpoint) }
                usleep(20_000)
            }
            kill(p.processIdentifier, SIGKILL)
            p.waitUntilExit()
            XCTAssertEqual(p.terminationReason, .uncaughtSignal, moment)
            XCTAssertTrue(FileManager.default.fileExists(atPath: checkpoint), "\(moment): the previous checkpoint is in place")
            let resumedPath = dir.appendingPathComponent("resumed-\(i).safetensors").path
            let resumed = try CLI.run(["train", "--resume", ck, "--threads", "2", "--quiet", "--save", resumedPath])
            XCTAssertEqual(resumed.status, 0, "\(moment): \(resumed.stderr)")
            XCTAssertTrue(temporaryFiles(ck).isEmpty, "\(moment): the next write removed the leftover temporary file")
            XCTAssertEqual(try Data(contentsOf: URL(fileURLWithPath: resumedPath)), expected, "\(moment): resumed = uninterrupted")
        }
    }
}
