/// A gated recurrent unit layer (PyTorch's `torch.nn.GRU`: equations and gate order r, z, n):
///
///     r_t = σ(x_t W_irᵀ + b_ir + h_{t−1} W_hrᵀ + b_hr)      z_t = σ(… z …)
///     n_t = tanh(x_t W_inᵀ + b_in + r_t ⊙ (h_{t−1} W_hnᵀ + b_hn))
///     h_t = (1 − z_t) ⊙ n_t + z_t ⊙ h_{t−1}
///
/// over time-major batches [time, batch, input]; stacking, state, stateful mode, lengths and
/// token input as `Recurrent` describes. Weights `weight_ih_l{l}` [3·hidden, input],
/// `weight_hh_l{l}` [3·hidden, hidden], `bias_ih_l{l}`, `bias_hh_l{l}` [3·hidden], gate blocks
/// in the order r, z, n, initialised U(−1/√hidden, 1/√hidden). Defaults: one layer, every step's
/// output. The fused step is `gruCellForward` / `gruCellBackward`; z_t ⊙ h_{t−1} is the gated
/// path the gradient takes back through time.
public final class GRU<B: Backend>: Recurrent<B> {
    public init(_ backend: B, inputSize: Int, hiddenSize: Int, layers: Int = 1, returnSequences: Bool = true, tokens: Bool = false,
                generator: inout RandomGenerator) {
        super.init(backend, cell: .gru, inputSize: inputSize, hiddenSize: hiddenSize, layers: layers,
                   returnSequences: returnSequences, tokens: tokens, generator: &generator)
    }

    public override var configuration: any LayerConfiguration {
        GRUConfiguration(inputSize: inputSize, hiddenSize: hiddenSize, layers: layers, returnSequences: returnSequences, tokens: tokens)
    }
}

/// A GRU layer's settings: `{"kind": "gru", "inputSize": 8, "hiddenSize": 64, ...}`; `layers`
/// (default 1), `returnSequences` (true) and `tokens` (false) may be left out.
public struct GRUConfiguration: LayerConfiguration, Equatable {
    public var kind: String { "gru" }
    public var parameterCount: Int? { RecurrentConfiguration.parameterCount(gates: 3, inputSize, hiddenSize, layers) }
    public var inputSize: Int
    public var hiddenSize: Int
    public var layers: Int
    public var returnSequences: Bool
    public var tokens: Bool

    public init(inputSize: Int, hiddenSize: Int, layers: Int = 1, returnSequences: Bool = true, tokens: Bool = false) {
        self.inputSize = inputSize
        self.hiddenSize = hiddenSize
        self.layers = layers
        self.returnSequences = returnSequences
        self.tokens = tokens
    }

    public init(from decoder: any Decoder) throws {
        let c = try decoder.container(keyedBy: CodingKeys.self)
        self.init(inputSize: try c.decode(Int.self, forKey: .inputSize), hiddenSize: try c.decode(Int.self, forKey: .hiddenSize),
                  layers: try c.decodeIfPresent(Int.self, forKey: .layers) ?? 1,
                  returnSequences: try c.decodeIfPresent(Bool.self, forKey: .returnSequences) ?? true,
                  tokens: try c.decodeIfPresent(Bool.self, forKey: .tokens) ?? false)
    }

    public func makeLayer<B: Backend>(on backend: B, generator: inout RandomGenerator) throws -> any Layer<B> {
        try RecurrentConfiguration.check("gru", inputSize, hiddenSize, layers)
        return GRU(backend, inputSize: inputSize, hiddenSize: hiddenSize, layers: layers, returnSequences: returnSequences,
                   tokens: tokens, generator: &generator)
    }
}
