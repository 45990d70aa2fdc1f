/// One seeded, named comparison of a backend against the reference. The inputs derive from the
/// name alone (FNV-1a hash → `RandomGenerator` seed), so a printed name reproduces the case.
public struct ConformanceCase: Sendable {
    /// The op under test.
    public let op: OpKind
    /// A unique, descriptive name, e.g. `gemm NT m=17 n=33 k=5 alpha=1 beta=0 pad=3`.
    public let name: String
    let body: @Sendable (_ candidate: any Backend, _ reference: any Backend, _ rng: inout RandomGenerator) -> ConformanceResult.Outcome

    init(_ op: OpKind, _ name: String,
         _ body: @escaping @Sendable (any Backend, any Backend, inout RandomGenerator) -> ConformanceResult.Outcome) {
        self.op = op
        self.name = name
        self.body = body
    }

    /// The seed of this case's inputs.
    public var seed: UInt64 {
        var h: UInt64 = 0xCBF2_9CE4_8422_2325
        for byte in name.utf8 { h = (h ^ UInt64(byte)) &* 0x0000_0100_0000_01B3 }
        return h
    }

    /// Runs the case.
    public func run(candidate: any Backend, reference: any Backend) -> ConformanceResult {
        var rng = RandomGenerator(seed: seed)
        let o = body(candidate, reference, &rng)
        return ConformanceResult(op: op, name: name, backend: candidate.name, outcome: o)
    }
}

/// The result of one case.
public struct ConformanceResult: Sendable {
    public struct Outcome: Sendable {
        public var passed: Bool
        /// The error under the case's metric (see `ErrorMetric`).
        public var error: Double
        /// The limit the error is held to.
        public var limit: Double
        /// What went wrong, when something did.
        public var problem: String?
    }

    public let op: OpKind
    public let name: String
    public let backend: String
    public let outcome: Outcome

    public var passed: Bool { outcome.passed }
}

/// Results of a suite run, with a per-op summary.
public struct ConformanceReport: Sendable {
    public let backend: String
    public let results: [ConformanceResult]

    /// All cases passed.
    public var passed: Bool { results.allSatisfy(\.passed) }
    /// The failed cases.
    public var failures: [ConformanceResult] { results.filter { !$0.passed } }
    /// The ops with at least one failed case.
    public var failedOps: Set<OpKind> { Set(failures.map(\.op)) }

    /// Per op: cases run, cases failed, the largest error and its limit.
    public var summary: [(op: OpKind, cases: Int, failed: Int, maxError: Double, limit: Double)] {
        let ops = Set(results.map(\.op)).sorted()
        return ops.map { op in
            let rs = results.filter { $0.op == op }
            let worst = rs.max { a, b in ratio(a) < ratio(b) }!
            return (op, rs.count, rs.filter { !$0.passed }.count, worst.outcome.error, worst.outcome.limit)
        }
    }

    private func ratio(_ r: ConformanceResult) -> Double {
        if !r.passed { return .infinity }
        return r.outcome.limit > 0 ? r.outcome.error / r.outcome.limit : r.outcome.error
    }
}
