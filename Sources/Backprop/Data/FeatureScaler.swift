/// Feature scaling fitted on training data and applied unchanged to validation and test data:
/// x′ = (x − shift) · scale, per feature column.
/// - `standard` (z-score): shift = mean, scale = 1/σ (population σ).
/// - `minMax`: shift = min, scale = 1/(max − min), mapping the training range to [0, 1].
/// A constant column (σ = 0 or max = min) gets scale 1, so it is only shifted.
public struct FeatureScaler: @unchecked Sendable {
    public enum Kind: String, CaseIterable, Sendable {
        case standard
        case minMax = "minmax"
    }

    public let kind: Kind
    public let shift: Tensor
    public let scale: Tensor

    public init(kind: Kind, shift: Tensor, scale: Tensor) {
        self.kind = kind
        self.shift = shift
        self.scale = scale
    }

    /// Fits to the columns of `x` [n, d].
    public static func fit<B: Backend>(_ kind: Kind, to x: Tensor, backend: B) -> FeatureScaler {
        let n = x.rows, d = x.cols
        let shift = Tensor(shape: [d]), scale = Tensor(shape: [d])
        switch kind {
        case .standard:
            backend.reduce(.mean, .columns, x.data, rows: n, cols: d, shift.data)
            let centred = Tensor(shape: [n, d])
            backend.binary(.sub, x.data, shift.data, .row, centred.data, rows: n, cols: d)
            backend.reduce(.sumOfSquares, .columns, centred.data, rows: n, cols: d, scale.data)
            for j in 0..<d {
                let sd = (scale[j] / Float(n)).squareRoot()
                scale[j] = sd > 1e-12 ? 1 / sd : 1
            }
        case .minMax:
            let negated = Tensor(shape: [n, d])
            backend.unary(.negate, x.data, negated.data, count: x.count)
            backend.reduce(.max, .columns, negated.data, rows: n, cols: d, shift.data)
            backend.reduce(.max, .columns, x.data, rows: n, cols: d, scale.data)
            for j in 0..<d {
                shift[j] = -shift[j]
                let range = scale[j] - shift[j]
                scale[j] = range > 1e-12 ? 1 / range : 1
            }
        }
        return FeatureScaler(kind: kind, shift: shift, scale: scale)
    }

    /// Scales `x` [n, d] in place.
    public func apply<B: Backend>(to x: Tensor, backend: B) {
        precondition(x.cols == shift.count, "scaler fitted on \(shift.count) features, data has \(x.cols)")
        backend.binary(.sub, x.data, shift.data, .row, x.data, rows: x.rows, cols: x.cols)
        backend.binary(.mul, x.data, scale.data, .row, x.data, rows: x.rows, cols: x.cols)
    }
}
