import Backprop
import XCTest

/// The SIMD kernels are built twice (AVX2, AVX-512) and chosen at run time: the choice, and the
/// conformance of every level this CPU can run.
final class SIMDLevelTests: XCTestCase {
    typealias F = SIMDLevel.Features
    let xcrAll: UInt64 = 0b1110_0111      // x87, SSE, AVX, opmask, ZMM_Hi256, Hi16_ZMM

    func testTheChoiceFollowsCPUIDAndTheOS() {
        let zen3 = F(avx2: true, fma: true, avx512: false, osxsave: true, xcr0: 0b111)
        let zen4 = F(avx2: true, fma: true, avx512: true, osxsave: true, xcr0: xcrAll)
        let noZmmState = F(avx2: true, fma: true, avx512: true, osxsave: true, xcr0: 0b111)
        let noAVX = F(avx2: false, fma: false, avx512: false, osxsave: true, xcr0: 0b11)
        let noOSXSAVE = F(avx2: true, fma: true, avx512: true, osxsave: false, xcr0: 0)
        XCTAssertEqual(SIMDLevel.best(for: zen3).level, .avx2)
        XCTAssertEqual(SIMDLevel.best(for: zen4).level, .avx512)
        XCTAssertEqual(SIMDLevel.best(for: noZmmState).level, .avx2)
        XCTAssertTrue(SIMDLevel.best(for: noZmmState).reason.contains("does not save the zmm state"))
        XCTAssertNil(SIMDLevel.best(for: noAVX).level)
        XCTAssertNil(SIMDLevel.best(for: noOSXSAVE).level, "without OSXSAVE the OS is not known to save ymm")
        // Forcing a lower level works; asking for more, or for nonsense, is ignored and said so.
        XCTAssertEqual(SIMDLevel.choose(features: zen4, environment: ["BACKPROP_SIMD_ISA": "avx2"]).level, .avx2)
        XCTAssertTrue(SIMDLevel.choose(features: zen4, environment: ["BACKPROP_SIMD_ISA": "avx2"]).reason.hasPrefix("forced"))
        XCTAssertEqual(SIMDLevel.choose(features: zen3, environment: ["BACKPROP_SIMD_ISA": "avx512"]).level, .avx2)
        XCTAssertTrue(SIMDLevel.choose(features: zen3, environment: ["BACKPROP_SIMD_ISA": "avx512"]).reason.contains("ignored"))
        XCTAssertEqual(SIMDLevel.choose(features: zen4, environment: ["BACKPROP_SIMD_ISA": "sse9"]).level, .avx512)
        XCTAssertEqual(SIMDLevel.choose(features: zen4, environment: [:]).level, .avx512)
    }

    /// The conformance suite on every level: AVX2 always (forced), AVX-512 where the CPU has it;
    /// on a CPU without it the test says that level was not run.
    func conformance(_ level: SIMDLevel, threads: Int) throws {
        guard let best = SIMDLevel.best(for: .current).level, level <= best else {
            throw XCTSkip("SIMD level \(level) not run on this CPU: \(SIMDLevel.best(for: .current).reason)")
        }
        let backend = RoutedBackend(name: "simd-\(level)", routes: Backends.simdRoutes(level: level, threads: threads, solver: NaiveBackend()))
        XCTAssertEqual(backend.routes.gemm.details.first { $0.key == "isa" }?.value, level.rawValue, "the routes hold that level's build")
        let report = ConformanceSuite.run(candidate: backend, reference: NaiveBackend())
        XCTAssertEqual(Set(report.results.map(\.op)), Set(OpKind.allCases))
        XCTAssertTrue(report.passed, "\(level)/\(threads): " + report.failures.prefix(8)
            .map { "\($0.name): \($0.outcome.problem ?? "")" }.joined(separator: "; "))
        print("conformance on SIMD level \(level), \(threads) thread(s): \(report.results.count) cases passed")
    }

    func testAVX2ConformsOneThread() throws { try conformance(.avx2, threads: 1) }
    func testAVX2ConformsTwoThreads() throws { try conformance(.avx2, threads: 2) }
    func testAVX512ConformsOneThread() throws { try conformance(.avx512, threads: 1) }
    func testAVX512ConformsTwoThreads() throws { try conformance(.avx512, threads: 2) }

    /// On both levels every GEMM path sums each element in the same order on 1 and 2 threads.
    func testEachLevelIsBitIdenticalAcrossThreadCounts() throws {
        for level in SIMDLevel.allCases {
            guard let best = SIMDLevel.best(for: .current).level, level <= best else { continue }
            let one = RoutedBackend(name: "1", routes: Backends.simdRoutes(level: level, threads: 1, solver: NaiveBackend()))
            let two = RoutedBackend(name: "2", routes: Backends.simdRoutes(level: level, threads: 2, solver: NaiveBackend()))
            for (ta, tb, m, n, k) in [(Transpose.none, Transpose.none, 150, 333, 300), (.transpose, .none, 128, 64, 1000),
                                      (.none, .transpose, 700, 40, 129), (.transpose, .none, 300, 48, 700), (.none, .none, 64, 100, 784)] {
                var g = RandomGenerator(seed: 3)
                var a = [Float](repeating: 0, count: m * k), b = [Float](repeating: 0, count: k * n)
                g.fill(.uniform(low: -1, high: 1), &a, count: a.count)
                g.fill(.uniform(low: -1, high: 1), &b, count: b.count)
                let lda = ta == .none ? k : m, ldb = tb == .none ? n : k
                var c1 = [Float](repeating: 0, count: m * n), c2 = c1
                one.gemm(ta, tb, m: m, n: n, k: k, alpha: 1, a: a, lda: lda, b: b, ldb: ldb, beta: 0, c: &c1, ldc: n)
                two.gemm(ta, tb, m: m, n: n, k: k, alpha: 1, a: a, lda: lda, b: b, ldb: ldb, beta: 0, c: &c2, ldc: n)
                XCTAssertEqual(zip(c1, c2).filter { $0 != $1 }.count, 0, "\(level) \(ta)\(tb) \(m)x\(n)x\(k)")
            }
        }
    }
}
