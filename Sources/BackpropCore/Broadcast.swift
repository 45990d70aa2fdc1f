/// How the right operand `b` of a binary map is laid out against `a` of shape [rows, cols].
public enum Broadcast: String, CaseIterable, Hashable, Sendable {
    /// `b` has the same shape as `a`.
    case none
    /// `b` is one value, used for every element.
    case scalar
    /// `b` is a row vector of `cols` values, used for every row (e.g. a bias).
    case row
    /// `b` is a column vector of `rows` values: b[i] is used across row i (a per-row scalar).
    case column
}
