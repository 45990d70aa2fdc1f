/// A reduction of a [rows, cols] matrix.
///
/// - `sum`: Σ x; `mean`: Σ x / n; `sumOfSquares`: Σ x²; `max`: the largest value, NaN if any
///   element on the reduced axis is NaN.
public enum ReduceOp: String, CaseIterable, Hashable, Sendable {
    case sum, mean, max, sumOfSquares
}

/// Which elements a reduction combines.
public enum ReduceAxis: String, CaseIterable, Hashable, Sendable {
    /// Every element: one output.
    case all
    /// Each row separately: `rows` outputs (reduces across columns).
    case rows
    /// Each column separately: `cols` outputs (reduces down the rows).
    case columns

    /// The number of outputs for a [rows, cols] input.
    public func outputCount(rows: Int, cols: Int) -> Int {
        switch self {
        case .all: return 1
        case .rows: return rows
        case .columns: return cols
        }
    }
}
