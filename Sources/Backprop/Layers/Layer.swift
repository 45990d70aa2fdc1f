/// A layer of a network: a forward map of a batch and its backward pass.
///
/// **Shapes.** `inputShape` and `outputShape` are per example, without the batch axis (a dense
/// layer is [in] → [out]). A layer reads its input as a matrix of examples by its last dimension:
/// a [batch, features] batch, or a time-major sequence batch [time, batch, features] (see
/// `TensorView`), which a dense layer maps step by step in one GEMM.
///
/// **The contract.** `forward` returns a view of the layer's own output buffer and remembers what
/// `backward` needs. `backward` takes ∂L/∂output and returns ∂L/∂input (a view of its own buffer),
/// and **adds** ∂L/∂θ into each parameter's `grad` (GEMMs with β = 1, bias sums accumulated): a
/// parameter used at several time steps, or a model run on several micro-batches before one
/// update, receives the sum of its gradients. Whoever runs the step clears the gradients first
/// (`Model.zeroGradients()`). Buffers grow to the largest batch seen and are reused, so
/// steady-state steps allocate nothing.
///
/// **Files.** `configuration` is the layer's kind and settings as a Codable value that can build
/// the layer again (`LayerConfiguration.makeLayer`); a layer defined outside Backprop registers
/// its configuration type with `LayerKinds.register(_:)` so that models holding it save and load.
/// Its parameters are stored as `torch.nn.Sequential` names them: `stateDict(moduleIndex:)`.
public protocol Layer<B>: AnyObject {
    associatedtype B: Backend
    var backend: B { get }
    /// The shape of one example's input, without the batch (or time) axis.
    var inputShape: Shape { get }
    /// The shape of one example's output.
    var outputShape: Shape { get }
    /// Trainable parameters (empty for parameter-free layers), with names local to the layer.
    var parameters: [Parameter] { get }
    /// The kind and settings, for model files.
    var configuration: any LayerConfiguration { get }

    func forward(_ x: TensorView, training: Bool) -> TensorView
    /// ∂L/∂input from ∂L/∂output, adding ∂L/∂θ into the parameters' gradients. When
    /// `needsInputGradient` is false (the first layer), the input gradient may be skipped and the
    /// returned view is unspecified.
    func backward(_ dy: TensorView, needsInputGradient: Bool) -> TensorView

    /// The modules of a `torch.nn.Sequential` this layer stands for, as PyTorch prints them (a
    /// dense layer with an activation is a `Linear` and an activation module). Default: the kind.
    var torchModules: [String] { get }
    /// The parameters under PyTorch's names and layouts, for a layer that is module
    /// `moduleIndex` of a `torch.nn.Sequential` (default: `INDEX.NAME` as stored).
    func stateDict(moduleIndex: Int) -> [(name: String, tensor: Tensor)]
    /// Sets the parameters from PyTorch-named tensors (the inverse of `stateDict`); throws a
    /// `DataError` naming `source` for a missing tensor or a wrong shape.
    func loadStateDict(_ tensors: [String: Tensor], moduleIndex: Int, source: String) throws
    /// The random streams the layer draws from in training (dropout masks), so that a checkpoint
    /// can resume them exactly. Default: none.
    var randomStreams: [RandomGenerator] { get set }
}

extension Layer {
    public var torchModules: [String] { [configuration.kind] }

    /// How many modules of a `torch.nn.Sequential` this layer stands for.
    public var torchModuleCount: Int { torchModules.count }

    public func stateDict(moduleIndex: Int) -> [(name: String, tensor: Tensor)] {
        parameters.map { ("\(moduleIndex).\($0.name)", $0.value) }
    }

    public func loadStateDict(_ tensors: [String: Tensor], moduleIndex: Int, source: String) throws {
        for p in parameters {
            let name = "\(moduleIndex).\(p.name)"
            let t = try Self.tensor(name, shape: p.shape, in: tensors, source: source)
            p.value.assign(from: t)
        }
    }

    public var randomStreams: [RandomGenerator] {
        get { [] }
        set { precondition(newValue.isEmpty, "\(Self.self) has no random streams") }
    }

    /// The input features of one example (the last dimension of `inputShape`).
    public var inputSize: Int { inputShape.last ?? 1 }
    /// The output features of one example.
    public var outputSize: Int { outputShape.last ?? 1 }

    /// `tensors[name]`, which must have `shape`.
    public static func tensor(_ name: String, shape: [Int], in tensors: [String: Tensor], source: String) throws -> Tensor {
        guard let t = tensors[name] else { throw DataError(source, "missing tensor \(name)") }
        guard t.shape == shape else { throw DataError(source, "tensor \(name) has shape \(t.shape); the architecture says \(shape)") }
        return t
    }
}
