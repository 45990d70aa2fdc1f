/// A trainable model: what `Trainer`, `TrainingStep`, model files and checkpoints work with.
///
/// A model owns its parameters in one `ParameterArena`, maps a batch forward and back-propagates
/// ∂L/∂output, **adding** into the arena's gradients (the `Layer` contract). `Sequential`
/// conforms; so can any class with a forward and a backward pass. A model is generic over its
/// backend, but code that holds one needs not be: `any Model` exposes everything a training loop
/// uses, with `backend` as `any Backend`.
///
/// To be saved and loaded, a model describes itself with a `ModelConfiguration` (registered with
/// `ModelKinds.register(_:as:)` when it is defined outside Backprop) and names its tensors as
/// PyTorch would (`stateDict()`).
public protocol Model<B>: AnyObject {
    associatedtype B: Backend
    var backend: B { get }
    /// Every trainable parameter, in one arena.
    var parameters: ParameterArena { get }
    /// The shape of one example's input and output, without the batch axis.
    var inputShape: Shape { get }
    var outputShape: Shape { get }

    /// The outputs for a batch (a view of the model's own buffer, valid until the next call).
    func forward(_ x: TensorView, training: Bool) -> TensorView
    /// Back-propagates ∂L/∂output, adding every parameter's gradient into `parameters.gradients`.
    func backward(_ dy: TensorView)

    /// The architecture, for model files.
    var configuration: any ModelConfiguration { get }
    /// The tensors under PyTorch's names and layouts (a `torch.nn.Module.state_dict()`).
    func stateDict() -> [(name: String, tensor: Tensor)]
    /// Sets the parameters from PyTorch-named tensors; throws a `DataError` naming `source` for a
    /// missing tensor or a wrong shape.
    func loadStateDict(_ tensors: [String: Tensor], source: String) throws
    /// The random streams the model draws from in training (dropout), for exact resume.
    var randomStreams: [RandomGenerator] { get set }
}

extension Model {
    /// Clears every gradient: one fill over the arena.
    public func zeroGradients() {
        backend.fill(0, parameters.gradients.data, count: parameters.count)
    }

    /// The input features of one example (the last dimension of `inputShape`).
    public var inputSize: Int { inputShape.last ?? 1 }
    /// The output features of one example.
    public var outputSize: Int { outputShape.last ?? 1 }

    /// Outputs for every row of `x` ([n, inputs] → [n, outputs]), in batches of `batchSize`.
    public func predict(_ x: Tensor, batchSize: Int = 1024) -> Tensor {
        let rows = x.matrix
        precondition(rows.cols == inputSize, "predict: the model takes \(inputSize) features, the input has \(rows.cols)")
        let n = rows.rows
        let out = Tensor(shape: [n, outputSize])
        var start = 0
        while start < n {
            let end = min(n, start + max(batchSize, 1))
            let y = forward(rows.rows(start..<end), training: false)
            backend.copy(y.data, out.data + start * outputSize, count: y.count)
            start = end
        }
        return out
    }
}

/// A model's architecture as a Codable value that can build the model again: what model files
/// record. `SequentialConfiguration` is the built-in kind.
public protocol ModelConfiguration: Codable, Sendable {
    /// The kind name model files record; `ModelKinds` maps it back to this type.
    var kind: String { get }
    /// A new model with this architecture on `backend`, initialised from `generator`.
    func makeModel<B: Backend>(on backend: B, generator: inout RandomGenerator) throws -> any Model<B>
    /// How many floats of parameters the model will allocate (`Int.max` on overflow), or nil
    /// when unknown (default): see `LayerConfiguration.parameterCount`.
    var parameterCount: Int? { get }
}

extension ModelConfiguration {
    public var parameterCount: Int? { nil }
}
