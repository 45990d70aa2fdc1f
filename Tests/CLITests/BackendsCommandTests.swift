import Foundation
import XCTest

/// `backprop backends` says which build of the SIMD kernels runs and why; the environment
/// variable forces the AVX2 build, and the level names run side by side in `bench`.
final class BackendsCommandTests: CLITestCase {
    func testTheSIMDLevelIsReportedAndCanBeForced() throws {
        let hasAVX512 = (try? String(contentsOfFile: "/proc/cpuinfo", encoding: .utf8))?.contains(" avx512f ") ?? false
        let r = try CLI.run(["backends"])
        XCTAssertEqual(r.status, 0, r.stderr)
        let first = r.stdout.split(separator: "\n").first.map(String.init) ?? ""
        XCTAssertTrue(first.hasPrefix("simd kernels: \(hasAVX512 ? "avx512" : "avx2") — "), first)
        XCTAssertTrue(r.stdout.contains("simd isa: \(hasAVX512 ? "avx512" : "avx2")"), r.stdout)
        let forced = try CLI.run(["backends"], environment: ["BACKPROP_SIMD_ISA": "avx2"])
        XCTAssertTrue(forced.stdout.hasPrefix("simd kernels: avx2 — "), forced.stdout)
        XCTAssertTrue(forced.stdout.contains("simd isa: avx2"), forced.stdout)
        if hasAVX512 { XCTAssertTrue(forced.stdout.contains("forced by BACKPROP_SIMD_ISA=avx2"), forced.stdout) }
        let b = try CLI.run(["bench", "--op", "gemm", "--shape", "64x64x64", "--backend", "simd-avx2", "--repeats", "1", "--json"])
        XCTAssertEqual(b.status, 0, b.stderr)
        XCTAssertTrue(b.stdout.contains("\"backend\" : \"simd-avx2\""), b.stdout)
        if !hasAVX512 {
            try assertFails(["bench", "--op", "gemm", "--backend", "simd-avx512"], "--backend simd-avx512: this CPU cannot run it")
        }
    }
}
