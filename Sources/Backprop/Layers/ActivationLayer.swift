/// An activation as a layer of its own: y = f(x), dx = dy ⊙ f′(x) (formulas in `Activation`).
/// Dense layers fuse their activation; this layer is for models that want it separate.
public final class ActivationLayer<B: Backend>: Layer {
    public let backend: B
    public let activation: Activation
    public let inputSize: Int
    public var outputSize: Int { inputSize }
    public var parameters: [Parameter] { [] }

    private var input: Matrix?
    private let output = Workspace()
    private let gradInput = Workspace()

    public init(_ backend: B, _ activation: Activation, size: Int) {
        self.backend = backend
        self.activation = activation
        self.inputSize = size
    }

    public var spec: LayerSpec { LayerSpec(kind: "activation", inputs: inputSize, outputs: inputSize, activation: activation.description) }

    public func forward(_ x: Matrix, training: Bool) -> Matrix {
        let y = output.matrix(rows: x.rows, cols: x.cols)
        backend.unary(.activation(activation), x.data, y.data, count: x.count)
        input = x
        return y
    }

    public func backward(_ dy: Matrix, needsInputGradient: Bool) -> Matrix {
        guard let x = input else { preconditionFailure("ActivationLayer.backward before forward") }
        let y = output.matrix(rows: x.rows, cols: x.cols)
        let dx = gradInput.matrix(rows: x.rows, cols: x.cols)
        backend.activationGradient(activation, x: x.data, y: y.data, dy: dy.data, dx: dx.data, count: x.count)
        return dx
    }
}
