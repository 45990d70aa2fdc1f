/// What a model's outputs mean to its loss, which decides how predictions become classes.
public enum OutputKind: String, Codable, Sendable {
    /// Unnormalised scores: the class is the argmax (or, for one output, z ≥ 0).
    case logits
    /// Probabilities: the class is the argmax (or, for one output, p ≥ 0.5).
    case probabilities
    /// Real values (regression): no classes.
    case values
}

/// How a loss combines the per-element (or per-example) terms: their mean (the default, as in
/// PyTorch) or their sum.
public enum LossReduction: String, Codable, CaseIterable, Sendable {
    case mean
    case sum
}

/// The targets of a batch: dense rows, or one class index per example.
public enum LossTarget {
    /// [batch, outputs] values: one-hot or probability rows for classification, real values for
    /// regression, a 0/1 column for binary models.
    case values(TensorView)
    /// One class index per row of the predictions (`Dataset.labels`). Losses that need dense
    /// targets expand them: one-hot rows, or for a single output the 0/1 value itself.
    case classes(ArraySlice<Int32>)
}

/// A loss L(prediction, target) over a batch, with its gradient ∂L/∂prediction.
///
/// Predictions are [batch, outputs] (or any view whose matrix is that: a sequence batch's
/// [time·batch, outputs]). Each loss's doc comment gives its formula and what its mean divides
/// by; `reduction` chooses between the mean and the sum.
public protocol Loss<B>: AnyObject {
    associatedtype B: Backend
    var backend: B { get }
    /// The kind name used on the command line and in model files, e.g. `cross_entropy`.
    var name: String { get }
    /// How predictions are read as classes.
    var outputKind: OutputKind { get }
    /// Mean (default) or sum.
    var reduction: LossReduction { get }
    /// The kind and settings, for model files.
    var configuration: any LossConfiguration { get }
    /// The model outputs this loss wants for a classification problem with `classes` classes
    /// (binary cross-entropy on two classes wants one).
    func outputCount(classes: Int) -> Int
    /// The loss; writes ∂L/∂prediction into `gradient` when one is given.
    func compute(_ prediction: TensorView, _ target: LossTarget, gradient: TensorView?) -> Float
}

extension Loss {
    /// The loss against dense targets.
    public func compute(_ prediction: TensorView, _ target: TensorView, gradient: TensorView?) -> Float {
        compute(prediction, .values(target), gradient: gradient)
    }

    public func outputCount(classes: Int) -> Int { classes }

    /// 1/N for the mean, 1 for the sum.
    func scale(over n: Int) -> Float { reduction == .mean ? 1 / Float(max(n, 1)) : 1 }
}

/// Expands class-index targets into dense rows for losses that compute on dense targets.
final class DenseTargets {
    private let buffer = Workspace()

    /// `target` as a [rows, cols] dense view: values as given (their shape checked), class indices
    /// as one-hot rows, or as the index itself when `cols` is 1.
    func view(_ target: LossTarget, rows: Int, cols: Int, loss: String) -> TensorView {
        switch target {
        case .values(let t):
            precondition(t.rows == rows && t.cols == cols && t.isContiguous,
                         "\(loss): prediction \(rows)x\(cols) vs target \(t.shape) (row stride \(t.rowStride))")
            return t
        case .classes(let labels):
            precondition(labels.count == rows, "\(loss): \(labels.count) class indices for \(rows) predictions")
            let t = buffer.matrix(rows: rows, cols: cols)
            if cols == 1 {
                for (i, l) in labels.enumerated() {
                    precondition(l == 0 || l == 1, "\(loss): class \(l) for a single (binary) output")
                    t.data[i] = Float(l)
                }
            } else {
                t.data.update(repeating: 0, count: rows * cols)
                for (i, l) in labels.enumerated() {
                    precondition(l >= 0 && Int(l) < cols, "\(loss): class \(l) for \(cols) outputs")
                    t.data[i * cols + Int(l)] = 1
                }
            }
            return t
        }
    }
}

/// A loss's kind and settings as a Codable value that can build the loss: what model files
/// record. A loss defined outside Backprop registers its type with `LossKinds.register(_:as:)`.
public protocol LossConfiguration: Codable, Sendable {
    /// The kind name model files record; `LossKinds` maps it back to this type.
    var kind: String { get }
    /// A new loss with these settings on `backend`.
    func makeLoss<B: Backend>(on backend: B) throws -> any Loss<B>
}

/// The built-in losses by name: `mse`, `bce` (from probabilities), `bce_logits`,
/// `cross_entropy` (softmax cross-entropy from logits).
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
    public func make<B: Backend>(_ backend: B, reduction: LossReduction = .mean) -> any Loss<B> {
        switch self {
        case .mse: return MeanSquaredError(backend, reduction: reduction)
        case .bce: return BinaryCrossEntropy(backend, reduction: reduction)
        case .bceLogits: return BinaryCrossEntropyWithLogits(backend, reduction: reduction)
        case .crossEntropy: return SoftmaxCrossEntropy(backend, reduction: reduction)
        }
    }

    /// The activation the model's last layer needs for this loss: sigmoid for `bce` (it takes
    /// probabilities), identity otherwise.
    public var outputActivation: Activation { self == .bce ? .sigmoid : .identity }
}

/// A built-in loss's settings: `{"kind": "cross_entropy", "reduction": "mean"}`.
public struct BuiltInLossConfiguration: LossConfiguration, Equatable {
    public var loss: LossKind
    public var reduction: LossReduction
    public var kind: String { loss.rawValue }

    public init(_ loss: LossKind, reduction: LossReduction = .mean) {
        self.loss = loss
        self.reduction = reduction
    }

    enum CodingKeys: String, CodingKey { case loss = "kind", reduction }

    public func makeLoss<B: Backend>(on backend: B) throws -> any Loss<B> { loss.make(backend, reduction: reduction) }
}
