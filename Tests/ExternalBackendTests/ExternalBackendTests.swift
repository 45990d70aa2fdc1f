import BackpropCore
import BackpropNaive
import XCTest

/// A backend as a third party would write it, in its own module, depending on BackpropCore only
/// (and on the naive backend as its conformance reference): its own blocked GEMM and row-wise
/// kernels, the reference for the rest. It registers itself without any Backprop source edit.
final class TiledBackend: Backend {
    let name = "tiled"
    let threads = 1
    private let ref = NaiveBackend()

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

    func unary(_ op: UnaryOp, _ x: UnsafePointer<Float>, _ y: UnsafeMutablePointer<Float>, count: Int) { ref.unary(op, x, y, count: count) }
    func activationGradient(_ f: Activation, x: UnsafePointer<Float>, y: UnsafePointer<Float>, dy: UnsafePointer<Float>,
                            dx: UnsafeMutablePointer<Float>, count: Int) {
        ref.activationGradient(f, x: x, y: y, dy: dy, dx: dx, count: count)
    }
    func binary(_ op: BinaryOp, _ a: UnsafePointer<Float>, _ b: UnsafePointer<Float>, _ broadcast: Broadcast,
                _ out: UnsafeMutablePointer<Float>, rows: Int, cols: Int) {
        ref.binary(op, a, b, broadcast, out, rows: rows, cols: cols)
    }
    func axpy(alpha: Float, _ x: UnsafePointer<Float>, _ y: UnsafeMutablePointer<Float>, count: Int) {
        for i in 0..<count { y[i] += alpha * x[i] }
    }
    func scale(alpha: Float, _ x: UnsafeMutablePointer<Float>, count: Int) { for i in 0..<count { x[i] *= alpha } }
    func biasActivation(_ f: Activation, _ x: UnsafePointer<Float>, bias: UnsafePointer<Float>, _ y: UnsafeMutablePointer<Float>,
                        rows: Int, cols: Int) {
        ref.biasActivation(f, x, bias: bias, y, rows: rows, cols: cols)
    }
    func reduce(_ op: ReduceOp, _ axis: ReduceAxis, _ x: UnsafePointer<Float>, rows: Int, cols: Int, _ out: UnsafeMutablePointer<Float>) {
        ref.reduce(op, axis, x, rows: rows, cols: cols, out)
    }
    func argmax(_ axis: ReduceAxis, _ x: UnsafePointer<Float>, rows: Int, cols: Int, _ out: UnsafeMutablePointer<Int32>) {
        ref.argmax(axis, x, rows: rows, cols: cols, out)
    }
    func softmax(_ x: UnsafePointer<Float>, _ y: UnsafeMutablePointer<Float>, rows: Int, cols: Int, log: Bool) {
        ref.softmax(x, y, rows: rows, cols: cols, log: log)
    }
    func fill(_ value: Float, _ y: UnsafeMutablePointer<Float>, count: Int) { y.update(repeating: value, count: count) }
    func copy(_ x: UnsafePointer<Float>, _ y: UnsafeMutablePointer<Float>, count: Int) { y.update(from: x, count: count) }
    func solve(n: Int, nrhs: Int, a: UnsafeMutablePointer<Float>, b: UnsafeMutablePointer<Float>) throws {
        try ref.solve(n: n, nrhs: nrhs, a: a, b: b)
    }
}

final class ExternalBackendTests: XCTestCase {
    func testAnExternalBackendRegistersAndConforms() throws {
        BackendRegistry.shared.register(BackendEntry(name: "tiled", summary: "a third-party backend") { _ in TiledBackend() })
        defer { BackendRegistry.shared.unregister("tiled") }
        XCTAssertTrue(BackendRegistry.shared.names.contains("tiled"))
        let backend = try BackendRegistry.shared.make("tiled")
        let report = ConformanceSuite.run(candidate: backend, reference: NaiveBackend())
        XCTAssertGreaterThan(report.results.count, 1000)
        XCTAssertTrue(report.passed, "\(report.failures.prefix(5).map { "\($0.name): \($0.outcome.problem ?? "")" })")
    }
}
