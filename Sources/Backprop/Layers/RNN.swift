/// An Elman recurrent layer over time-major sequence batches [time, batch, inputSize]
/// (PyTorch's `torch.nn.RNN`, one layer): h_t = f(x_t W_ihᵀ + b_ih + h_{t−1} W_hhᵀ + b_hh) with
/// f = tanh (default) or ReLU, h₀ = 0 — the lecture's h_t = tanh(W_hhᵀ h_{t−1} + W_xhᵀ x_t). The
/// output is every h_t, [time, batch, hidden] (`returnSequences`), or the last, [batch, hidden].
/// Weights in PyTorch's layout and names: `weight_ih_l0` [hidden, input], `weight_hh_l0`
/// [hidden, hidden], `bias_ih_l0`, `bias_hh_l0` [hidden], initialised U(−1/√hidden, 1/√hidden).
///
/// As `LSTM`: the input projection of all steps is one GEMM, the recurrent one a GEMM per step;
/// backpropagation through time forms the weight gradients and ∂L/∂x as single GEMMs over all
/// steps. The gradient reaching step t is multiplied by W_hhᵀ·diag(f′) once per step back: the
/// vanishing (or exploding) gradients of the lecture.
public final class RNN<B: Backend>: Layer {
    public let backend: B
    public let inputSize: Int
    public let hiddenSize: Int
    public let returnSequences: Bool
    /// `.tanh` or `.relu`.
    public let activation: Activation
    public let weightIH: Parameter
    public let weightHH: Parameter
    public let biasIH: Parameter
    public let biasHH: Parameter

    private var input: TensorView?
    private var steps = 0, batch = 0
    private let hiddens = Workspace(), biasSum = Workspace()
    private let dz = Workspace(), dh = Workspace(), dhNext = Workspace(), gradInput = Workspace(), sums = Workspace()

    public init(_ backend: B, inputSize: Int, hiddenSize: Int, activation: Activation = .tanh, returnSequences: Bool = true,
                generator: inout RandomGenerator) {
        precondition(inputSize > 0 && hiddenSize > 0, "RNN needs positive sizes, got \(inputSize)→\(hiddenSize)")
        precondition(activation == .tanh || activation == .relu, "RNN takes tanh or ReLU, got \(activation)")
        self.backend = backend
        self.inputSize = inputSize
        self.hiddenSize = hiddenSize
        self.activation = activation
        self.returnSequences = returnSequences
        weightIH = Parameter(name: "weight_ih_l0", shape: [hiddenSize, inputSize], isWeight: true)
        weightHH = Parameter(name: "weight_hh_l0", shape: [hiddenSize, hiddenSize], isWeight: true)
        biasIH = Parameter(name: "bias_ih_l0", shape: [hiddenSize], isWeight: false)
        biasHH = Parameter(name: "bias_hh_l0", shape: [hiddenSize], isWeight: false)
        Recurrence.initialize([weightIH, weightHH, biasIH, biasHH], hidden: hiddenSize, generator: &generator)
    }

    public var inputShape: Shape { [inputSize] }
    public var outputShape: Shape { [hiddenSize] }
    public var parameters: [Parameter] { [weightIH, weightHH, biasIH, biasHH] }
    public var configuration: any LayerConfiguration {
        RNNConfiguration(inputSize: inputSize, hiddenSize: hiddenSize, nonlinearity: activation == .relu ? "relu" : "tanh",
                         returnSequences: returnSequences)
    }
    public var torchModules: [String] { ["RNN"] }

    public func forward(_ x: TensorView, training: Bool) -> TensorView {
        precondition(x.shape.rank == 3 && x.cols == inputSize && x.isContiguous,
                     "RNN.forward: expects a contiguous [time, batch, \(inputSize)] sequence batch, got \(x.shape)")
        let (t, b, h) = (x.shape[0], x.shape[1], hiddenSize)
        (steps, batch, input) = (t, b, x)
        let hs = hiddens.view(Shape(t, b, h))
        // Z = X·W_ihᵀ + (b_ih + b_hh) for every step, in the output buffer (h_t overwrites Z_t).
        Recurrence.projectInputs(backend, x, weightIH: weightIH, biasIH: biasIH, biasHH: biasHH, biasSum: biasSum, into: hs.data, width: h)
        for s in 0..<t {
            let hsT = hs.data + s * b * h
            if s > 0 { Recurrence.addRecurrent(backend, hPrev: hsT - b * h, weightHH: weightHH, into: hsT, batch: b, width: h, hidden: h) }
            backend.unary(.activation(activation), hsT, hsT, count: b * h)
        }
        return returnSequences ? hs : TensorView(hs.data + (t - 1) * b * h, rows: b, cols: h, owner: hiddens)
    }

    public func backward(_ dy: TensorView, needsInputGradient: Bool) -> TensorView {
        guard let x = input else { preconditionFailure("RNN.backward before forward") }
        let (t, b, h) = (steps, batch, hiddenSize)
        precondition(dy.isContiguous && dy.count == (returnSequences ? t : 1) * b * h,
                     "RNN.backward: ∂L/∂output of shape \(dy.shape) for an output of \(returnSequences ? "[\(t), \(b), \(h)]" : "[\(b), \(h)]")")
        let hs = hiddens.view(Shape(t, b, h)), dZ = dz.matrix(rows: t * b, cols: h)
        let dhT = dh.matrix(rows: b, cols: h), dhN = dhNext.matrix(rows: b, cols: h)
        backend.fill(0, dhN.data, count: b * h)
        for s in stride(from: t - 1, through: 0, by: -1) {
            Recurrence.hidden(backend, dy: dy.data, dhNext: dhN.data, into: dhT.data, step: s, steps: t, count: b * h,
                                      returnSequences: returnSequences)
            let dzs = dZ.data + s * b * h, hsT = hs.data + s * b * h
            // dz_t = dh_t ⊙ f′, f′ from the output (1 − h² for tanh, [h > 0] for ReLU).
            backend.activationGradient(activation, x: hsT, y: hsT, dy: dhT.data, dx: dzs, count: b * h)
            if s > 0 { Recurrence.previousHidden(backend, dzs: dzs, weightHH: weightHH, into: dhN.data, batch: b, width: h, hidden: h) }
        }
        return Recurrence.finish(backend, dz: dZ.data, width: h, x: x, hiddens: hs.data, steps: t, batch: b, hidden: h,
                                         weightIH: weightIH, weightHH: weightHH, biasIH: biasIH, biasHH: biasHH, sums: sums,
                                         gradInput: gradInput, needsInputGradient: needsInputGradient)
    }
}

/// An RNN layer's settings (`nonlinearity` "tanh" or "relu", as PyTorch names it).
public struct RNNConfiguration: LayerConfiguration, Equatable {
    public var kind: String { "rnn" }
    public var parameterCount: Int? { inputSize <= 0 || hiddenSize <= 0 ? nil : checkedElementCount([[hiddenSize, inputSize], [hiddenSize, hiddenSize], [2, hiddenSize]]) }
    public var inputSize: Int
    public var hiddenSize: Int
    public var nonlinearity: String
    public var returnSequences: Bool

    public init(inputSize: Int, hiddenSize: Int, nonlinearity: String = "tanh", returnSequences: Bool = true) {
        self.inputSize = inputSize
        self.hiddenSize = hiddenSize
        self.nonlinearity = nonlinearity
        self.returnSequences = returnSequences
    }

    public func makeLayer<B: Backend>(on backend: B, generator: inout RandomGenerator) throws -> any Layer<B> {
        guard inputSize > 0, hiddenSize > 0, inputSize <= 1 << 20, hiddenSize <= 1 << 16 else {
            throw ConfigurationError("rnn layer with sizes \(inputSize)→\(hiddenSize); sizes must be positive (input ≤ 2^20, hidden ≤ 2^16)")
        }
        guard nonlinearity == "tanh" || nonlinearity == "relu" else {
            throw ConfigurationError("rnn nonlinearity '\(nonlinearity)'; expected tanh or relu")
        }
        return RNN(backend, inputSize: inputSize, hiddenSize: hiddenSize, activation: nonlinearity == "relu" ? .relu : .tanh,
                   returnSequences: returnSequences, generator: &generator)
    }
}
