/// Whether a GEMM operand is used as stored (`none`) or transposed (`transpose`).
///
/// Matrices are row-major: element (i, j) of a matrix with leading dimension `ld` is at `i * ld + j`.
public enum Transpose: String, CaseIterable, Hashable, Sendable {
    case none = "N"
    case transpose = "T"
}
