import Backprop
import XCTest

/// Kernels as a third party would write them, in their own module: a blocked GEMM and nothing
/// else. The registry entry routes GEMM to it and every other group to the reference, and the
/// backend registers itself and passes the conformance suite without any Backprop source edit.
final class TiledGEMM: GEMMKernels {
    let name = "tiled"
    let threads = 1

    func gemm(_ transA: Transpose, _ transB: Transpose, m: Int, n: Int, k: Int, alpha: Float,
              a: UnsafePointer<Float>, lda: Int, b: UnsafePointer<Float>, ldb: Int,
              beta: Float, c: UnsafeMutablePointer<Float>, ldc: Int) {
        // i-p-j loop order over 32-wide tiles of k, accumulating in Float.
        for i in 0..<m {
            for j in 0..<n { c[i * ldc + j] = beta == 0 ? 0 : beta * c[i * ldc + j] }
            if alpha == 0 { continue }
            for p0 in stride(from: 0, to: k, by: 32) {
                for p in p0..<min(k, p0 + 32) {
                    let av = alpha * (transA == .none ? a[i * lda + p] : a[p * lda + i])
                    for j in 0..<n {
                        let bv = transB == .none ? b[p * ldb + j] : b[j * ldb + p]
                        c[i * ldc + j] += av * bv
                    }
                }
            }
        }
    }
}

final class ExternalBackendTests: XCTestCase {
    func testAnExternalBackendRegistersAndConforms() throws {
        BackendRegistry.shared.register(BackendEntry(name: "tiled", summary: "a third-party GEMM") { _ in
            var routes = Routes(all: NaiveBackend())
            routes.gemm = TiledGEMM()
            return routes
        })
        defer { BackendRegistry.shared.unregister("tiled") }
        XCTAssertTrue(BackendRegistry.shared.names.contains("tiled"))
        let backend = try BackendRegistry.shared.make("tiled")
        XCTAssertEqual(backend.routes.provider(for: .gemm).name, "tiled")
        let report = ConformanceSuite.run(candidate: backend, reference: NaiveBackend())
        XCTAssertGreaterThan(report.results.count, 1000)
        XCTAssertTrue(report.passed, "\(report.failures.prefix(5).map { "\($0.name): \($0.outcome.problem ?? "")" })")
        // And a model trains on it, by name.
        var g = RandomGenerator(seed: 1)
        let model = Sequential.mlp(backend, sizes: [2, 8, 2], generator: &g)
        XCTAssertEqual(model.predict(Tensor(shape: [3, 2])).shape, [3, 2])
    }
}
