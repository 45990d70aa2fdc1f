/// The cross-backend conformance suite: every op of a backend checked against a reference
/// backend (`naive`), case by case. Public, so `swift test`, `backprop conformance` and
/// third-party backends all run the same table.
///
/// ```swift
/// let report = ConformanceSuite.run(candidate: myBackend, reference: NaiveBackend())
/// for f in report.failures { print(f.name, f.outcome.problem ?? "") }
/// ```
///
/// Metrics and tolerances are documented with each group of cases: `GEMMCases` (a bound growing
/// with K), `ElementwiseCases` and softmax (NMSE), `ReductionCases` (a bound growing with the
/// number of terms; max and argmax exact), `MemoryCases` (exact). Output buffers carry guard
/// regions; a write outside them fails the case.
public enum ConformanceSuite {
    /// Every case, in op order.
    public static func cases(ops: Set<OpKind>? = nil, matching filter: String? = nil) -> [ConformanceCase] {
        let all = GEMMCases.cases() + ElementwiseCases.cases() + ReductionCases.cases() + MemoryCases.cases() + TransposeCases.cases() + LSTMCellCases.cases() + GRUCellCases.cases()
        return all.filter { c in
            (ops == nil || ops!.contains(c.op)) && (filter == nil || c.name.contains(filter!))
        }
    }

    /// Runs the cases for `ops` (all when nil) whose name contains `filter`.
    public static func run(candidate: any Backend, reference: any Backend, ops: Set<OpKind>? = nil,
                           matching filter: String? = nil) -> ConformanceReport {
        let results = cases(ops: ops, matching: filter).map { $0.run(candidate: candidate, reference: reference) }
        return ConformanceReport(backend: candidate.name, results: results)
    }
}
