/// A long short-term memory layer (PyTorch's `torch.nn.LSTM`: equations and gate order i, f, g, o):
///
///     i_t = σ(x_t W_iiᵀ + b_ii + h_{t−1} W_hiᵀ + b_hi)      f_t = σ(… f …)
///     g_t = tanh(… g …)                                     o_t = σ(… o …)
///     c_t = f_t ⊙ c_{t−1} + i_t ⊙ g_t                       h_t = o_t ⊙ tanh(c_t)
///
/// over time-major batches [time, batch, input]; stacking, state, stateful mode, lengths and
/// token input as `Recurrent` describes. Weights `weight_ih_l{l}` [4·hidden, input],
/// `weight_hh_l{l}` [4·hidden, hidden], `bias_ih_l{l}`, `bias_hh_l{l}` [4·hidden], gate blocks
/// in the order i, f, g, o, initialised U(−1/√hidden, 1/√hidden); with `unitForgetBias` (Keras's
/// `unit_forget_bias`) the forget gate's `bias_ih` starts at 1. Defaults: one layer, every
/// step's output, no unit forget bias.
///
/// The gradient through the cell state is c_{t−1} ← f_t ⊙ δc_t: no squashing nonlinearity and no
/// weight matrix on that path — the lecture's "uninterrupted gradient flow".
public final class LSTM<B: Backend>: Recurrent<B> {
    public let unitForgetBias: Bool

    public init(_ backend: B, inputSize: Int, hiddenSize: Int, layers: Int = 1, returnSequences: Bool = true,
                unitForgetBias: Bool = false, tokens: Bool = false, generator: inout RandomGenerator) {
        self.unitForgetBias = unitForgetBias
        super.init(backend, cell: .lstm, inputSize: inputSize, hiddenSize: hiddenSize, layers: layers,
                   returnSequences: returnSequences, tokens: tokens, generator: &generator)
        if unitForgetBias {
            for u in units { backend.fill(1, u.biasIH.value.data + hiddenSize, count: hiddenSize) }
        }
    }

    public override var configuration: any LayerConfiguration {
        LSTMConfiguration(inputSize: inputSize, hiddenSize: hiddenSize, layers: layers, returnSequences: returnSequences,
                          unitForgetBias: unitForgetBias, tokens: tokens)
    }
}

/// An LSTM layer's settings: `{"kind": "lstm", "inputSize": 8, "hiddenSize": 64, ...}`; `layers`
/// (default 1) and `tokens` (default false) may be left out.
public struct LSTMConfiguration: LayerConfiguration, Equatable {
    public var kind: String { "lstm" }
    public var parameterCount: Int? { RecurrentConfiguration.parameterCount(gates: 4, inputSize, hiddenSize, layers) }
    public var inputSize: Int
    public var hiddenSize: Int
    public var layers: Int
    public var returnSequences: Bool
    public var unitForgetBias: Bool
    public var tokens: Bool

    public init(inputSize: Int, hiddenSize: Int, layers: Int = 1, returnSequences: Bool = true, unitForgetBias: Bool = false,
                tokens: Bool = false) {
        self.inputSize = inputSize
        self.hiddenSize = hiddenSize
        self.layers = layers
        self.returnSequences = returnSequences
        self.unitForgetBias = unitForgetBias
        self.tokens = tokens
    }

    public init(from decoder: any Decoder) throws {
        let c = try decoder.container(keyedBy: CodingKeys.self)
        self.init(inputSize: try c.decode(Int.self, forKey: .inputSize), hiddenSize: try c.decode(Int.self, forKey: .hiddenSize),
                  layers: try c.decodeIfPresent(Int.self, forKey: .layers) ?? 1,
                  returnSequences: try c.decodeIfPresent(Bool.self, forKey: .returnSequences) ?? true,
                  unitForgetBias: try c.decodeIfPresent(Bool.self, forKey: .unitForgetBias) ?? false,
                  tokens: try c.decodeIfPresent(Bool.self, forKey: .tokens) ?? false)
    }

    public func makeLayer<B: Backend>(on backend: B, generator: inout RandomGenerator) throws -> any Layer<B> {
        try RecurrentConfiguration.check("lstm", inputSize, hiddenSize, layers)
        return LSTM(backend, inputSize: inputSize, hiddenSize: hiddenSize, layers: layers, returnSequences: returnSequences,
                    unitForgetBias: unitForgetBias, tokens: tokens, generator: &generator)
    }
}
