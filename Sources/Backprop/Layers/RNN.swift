/// An Elman recurrent layer (PyTorch's `torch.nn.RNN`): h_t = f(x_t W_ihᵀ + b_ih + h_{t−1} W_hhᵀ
/// + b_hh) with f = tanh (default) or ReLU — the lecture's h_t = tanh(W_hhᵀ h_{t−1} + W_xhᵀ x_t) —
/// over time-major batches [time, batch, input]; stacking, state, stateful mode, lengths and token
/// input as `Recurrent` describes. Weights `weight_ih_l{l}` [hidden, input], `weight_hh_l{l}`
/// [hidden, hidden], `bias_ih_l{l}`, `bias_hh_l{l}` [hidden], initialised U(−1/√hidden, 1/√hidden).
/// Defaults: tanh, one layer, every step's output.
///
/// The gradient reaching step t is multiplied by W_hhᵀ·diag(f′) once per step back: the
/// vanishing (or exploding) gradients of the lecture.
public final class RNN<B: Backend>: Recurrent<B> {
    /// `.tanh` or `.relu`.
    public let activation: Activation

    public init(_ backend: B, inputSize: Int, hiddenSize: Int, layers: Int = 1, activation: Activation = .tanh,
                returnSequences: Bool = true, tokens: Bool = false, generator: inout RandomGenerator) {
        precondition(activation == .tanh || activation == .relu, "RNN takes tanh or ReLU, got \(activation)")
        self.activation = activation
        super.init(backend, cell: .rnn(activation), inputSize: inputSize, hiddenSize: hiddenSize, layers: layers,
                   returnSequences: returnSequences, tokens: tokens, generator: &generator)
    }

    public override var configuration: any LayerConfiguration {
        RNNConfiguration(inputSize: inputSize, hiddenSize: hiddenSize, layers: layers, nonlinearity: activation == .relu ? "relu" : "tanh",
                         returnSequences: returnSequences, tokens: tokens)
    }
}

/// An RNN layer's settings (`nonlinearity` "tanh" or "relu", as PyTorch names it); `layers`
/// (default 1), `nonlinearity` (tanh) and `tokens` (false) may be left out.
public struct RNNConfiguration: LayerConfiguration, Equatable {
    public var kind: String { "rnn" }
    public var parameterCount: Int? { RecurrentConfiguration.parameterCount(gates: 1, inputSize, hiddenSize, layers) }
    public var inputSize: Int
    public var hiddenSize: Int
    public var layers: Int
    public var nonlinearity: String
    public var returnSequences: Bool
    public var tokens: Bool

    public init(inputSize: Int, hiddenSize: Int, layers: Int = 1, nonlinearity: String = "tanh", returnSequences: Bool = true,
                tokens: Bool = false) {
        self.inputSize = inputSize
        self.hiddenSize = hiddenSize
        self.layers = layers
        self.nonlinearity = nonlinearity
        self.returnSequences = returnSequences
        self.tokens = tokens
    }

    public init(from decoder: any Decoder) throws {
        let c = try decoder.container(keyedBy: CodingKeys.self)
        self.init(inputSize: try c.decode(Int.self, forKey: .inputSize), hiddenSize: try c.decode(Int.self, forKey: .hiddenSize),
                  layers: try c.decodeIfPresent(Int.self, forKey: .layers) ?? 1,
                  nonlinearity: try c.decodeIfPresent(String.self, forKey: .nonlinearity) ?? "tanh",
                  returnSequences: try c.decodeIfPresent(Bool.self, forKey: .returnSequences) ?? true,
                  tokens: try c.decodeIfPresent(Bool.self, forKey: .tokens) ?? false)
    }

    public func makeLayer<B: Backend>(on backend: B, generator: inout RandomGenerator) throws -> any Layer<B> {
        try RecurrentConfiguration.check("rnn", inputSize, hiddenSize, layers)
        guard nonlinearity == "tanh" || nonlinearity == "relu" else {
            throw ConfigurationError("rnn nonlinearity '\(nonlinearity)'; expected tanh or relu")
        }
        return RNN(backend, inputSize: inputSize, hiddenSize: hiddenSize, layers: layers, activation: nonlinearity == "relu" ? .relu : .tanh,
                   returnSequences: returnSequences, tokens: tokens, generator: &generator)
    }
}
