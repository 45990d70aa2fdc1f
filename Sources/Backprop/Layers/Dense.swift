/// A fully connected layer with a fused activation: Y = f(X·W + b).
///
/// Shapes: X [batch, in], W [in, out], b [out], Y [batch, out].
/// Forward: one GEMM (X·W) and one fused bias + activation pass.
/// Backward, with dZ = dY ⊙ f′ (taken from Y; see `Activation`):
/// dW = Xᵀ·dZ, db = Σ_rows dZ, dX = dZ·Wᵀ.
/// Defaults: activation identity; weights from `Initializer.default(for:)`, biases zero.
public final class Dense<B: Backend>: Layer {
    public let backend: B
    public let inputSize: Int
    public let outputSize: Int
    public let activation: Activation
    public let weight: Parameter
    public let bias: Parameter

    private var input: Matrix?
    private let output = Workspace()
    private let gradZ = Workspace()
    private let gradInput = Workspace()

    /// A dense layer; weights drawn from `initializer` (default: by activation) with `generator`.
    public init(_ backend: B, inputs: Int, outputs: Int, activation: Activation = .identity,
                initializer: Initializer? = nil, generator: inout RandomGenerator) {
        precondition(inputs > 0 && outputs > 0, "Dense needs positive sizes, got \(inputs)→\(outputs)")
        if case .leakyReLU(let a) = activation { precondition(a >= 0, "leaky ReLU needs α ≥ 0") }
        if case .elu(let a) = activation { precondition(a >= 0, "ELU needs α ≥ 0") }
        self.backend = backend
        self.inputSize = inputs
        self.outputSize = outputs
        self.activation = activation
        weight = Parameter(name: "weight", shape: [inputs, outputs], isWeight: true)
        bias = Parameter(name: "bias", shape: [outputs], isWeight: false)
        (initializer ?? .default(for: activation)).fill(weight.value, fanIn: inputs, fanOut: outputs,
                                                        backend: backend, generator: &generator)
    }

    public var parameters: [Parameter] { [weight, bias] }

    public var spec: LayerSpec {
        LayerSpec(kind: "dense", inputs: inputSize, outputs: outputSize, activation: activation.description)
    }

    public func forward(_ x: Matrix, training: Bool) -> Matrix {
        precondition(x.cols == inputSize, "Dense expects \(inputSize) inputs, got \(x.cols)")
        let y = output.matrix(rows: x.rows, cols: outputSize)
        backend.gemm(.none, .none, m: x.rows, n: outputSize, k: inputSize, alpha: 1,
                     a: x.data, lda: inputSize, b: weight.value.data, ldb: outputSize, beta: 0, c: y.data, ldc: outputSize)
        backend.biasActivation(activation, y.data, bias: bias.value.data, y.data, rows: x.rows, cols: outputSize)
        input = x
        return y
    }

    public func backward(_ dy: Matrix, needsInputGradient: Bool) -> Matrix {
        guard let x = input else { preconditionFailure("Dense.backward before forward") }
        let rows = x.rows
        let y = output.matrix(rows: rows, cols: outputSize)
        var dz = dy
        if activation != .identity {
            dz = gradZ.matrix(rows: rows, cols: outputSize)
            backend.activationGradient(activation, x: y.data, y: y.data, dy: dy.data, dx: dz.data, count: dz.count)
        }
        // dW = Xᵀ·dZ   [in, out] = [in, batch]·[batch, out]
        backend.gemm(.transpose, .none, m: inputSize, n: outputSize, k: rows, alpha: 1,
                     a: x.data, lda: inputSize, b: dz.data, ldb: outputSize, beta: 0, c: weight.grad.data, ldc: outputSize)
        // db = column sums of dZ
        backend.reduce(.sum, .columns, dz.data, rows: rows, cols: outputSize, bias.grad.data)
        let dx = gradInput.matrix(rows: rows, cols: inputSize)
        if needsInputGradient {
            // dX = dZ·Wᵀ   [batch, in] = [batch, out]·[out, in]
            backend.gemm(.none, .transpose, m: rows, n: inputSize, k: outputSize, alpha: 1,
                         a: dz.data, lda: outputSize, b: weight.value.data, ldb: outputSize, beta: 0, c: dx.data, ldc: inputSize)
        }
        return dx
    }
}
