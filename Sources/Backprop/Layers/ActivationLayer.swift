/// An activation as a layer of its own: y = f(x), dx = dy ⊙ f′(x) (formulas in `Activation`).
/// Dense layers fuse their activation; this layer is for models that want it separate.
public final class ActivationLayer<B: Backend>: Layer {
    public let backend: B
    public let activation: Activation
    public let size: Int
    public var parameters: [Parameter] { [] }

    private var input: TensorView?
    private let output = Workspace()
    private let gradInput = Workspace()

    public init(_ backend: B, _ activation: Activation, size: Int) {
        self.backend = backend
        self.activation = activation
        self.size = size
    }

    public var inputShape: Shape { [size] }
    public var outputShape: Shape { [size] }
    public var configuration: any LayerConfiguration { ActivationConfiguration(size: size, activation: activation) }

    public var torchModules: [String] { [activation.torchModule] }

    public func forward(_ x: TensorView, training: Bool) -> TensorView {
        precondition(x.cols == size && x.isContiguous, "ActivationLayer.forward: expects contiguous rows of \(size), got \(x.shape)")
        let y = output.view(x.shape)
        backend.unary(.activation(activation), x.data, y.data, count: x.count)
        input = x
        return y
    }

    public func backward(_ dy: TensorView, needsInputGradient: Bool) -> TensorView {
        guard let x = input else { preconditionFailure("ActivationLayer.backward before forward") }
        precondition(dy.count == x.count && dy.isContiguous, "ActivationLayer.backward: ∂L/∂y of shape \(dy.shape) for \(x.shape)")
        let y = output.view(x.shape)
        let dx = gradInput.view(x.shape)
        backend.activationGradient(activation, x: x.data, y: y.data, dy: dy.data, dx: dx.data, count: x.count)
        return dx
    }
}

/// An `ActivationLayer`'s settings: `{"size": 128, "activation": "tanh"}`.
public struct ActivationConfiguration: LayerConfiguration, Equatable {
    public var parameterCount: Int? { 0 }
    public var kind: String { "activation" }
    public var size: Int
    public var activation: Activation

    public init(size: Int, activation: Activation) {
        self.size = size
        self.activation = activation
    }

    public func makeLayer<B: Backend>(on backend: B, generator: inout RandomGenerator) throws -> any Layer<B> {
        guard size > 0 else { throw ConfigurationError("activation layer of size \(size); sizes must be positive") }
        return ActivationLayer(backend, activation, size: size)
    }
}

extension Activation {
    /// The `torch.nn` module PyTorch prints for this activation, e.g. `ReLU()`, `LeakyReLU(negative_slope=0.01)`.
    public var torchModule: String {
        switch self {
        case .identity: return "Identity()"
        case .sigmoid: return "Sigmoid()"
        case .tanh: return "Tanh()"
        case .relu: return "ReLU()"
        case .leakyReLU(let a): return "LeakyReLU(negative_slope=\(a))"
        case .elu(let a): return "ELU(alpha=\(a))"
        case .step: return "Heaviside()"
        }
    }
}
