/// What a model's outputs mean to its loss, which decides how predictions become classes.
public enum OutputKind: String, Codable, Sendable {
    /// Unnormalised scores: the class is the argmax (or, for one output, z ≥ 0).
    case logits
    /// Probabilities: the class is the argmax (or, for one output, p ≥ 0.5).
    case probabilities
    /// Real values (regression): no classes.
    case values
}

/// A loss L(prediction, target) averaged over the batch, with its gradient ∂L/∂prediction.
///
/// Predictions and targets are [batch, outputs]; classification targets are one-hot rows.
public protocol Loss<B>: AnyObject {
    associatedtype B: Backend
    var backend: B { get }
    /// The name used on the command line and in model files.
    var name: String { get }
    /// How predictions are read as classes.
    var outputKind: OutputKind { get }
    /// The mean loss; writes ∂L/∂prediction into `gradient` when one is given.
    func compute(_ prediction: Matrix, _ target: Matrix, gradient: Matrix?) -> Float
}

/// The losses by name: `mse`, `bce` (from probabilities), `bce_logits`, `cross_entropy` (softmax
/// cross-entropy from logits).
public enum LossKind: String, CaseIterable, Codable, Sendable {
    case mse
    case bce
    case bceLogits = "bce_logits"
    case crossEntropy = "cross_entropy"

    public init?(name: String) {
        switch name.lowercased().replacingOccurrences(of: "-", with: "_") {
        case "mse", "mean_squared_error": self = .mse
        case "bce", "binary_cross_entropy": self = .bce
        case "bce_logits", "bce_with_logits": self = .bceLogits
        case "cross_entropy", "ce", "softmax_cross_entropy", "categorical_cross_entropy": self = .crossEntropy
        default: return nil
        }
    }

    /// A loss object of this kind on `backend`.
    public func make<B: Backend>(_ backend: B) -> any Loss<B> {
        switch self {
        case .mse: return MeanSquaredError(backend)
        case .bce: return BinaryCrossEntropy(backend)
        case .bceLogits: return BinaryCrossEntropyWithLogits(backend)
        case .crossEntropy: return SoftmaxCrossEntropy(backend)
        }
    }
}
