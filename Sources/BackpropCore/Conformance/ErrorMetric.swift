import Foundation

/// How the conformance suite compares a backend's output with the reference's.
///
/// Every metric first requires the non-finite values to agree: NaN where the reference has NaN,
/// and the same infinity where it has ±∞. Then, over the finite elements:
/// - `exact`: bit-identical (fills, copies, random fills, argmax, max reductions).
/// - `nmse(limit)`: normalised mean squared error Σ(x − r)² / Σr² ≤ limit (ggml's
///   test-backend-ops metric; elementwise maps, softmax, solves).
/// - `bounded(limit)`: every element within `limit · scale_i + floor`, where `scale_i` comes from
///   the case (for GEMM, |α|·(|A||B|)_ij + |β|·|C_ij|; for sums, Σ|x|); the limit grows with the
///   number of terms summed. The reported error is max |x − r| / scale.
public enum ErrorMetric: Sendable, CustomStringConvertible {
    case exact
    case nmse(Double)
    case bounded(Double, scale: [Double], floor: Double)

    public var description: String {
        switch self {
        case .exact: return "exact"
        case .nmse(let l): return "nmse ≤ \(l)"
        case .bounded(let l, _, _): return "|err|/scale ≤ \(String(format: "%.2e", l))"
        }
    }

    /// Compares `actual` with `expected`: (passed, error, limit, what went wrong).
    public func compare(_ actual: [Float], _ expected: [Float]) -> (passed: Bool, error: Double, limit: Double, problem: String?) {
        guard actual.count == expected.count else {
            return (false, .infinity, 0, "length \(actual.count) ≠ \(expected.count)")
        }
        for i in actual.indices {
            let a = actual[i], e = expected[i]
            if e.isNaN != a.isNaN { return (false, .infinity, limitValue, "element \(i): \(a), expected \(e)") }
            if e.isInfinite || a.isInfinite, !(e.isNaN && a.isNaN), a != e {
                return (false, .infinity, limitValue, "element \(i): \(a), expected \(e)")
            }
        }
        switch self {
        case .exact:
            for i in actual.indices where actual[i].bitPattern != expected[i].bitPattern && !(actual[i].isNaN && expected[i].isNaN) {
                return (false, .infinity, 0, "element \(i): \(actual[i]), expected \(expected[i])")
            }
            return (true, 0, 0, nil)
        case .nmse(let limit):
            var num = 0.0, den = 0.0
            for i in actual.indices where actual[i].isFinite && expected[i].isFinite {
                let d = Double(actual[i]) - Double(expected[i])
                num += d * d
                den += Double(expected[i]) * Double(expected[i])
            }
            let err = den == 0 ? (num == 0 ? 0 : .infinity) : num / den
            return (err <= limit, err, limit, err <= limit ? nil : "nmse \(err) > \(limit)")
        case .bounded(let limit, let scale, let floor):
            var worst = 0.0
            var problem: String? = nil
            for i in actual.indices where actual[i].isFinite && expected[i].isFinite {
                let d = Swift.abs(Double(actual[i]) - Double(expected[i]))
                let s = i < scale.count ? scale[i] : 0
                if d > limit * s + floor, problem == nil {
                    problem = "element \(i): \(actual[i]), expected \(expected[i]) (|err| \(d) > bound \(limit * s + floor))"
                }
                if s > 0 { worst = Swift.max(worst, d / s) } else if d > floor { worst = .infinity }
            }
            return (problem == nil, worst, limit, problem)
        }
    }

    private var limitValue: Double {
        switch self {
        case .exact: return 0
        case .nmse(let l): return l
        case .bounded(let l, _, _): return l
        }
    }
}
