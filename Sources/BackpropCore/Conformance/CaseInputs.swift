/// The kinds of input values a conformance case uses.
public enum InputVariant: String, CaseIterable, Sendable {
    /// Uniform values in the case's range.
    case normal
    /// As `normal`, with NaN, ±∞, ±0, ±1e30 and 1e-30 planted at the first positions.
    case special
    /// Uniform values scaled by 1e15.
    case huge
    /// Uniform values scaled by 1e-30.
    case tiny
}

/// Input generation and output checking shared by the case builders.
enum CaseInputs {
    static let specials: [Float] = [.nan, .infinity, -.infinity, 0, -0.0, 1e30, -1e30, 1e-30]

    static func values(_ n: Int, _ rng: inout RandomGenerator, low: Float = -1, high: Float = 1,
                       variant: InputVariant = .normal) -> [Float] {
        var v = [Float](repeating: 0, count: n)
        v.withUnsafeMutableBufferPointer { rng.fill(.uniform(low: low, high: high), $0.baseAddress!, count: n) }
        switch variant {
        case .normal: break
        case .special: for i in 0..<min(n, specials.count) { v[i] = specials[i] }
        case .huge: for i in v.indices { v[i] *= 1e15 }
        case .tiny: for i in v.indices { v[i] *= 1e-30 }
        }
        return v
    }

    static func buffer(_ values: [Float]) -> GuardedBuffer {
        let b = GuardedBuffer(count: values.count)
        b.set(values)
        return b
    }

    static func buffer(rows: Int, width: Int, ld: Int, _ values: [Float]) -> GuardedBuffer {
        let b = GuardedBuffer(rows: rows, width: width, ld: ld)
        b.set(values)
        return b
    }

    /// Checks guards on both outputs, then compares values with `metric`.
    static func check(_ metric: ErrorMetric, candidate: GuardedBuffer, reference: GuardedBuffer) -> ConformanceResult.Outcome {
        if !candidate.guardsIntact {
            return .init(passed: false, error: .infinity, limit: 0, problem: "wrote outside its output (guard region changed)")
        }
        if !reference.guardsIntact {
            return .init(passed: false, error: .infinity, limit: 0, problem: "the reference wrote outside its output")
        }
        let r = metric.compare(candidate.values, reference.values)
        return .init(passed: r.passed, error: r.error, limit: r.limit, problem: r.problem)
    }

    static func fail(_ problem: String) -> ConformanceResult.Outcome {
        .init(passed: false, error: .infinity, limit: 0, problem: problem)
    }

    static let pass = ConformanceResult.Outcome(passed: true, error: 0, limit: 0, problem: nil)

    /// NMSE limit for elementwise maps: a few ulp of error give ~1e-13; a real fault gives ≥ 1e-4.
    static let elementwiseNMSE = 1e-10
}
