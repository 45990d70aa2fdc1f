/// A fully connected layer with a fused activation: Y = f(X·W + b).
///
/// Shapes: X [batch, in], W [in, out], b [out], Y [batch, out] (or [time, batch, ·] for a
/// sequence batch, all steps in one GEMM). Forward: one GEMM (X·W) and one fused bias +
/// activation pass. Backward, with dZ = dY ⊙ f′ (taken from Y; see `Activation`), adding into the
/// gradients: dW += Xᵀ·dZ, db += Σ_rows dZ, and dX = dZ·Wᵀ.
///
/// In model files W is stored as PyTorch's `Linear.weight`, [out, in] (its transpose), and the
/// layer stands for two modules of a `torch.nn.Sequential` when it has an activation.
/// Defaults: activation identity; weights from `Initializer.default(for:)`, biases zero.
public final class Dense<B: Backend>: Layer {
    public let backend: B
    public let inputSize: Int
    public let outputSize: Int
    public let activation: Activation
    public let weight: Parameter
    public let bias: Parameter

    private var input: TensorView?
    private let output = Workspace()
    private let gradZ = Workspace()
    private let gradInput = Workspace()
    private let biasSums = Workspace()

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

    public var inputShape: Shape { [inputSize] }
    public var outputShape: Shape { [outputSize] }
    public var parameters: [Parameter] { [weight, bias] }
    public var configuration: any LayerConfiguration {
        DenseConfiguration(inputs: inputSize, outputs: outputSize, activation: activation)
    }

    public func forward(_ x: TensorView, training: Bool) -> TensorView {
        precondition(x.cols == inputSize, "Dense.forward: expects \(inputSize) input features, got a view of shape \(x.shape)")
        let rows = x.rows
        let y = output.view(x.shape.replacingLast(outputSize))
        backend.gemm(.none, .none, m: rows, n: outputSize, k: inputSize, alpha: 1,
                     a: x.data, lda: x.rowStride, b: weight.value.data, ldb: outputSize, beta: 0, c: y.data, ldc: outputSize)
        backend.biasActivation(activation, y.data, bias: bias.value.data, y.data, rows: rows, cols: outputSize)
        input = x
        return y
    }

    public func backward(_ dy: TensorView, needsInputGradient: Bool) -> TensorView {
        guard let x = input else { preconditionFailure("Dense.backward before forward") }
        let rows = x.rows
        precondition(dy.rows == rows && dy.cols == outputSize && dy.isContiguous,
                     "Dense.backward: ∂L/∂Y of shape \(dy.shape) for an output of \(rows)x\(outputSize)")
        let y = output.view(x.shape.replacingLast(outputSize))
        var dz = dy
        if activation != .identity {
            dz = gradZ.matrix(rows: rows, cols: outputSize)
            backend.activationGradient(activation, x: y.data, y: y.data, dy: dy.data, dx: dz.data, count: dz.count)
        }
        // dW += Xᵀ·dZ   [in, out] = [in, batch]·[batch, out]
        backend.gemm(.transpose, .none, m: inputSize, n: outputSize, k: rows, alpha: 1,
                     a: x.data, lda: x.rowStride, b: dz.data, ldb: outputSize, beta: 1, c: weight.grad.data, ldc: outputSize)
        // db += column sums of dZ
        let sums = biasSums.matrix(rows: 1, cols: outputSize)
        backend.reduce(.sum, .columns, dz.data, rows: rows, cols: outputSize, sums.data)
        backend.axpy(alpha: 1, sums.data, bias.grad.data, count: outputSize)
        let dx = gradInput.view(x.shape)
        if needsInputGradient {
            // dX = dZ·Wᵀ   [batch, in] = [batch, out]·[out, in]
            backend.gemm(.none, .transpose, m: rows, n: inputSize, k: outputSize, alpha: 1,
                         a: dz.data, lda: outputSize, b: weight.value.data, ldb: outputSize, beta: 0, c: dx.data, ldc: inputSize)
        }
        return dx
    }

    /// `Linear(in_features=…, out_features=…)`, then the activation's module unless it is the identity.
    public var torchModules: [String] {
        let linear = "Linear(in_features=\(inputSize), out_features=\(outputSize), bias=True)"
        return activation == .identity ? [linear] : [linear, activation.torchModule]
    }

    /// `I.weight` [out, in] (PyTorch's `Linear.weight`, the transpose of W) and `I.bias` [out].
    public func stateDict(moduleIndex: Int) -> [(name: String, tensor: Tensor)] {
        [("\(moduleIndex).weight", Self.transposed(weight.value, rows: inputSize, cols: outputSize)),
         ("\(moduleIndex).bias", bias.value)]
    }

    public func loadStateDict(_ tensors: [String: Tensor], moduleIndex: Int, source: String) throws {
        let w = try Self.tensor("\(moduleIndex).weight", shape: [outputSize, inputSize], in: tensors, source: source)
        let b = try Self.tensor("\(moduleIndex).bias", shape: [outputSize], in: tensors, source: source)
        weight.value.assign(from: Self.transposed(w, rows: outputSize, cols: inputSize))
        bias.value.assign(from: b)
    }

    /// The [cols, rows] transpose of a [rows, cols] tensor.
    static func transposed(_ t: Tensor, rows: Int, cols: Int) -> Tensor {
        let out = Tensor(shape: [cols, rows])
        for i in 0..<rows {
            for j in 0..<cols { out.data[j * rows + i] = t.data[i * cols + j] }
        }
        return out
    }
}

/// A `Dense` layer's settings: `{"inputs": 784, "outputs": 256, "activation": "relu"}`.
public struct DenseConfiguration: LayerConfiguration, Equatable {
    public var kind: String { "dense" }
    public var parameterCount: Int? { inputs > 0 && outputs > 0 ? checkedElementCount([[inputs, outputs], [outputs]]) : nil }
    public var inputs: Int
    public var outputs: Int
    public var activation: Activation

    public init(inputs: Int, outputs: Int, activation: Activation) {
        self.inputs = inputs
        self.outputs = outputs
        self.activation = activation
    }

    public func makeLayer<B: Backend>(on backend: B, generator: inout RandomGenerator) throws -> any Layer<B> {
        guard inputs > 0, outputs > 0 else { throw ConfigurationError("dense layer with sizes \(inputs)→\(outputs); sizes must be positive") }
        if case .leakyReLU(let a) = activation, !(a >= 0) { throw ConfigurationError("leaky ReLU needs α ≥ 0, got \(a)") }
        if case .elu(let a) = activation, !(a >= 0) { throw ConfigurationError("ELU needs α ≥ 0, got \(a)") }
        if activation == .step { throw ConfigurationError("the step activation has no gradient; a dense layer cannot use it") }
        return Dense(backend, inputs: inputs, outputs: outputs, activation: activation, generator: &generator)
    }
}
