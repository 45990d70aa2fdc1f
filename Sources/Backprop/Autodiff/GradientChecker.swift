/// Checks a function's tape gradient against central differences — for your own layers, ops and
/// losses as much as for Backprop's.
///
/// `f` builds a scalar from differentiable inputs on a tape. Each input element is moved by ±h
/// and f re-evaluated; the numeric derivative (f(x + h) − f(x − h)) / 2h is formed in Float64.
/// The criterion is the relative error of the whole gradient, ‖analytic − numeric‖ /
/// (‖analytic‖ + ‖numeric‖) ≤ `tolerance`. With Float32 arithmetic and h = 10⁻², a correct
/// gradient gives ~10⁻⁴..10⁻³ and a wrong one (a missing factor, the wrong derivative) ≥ 0.1, so
/// the default tolerance is 10⁻². Keep inputs away from kinks (ReLU at 0, |x| at 0, max ties).
///
/// ```swift
/// let report = try GradientChecker.check(backend, inputs: [x, w]) { t, v in sum(tanh(matmul(v[0], v[1]))) }
/// XCTAssert(report.passed, "\(report)")
/// ```
public enum GradientChecker {
    public struct Report: CustomStringConvertible, Sendable {
        /// ‖analytic − numeric‖ / (‖analytic‖ + ‖numeric‖) over every element of every input.
        public var relativeError: Double
        public var tolerance: Double
        /// The element that disagrees most: input index, element index, both derivatives.
        public var worst: (input: Int, element: Int, analytic: Double, numeric: Double)
        public var passed: Bool { relativeError <= tolerance }

        public var description: String {
            String(format: "relative error %.2e (tolerance %.0e); worst: input %d element %d, analytic %.6g, numeric %.6g",
                   relativeError, tolerance, worst.input, worst.element, worst.analytic, worst.numeric)
        }
    }

    public static func check(_ backend: any Backend, inputs: [Tensor], h: Float = 1e-2, tolerance: Double = 1e-2,
                             _ f: (GradientTape, [Variable]) -> Variable) throws -> Report {
        let tape = GradientTape(backend)
        let vars = inputs.map { tape.input($0) }
        let out = f(tape, vars)
        try tape.gradient(of: out)
        let analytic: [[Float]] = vars.map { v in tape.grad(of: v)?.array ?? [Float](repeating: 0, count: v.value.count) }
        func value() -> Double {
            let t = GradientTape(backend)
            return Double(f(t, inputs.map { t.input($0) }).scalar)
        }
        var diff = 0.0, na = 0.0, nn = 0.0
        var worst = (input: 0, element: 0, analytic: 0.0, numeric: 0.0), worstScore = -1.0
        for (k, x) in inputs.enumerated() {
            for e in 0..<x.count {
                let old = x.data[e]
                x.data[e] = old + h
                let up = value()
                x.data[e] = old - h
                let down = value()
                x.data[e] = old
                let numeric = (up - down) / (2 * Double(h))
                let a = Double(analytic[k][e])
                diff += (a - numeric) * (a - numeric)
                na += a * a
                nn += numeric * numeric
                let score = Swift.abs(a - numeric) / (Swift.abs(a) + Swift.abs(numeric) + 1e-6)
                if score > worstScore { worstScore = score; worst = (k, e, a, numeric) }
            }
        }
        let rel = diff.squareRoot() / Swift.max(na.squareRoot() + nn.squareRoot(), 1e-12)
        return Report(relativeError: rel, tolerance: tolerance, worst: worst)
    }
}
