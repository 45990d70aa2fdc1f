/// A loss defined by its expression alone: the tape derives ∂L/∂prediction. Conform a Codable
/// struct holding the settings and register it with `LossKinds.register(_:as:)`; it trains,
/// saves and loads like a built-in loss.
///
/// ```swift
/// /// Huber loss: mean(½q² + δ(|d| − q)) with d = p − t, q = min(|d|, δ); δ = 1 by default.
/// struct Huber: ExpressionLossDefinition {
///     var kind: String { "huber" }
///     var delta: Float = 1
///     func loss(_ p: Variable, _ t: Variable) -> Variable {
///         let a = abs(p - t), q = minimum(a, delta)
///         return mean(0.5 * square(q) + delta * (a - q))
///     }
/// }
/// ```
///
/// `target` is dense [batch, outputs]: class-index targets arrive as one-hot rows (or as the 0/1
/// value for one output). The expression must reduce to a scalar.
public protocol ExpressionLossDefinition: LossConfiguration {
    /// How predictions are read as classes (default `.values`, i.e. regression).
    var outputKind: OutputKind { get }
    /// L(prediction, target), a scalar built from tape operations.
    func loss(_ prediction: Variable, _ target: Variable) -> Variable
}

extension ExpressionLossDefinition {
    public var outputKind: OutputKind { .values }

    public func makeLoss<B: Backend>(on backend: B) throws -> any Loss<B> { ExpressionLoss(backend, self) }
}

/// The `Loss` an `ExpressionLossDefinition` builds, on a tape of its own whose buffers are reused
/// from batch to batch.
public final class ExpressionLoss<B: Backend>: Loss {
    public let backend: B
    public let definition: any ExpressionLossDefinition
    private let tape: GradientTape
    private let targets = DenseTargets()

    public init(_ backend: B, _ definition: any ExpressionLossDefinition) {
        self.backend = backend
        self.definition = definition
        tape = GradientTape(backend)
    }

    public var name: String { definition.kind }
    public var outputKind: OutputKind { definition.outputKind }
    /// The expression decides how terms combine; reported as the mean.
    public var reduction: LossReduction { .mean }
    public var configuration: any LossConfiguration { definition }

    public func compute(_ prediction: TensorView, _ target: LossTarget, gradient: TensorView?) -> Float {
        tape.reset()
        let p = gradient == nil ? tape.constant(prediction) : tape.input(prediction)
        let t = tape.constant(targets.view(target, rows: prediction.rows, cols: prediction.cols, loss: name))
        let l = definition.loss(p, t)
        precondition(l.value.count == 1, "\(name): the loss expression gave shape \(l.shape); a scalar is needed")
        if let gradient {
            precondition(gradient.count == prediction.count, "\(name): a gradient buffer of \(gradient.shape) for predictions \(prediction.shape)")
            if l.requiresGradient, (try? tape.gradient(of: l)) != nil, let g = tape.grad(of: p) {
                backend.copy(g.data, gradient.data, count: prediction.count)
            } else {
                backend.fill(0, gradient.data, count: prediction.count)   // the loss does not depend on the prediction
            }
        }
        return l.scalar
    }
}
