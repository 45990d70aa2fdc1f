import Backprop
import XCTest

/// The built-in backends against the reference: the same table `backprop conformance` runs,
/// on one and on two threads (the SIMD kernels split work differently with two).
final class BuiltinConformanceTests: XCTestCase {
    func check(_ name: String, threads: Int, file: StaticString = #filePath, line: UInt = #line) throws {
        let backend = try Backends.make(name, threads: threads)
        let report = ConformanceSuite.run(candidate: backend, reference: NaiveBackend())
        XCTAssertEqual(Set(report.results.map(\.op)), Set(OpKind.allCases), file: file, line: line)
        XCTAssertTrue(report.passed, "\(name)/\(threads): " + report.failures.prefix(8)
            .map { "\($0.name): \($0.outcome.problem ?? "")" }.joined(separator: "; "), file: file, line: line)
    }

    func testSIMDOneThread() throws { try check("simd", threads: 1) }
    func testSIMDTwoThreads() throws { try check("simd", threads: 2) }
    func testBLASOneThread() throws { try check("blas", threads: 1) }
    func testBLASTwoThreads() throws { try check("blas", threads: 2) }
    func testAuto() throws { try check("auto", threads: 2) }

    func testBuiltinsAreRegistered() {
        XCTAssertEqual(Array(Backends.registry.names.prefix(4)), ["naive", "simd", "blas", "auto"])
    }

    func testSIMDWasCompiledWithFMA() {
        // Package.swift passes -target-cpu for the SIMD target; without it GEMM is ~100x slower.
        #if arch(x86_64)
        XCTAssertTrue(CPUFeatures.compiledWithFMA)
        #endif
    }

    func testSameThreadCountGivesBitIdenticalGEMM() throws {
        // Every element of C is summed in the same order on one and two threads, whichever path
        // (packed, A in place, Aᵀ·B in place or as Cᵀ, 12x8 tiles and dot products for narrow C) a
        // band takes.
        let shapes: [(Transpose, Transpose, Int, Int, Int)] = [
            (.none, .none, 150, 333, 300), (.transpose, .none, 128, 64, 1000), (.transpose, .none, 16, 2, 20_000),
            (.none, .none, 3000, 2, 100), (.none, .transpose, 700, 3, 129), (.transpose, .none, 300, 40, 700),
            (.none, .none, 3000, 10, 100), (.none, .transpose, 2000, 7, 60),
        ]
        for (ta, tb, m, n, k) in shapes {
            var g = RandomGenerator(seed: 3)
            var a = [Float](repeating: 0, count: m * k), b = [Float](repeating: 0, count: k * n)
            g.fill(.uniform(low: -1, high: 1), &a, count: a.count)
            g.fill(.uniform(low: -1, high: 1), &b, count: b.count)
            let lda = ta == .none ? k : m, ldb = tb == .none ? n : k
            var c1 = [Float](repeating: 0, count: m * n), c2 = c1
            try Backends.make("simd", threads: 1).gemm(ta, tb, m: m, n: n, k: k, alpha: 1, a: a, lda: lda, b: b, ldb: ldb, beta: 0, c: &c1, ldc: n)
            try Backends.make("simd", threads: 2).gemm(ta, tb, m: m, n: n, k: k, alpha: 1, a: a, lda: lda, b: b, ldb: ldb, beta: 0, c: &c2, ldc: n)
            let differing = zip(c1, c2).filter { $0 != $1 }.count
            XCTAssertEqual(differing, 0, "\(ta)\(tb) \(m)x\(n)x\(k): elements differing between 1 and 2 threads")
        }
    }
}
