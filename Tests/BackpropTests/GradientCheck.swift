import Backprop
import XCTest

/// The backends every network test runs on.
let backendNames = ["naive", "simd", "blas"]

/// Runs `body` once per backend, opened as a concrete type.
func forEachBackend(threads: Int = 1, _ body: (RoutedBackend) throws -> Void) throws {
    for name in backendNames { try body(try Backends.make(name, threads: threads)) }
}

/// Central differences (f(θ + h) − f(θ − h)) / 2h for every element of `t`.
func numericGradient(_ t: Tensor, h: Float, _ f: () -> Float) -> [Float] {
    var g = [Float](repeating: 0, count: t.count)
    for i in 0..<t.count {
        let old = t[i]
        t[i] = old + h
        let up = f()
        t[i] = old - h
        let down = f()
        t[i] = old
        g[i] = (up - down) / (2 * h)
    }
    return g
}

/// The gradient-check criterion used throughout: the relative error of the whole gradient vector,
/// ‖analytic − numeric‖ / (‖analytic‖ + ‖numeric‖), must be ≤ `tolerance` (default 1e-2).
/// With Float32 losses and h = 1e-2 a correct gradient gives ~1e-4..1e-3; a missing factor or a
/// wrong derivative gives ≥ 0.1.
func assertGradient(_ analytic: [Float], _ numeric: [Float], tolerance: Double = 1e-2, _ what: String,
                    file: StaticString = #filePath, line: UInt = #line) {
    XCTAssertEqual(analytic.count, numeric.count, what, file: file, line: line)
    let rel = relativeError(analytic, numeric)
    XCTAssertLessThanOrEqual(rel, tolerance, "\(what): relative error \(rel)\nanalytic \(analytic.prefix(6))\nnumeric  \(numeric.prefix(6))",
                             file: file, line: line)
}

func randomTensor(_ shape: [Int], _ g: inout RandomGenerator, low: Float = -1, high: Float = 1) -> Tensor {
    let t = Tensor(shape: shape)
    g.fill(.uniform(low: low, high: high), t.data, count: t.count)
    return t
}

/// One-hot rows for `labels`.
func oneHot(_ labels: [Int], classes: Int) -> Tensor {
    let t = Tensor(shape: [labels.count, classes])
    for (i, l) in labels.enumerated() { t[i, l] = 1 }
    return t
}

/// ‖a − b‖ / (‖a‖ + ‖b‖).
func relativeError(_ a: [Float], _ b: [Float]) -> Double {
    var diff = 0.0, na = 0.0, nb = 0.0
    for (x, y) in zip(a, b) {
        diff += Double(x - y) * Double(x - y)
        na += Double(x) * Double(x)
        nb += Double(y) * Double(y)
    }
    return diff.squareRoot() / max(na.squareRoot() + nb.squareRoot(), 1e-8)
}
