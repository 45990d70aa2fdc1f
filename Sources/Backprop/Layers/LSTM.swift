/// A long short-term memory layer over time-major sequence batches [time, batch, inputSize]
/// (PyTorch's `torch.nn.LSTM`, one layer, equations and gate order i, f, g, o):
///
///     i_t = σ(x_t W_iiᵀ + b_ii + h_{t−1} W_hiᵀ + b_hi)      f_t = σ(… f …)
///     g_t = tanh(… g …)                                     o_t = σ(… o …)
///     c_t = f_t ⊙ c_{t−1} + i_t ⊙ g_t                       h_t = o_t ⊙ tanh(c_t)
///
/// with h₀ = c₀ = 0. The output is every h_t, [time, batch, hidden] (`returnSequences`, many to
/// many), or the last, [batch, hidden] (many to one). Weights in PyTorch's layout: `weight_ih_l0`
/// [4·hidden, input], `weight_hh_l0` [4·hidden, hidden], `bias_ih_l0`, `bias_hh_l0` [4·hidden],
/// gate blocks in the order i, f, g, o; initialised U(−1/√hidden, 1/√hidden) as PyTorch does,
/// with the forget gate's `bias_ih` set to 1 when `unitForgetBias` (Keras's `unit_forget_bias`).
///
/// The fast path: the input projection of all steps is one GEMM ([T·B, D]·[D, 4H]), the recurrent
/// projection one GEMM per step ([B, H]·[H, 4H]) accumulated onto it, the gates and cell update one
/// fused kernel per step (`lstmCellForward`); backpropagation through time runs the fused backward
/// per step and one GEMM for ∂L/∂h_{t−1}, then the weight gradients as two large GEMMs over all
/// steps and ∂L/∂x as one. Buffers are reused: a steady-state step allocates nothing.
public final class LSTM<B: Backend>: Layer {
    public let backend: B
    public let inputSize: Int
    public let hiddenSize: Int
    public let returnSequences: Bool
    public let unitForgetBias: Bool
    public let weightIH: Parameter
    public let weightHH: Parameter
    public let biasIH: Parameter
    public let biasHH: Parameter

    private var input: TensorView?
    private var steps = 0, batch = 0
    private let gates = Workspace(), cells = Workspace(), tanhCells = Workspace(), hiddens = Workspace()
    private let zeros = Workspace(), biasSum = Workspace()
    private let dGates = Workspace(), dh = Workspace(), dhNext = Workspace(), dc = Workspace(), gradInput = Workspace(), sums = Workspace()

    public init(_ backend: B, inputSize: Int, hiddenSize: Int, returnSequences: Bool = true, unitForgetBias: Bool = false,
                generator: inout RandomGenerator) {
        precondition(inputSize > 0 && hiddenSize > 0, "LSTM needs positive sizes, got \(inputSize)→\(hiddenSize)")
        self.backend = backend
        self.inputSize = inputSize
        self.hiddenSize = hiddenSize
        self.returnSequences = returnSequences
        self.unitForgetBias = unitForgetBias
        let g4 = 4 * hiddenSize
        weightIH = Parameter(name: "weight_ih_l0", shape: [g4, inputSize], isWeight: true)
        weightHH = Parameter(name: "weight_hh_l0", shape: [g4, hiddenSize], isWeight: true)
        biasIH = Parameter(name: "bias_ih_l0", shape: [g4], isWeight: false)
        biasHH = Parameter(name: "bias_hh_l0", shape: [g4], isWeight: false)
        Recurrence.initialize([weightIH, weightHH, biasIH, biasHH], hidden: hiddenSize, generator: &generator)
        if unitForgetBias { backend.fill(1, biasIH.value.data + hiddenSize, count: hiddenSize) }
    }

    public var inputShape: Shape { [inputSize] }
    public var outputShape: Shape { [hiddenSize] }
    public var parameters: [Parameter] { [weightIH, weightHH, biasIH, biasHH] }
    public var configuration: any LayerConfiguration {
        LSTMConfiguration(inputSize: inputSize, hiddenSize: hiddenSize, returnSequences: returnSequences, unitForgetBias: unitForgetBias)
    }
    public var torchModules: [String] { ["LSTM"] }

    public func forward(_ x: TensorView, training: Bool) -> TensorView {
        precondition(x.shape.rank == 3 && x.cols == inputSize && x.isContiguous,
                     "LSTM.forward: expects a contiguous [time, batch, \(inputSize)] sequence batch, got \(x.shape)")
        let (t, b, h, g4) = (x.shape[0], x.shape[1], hiddenSize, 4 * hiddenSize)
        (steps, batch, input) = (t, b, x)
        let z = gates.matrix(rows: t * b, cols: g4)
        let c = cells.matrix(rows: t * b, cols: h), tc = tanhCells.matrix(rows: t * b, cols: h)
        let hs = hiddens.view(Shape(t, b, h))
        let zero = zeros.matrix(rows: b, cols: h)
        backend.fill(0, zero.data, count: b * h)
        Recurrence.projectInputs(backend, x, weightIH: weightIH, biasIH: biasIH, biasHH: biasHH, biasSum: biasSum, into: z.data, width: g4)
        for s in 0..<t {
            let zs = z.data + s * b * g4
            if s > 0 {
                Recurrence.addRecurrent(backend, hPrev: hs.data + (s - 1) * b * h, weightHH: weightHH, into: zs, batch: b, width: g4, hidden: h)
            }
            backend.lstmCellForward(gates: zs, cPrev: s > 0 ? c.data + (s - 1) * b * h : zero.data, c: c.data + s * b * h,
                                    tanhC: tc.data + s * b * h, h: hs.data + s * b * h, batch: b, hidden: h)
        }
        return returnSequences ? hs : TensorView(hs.data + (t - 1) * b * h, rows: b, cols: h, owner: hiddens)
    }

    public func backward(_ dy: TensorView, needsInputGradient: Bool) -> TensorView {
        guard let x = input else { preconditionFailure("LSTM.backward before forward") }
        let (t, b, h, g4) = (steps, batch, hiddenSize, 4 * hiddenSize)
        precondition(dy.isContiguous && dy.count == (returnSequences ? t : 1) * b * h,
                     "LSTM.backward: ∂L/∂output of shape \(dy.shape) for an output of \(returnSequences ? "[\(t), \(b), \(h)]" : "[\(b), \(h)]")")
        let z = gates.matrix(rows: t * b, cols: g4), dz = dGates.matrix(rows: t * b, cols: g4)
        let c = cells.matrix(rows: t * b, cols: h), tc = tanhCells.matrix(rows: t * b, cols: h)
        let hs = hiddens.view(Shape(t, b, h)), zero = zeros.matrix(rows: b, cols: h)
        let dhT = dh.matrix(rows: b, cols: h), dhN = dhNext.matrix(rows: b, cols: h), dcT = dc.matrix(rows: b, cols: h)
        backend.fill(0, dhN.data, count: b * h)
        backend.fill(0, dcT.data, count: b * h)
        for s in stride(from: t - 1, through: 0, by: -1) {
            Recurrence.hidden(backend, dy: dy.data, dhNext: dhN.data, into: dhT.data, step: s, steps: t, count: b * h,
                                      returnSequences: returnSequences)
            let dzs = dz.data + s * b * g4
            backend.lstmCellBackward(gates: z.data + s * b * g4, cPrev: s > 0 ? c.data + (s - 1) * b * h : zero.data,
                                     tanhC: tc.data + s * b * h, dh: dhT.data, dc: dcT.data, dGates: dzs, batch: b, hidden: h)
            if s > 0 { Recurrence.previousHidden(backend, dzs: dzs, weightHH: weightHH, into: dhN.data, batch: b, width: g4, hidden: h) }
        }
        return Recurrence.finish(backend, dz: dz.data, width: g4, x: x, hiddens: hs.data, steps: t, batch: b, hidden: h,
                                         weightIH: weightIH, weightHH: weightHH, biasIH: biasIH, biasHH: biasHH, sums: sums,
                                         gradInput: gradInput, needsInputGradient: needsInputGradient)
    }
}

/// An LSTM layer's settings: `{"kind": "lstm", "inputSize": 8, "hiddenSize": 64, ...}`.
public struct LSTMConfiguration: LayerConfiguration, Equatable {
    public var kind: String { "lstm" }
    public var parameterCount: Int? { inputSize <= 0 || hiddenSize <= 0 ? nil : checkedElementCount([[4, hiddenSize, inputSize], [4, hiddenSize, hiddenSize], [8, hiddenSize]]) }
    public var inputSize: Int
    public var hiddenSize: Int
    public var returnSequences: Bool
    public var unitForgetBias: Bool

    public init(inputSize: Int, hiddenSize: Int, returnSequences: Bool = true, unitForgetBias: Bool = false) {
        self.inputSize = inputSize
        self.hiddenSize = hiddenSize
        self.returnSequences = returnSequences
        self.unitForgetBias = unitForgetBias
    }

    public func makeLayer<B: Backend>(on backend: B, generator: inout RandomGenerator) throws -> any Layer<B> {
        guard inputSize > 0, hiddenSize > 0, inputSize <= 1 << 20, hiddenSize <= 1 << 16 else {
            throw ConfigurationError("lstm layer with sizes \(inputSize)→\(hiddenSize); sizes must be positive (input ≤ 2^20, hidden ≤ 2^16)")
        }
        return LSTM(backend, inputSize: inputSize, hiddenSize: hiddenSize, returnSequences: returnSequences,
                    unitForgetBias: unitForgetBias, generator: &generator)
    }
}
