/// What `RNN`, `LSTM` and `GRU` share: a stack of `layers` recurrent layers over time-major
/// sequence batches [time, batch, inputSize] (PyTorch's `num_layers`; layer l > 0 reads layer
/// l − 1's hidden states), an initial state given or zero, the final state, a stateful mode for
/// truncated backpropagation through time, and per-sequence lengths for many-to-one outputs.
///
/// **Output.** Every step's top-layer h_t, [time, batch, hidden] (`returnSequences`, many to
/// many), or the last, [batch, hidden] (many to one) — with `lengths`, sequence b's h at step
/// `lengths[b]` (padding after it is ignored, and gets no gradient).
///
/// **State.** `initialState` (h₀, and c₀ for an LSTM, [layers, batch, hidden] as PyTorch's
/// `(h_0, c_0)`) is used by every forward while set; nil means zeros. After a backward,
/// `initialStateGradient` holds ∂L/∂h₀ (and ∂L/∂c₀) for a given initial state. `finalState()` is
/// (h_T, c_T) of the last forward. When `isStateful`, each forward starts from the previous
/// forward's final state — detached, so gradients stop at the batch boundary (truncated BPTT) —
/// as long as the batch size stays the same; `resetState()` starts again from zeros.
///
/// **Token input.** With `tokens`, the input is [time, batch] token indices (as floats) of an
/// `inputSize`-token vocabulary, the same mathematics as one-hot rows, computed as a row gather
/// of W_ihᵀ (and a scatter-add for its gradient) instead of a GEMM with a one-hot matrix.
///
/// **Parameters**, per layer l, in PyTorch's names and layouts: `weight_ih_l{l}` [G·hidden,
/// input] (input = hidden for l > 0), `weight_hh_l{l}` [G·hidden, hidden], `bias_ih_l{l}`,
/// `bias_hh_l{l}` [G·hidden], with G gate blocks (RNN 1, GRU 3, LSTM 4), all initialised
/// U(−1/√hidden, 1/√hidden) as PyTorch does.
public class Recurrent<B: Backend>: Layer {
    public let backend: B
    /// Input features per step (the vocabulary size for token input).
    public let inputSize: Int
    public let hiddenSize: Int
    /// Stacked layers (PyTorch's `num_layers`).
    public let layers: Int
    public let returnSequences: Bool
    /// The input is token indices of an `inputSize` vocabulary rather than feature vectors.
    public let tokens: Bool
    /// Each forward starts from the last forward's final state (detached) when the batch size matches.
    public var isStateful = false
    /// h₀ (and c₀) for every forward while set, [layers, batch, hidden] each; nil: zeros.
    public var initialState: RecurrentState?
    /// Valid steps per sequence of the next forwards (1…time each), for many-to-one outputs over
    /// padded batches; nil: every sequence is full length.
    public var lengths: [Int]?
    /// ∂L/∂h₀ (and ∂L/∂c₀) from the last backward, when `initialState` was given.
    public private(set) var initialStateGradient: RecurrentState?

    let cell: RecurrentCell
    let units: [RecurrentUnit<B>]
    private let carryH = Workspace(), carryC = Workspace(), last = Workspace(), stateIn = Workspace()
    private var carryBatch = 0
    private var steps = 0, batch = 0

    init(_ backend: B, cell: RecurrentCell, inputSize: Int, hiddenSize: Int, layers: Int, returnSequences: Bool, tokens: Bool,
         generator: inout RandomGenerator) {
        precondition(inputSize > 0 && hiddenSize > 0 && layers >= 1,
                     "recurrent layer needs positive sizes and ≥ 1 layer, got \(inputSize)→\(hiddenSize) × \(layers)")
        self.backend = backend
        self.cell = cell
        self.inputSize = inputSize
        self.hiddenSize = hiddenSize
        self.layers = layers
        self.returnSequences = returnSequences
        self.tokens = tokens
        units = (0..<layers).map { l in
            RecurrentUnit(backend, cell: cell, inputSize: l == 0 ? inputSize : hiddenSize, hidden: hiddenSize,
                          tokens: tokens && l == 0, layer: l, generator: &generator)
        }
    }

    public var inputShape: Shape { tokens ? [1] : [inputSize] }
    public var outputShape: Shape { [hiddenSize] }
    public var parameters: [Parameter] { units.flatMap(\.parameters) }
    /// Layer 0's input-to-hidden weight, W_ih [G·hidden, input].
    public var weightIH: Parameter { units[0].weightIH }
    /// Layer 0's hidden-to-hidden weight, W_hh [G·hidden, hidden].
    public var weightHH: Parameter { units[0].weightHH }
    /// Layer 0's input bias b_ih [G·hidden].
    public var biasIH: Parameter { units[0].biasIH }
    /// Layer 0's hidden bias b_hh [G·hidden].
    public var biasHH: Parameter { units[0].biasHH }
    /// Overridden by each cell's class.
    public var configuration: any LayerConfiguration { preconditionFailure("Recurrent is abstract") }
    /// The module as PyTorch prints it: `LSTM(114, 256)`, `GRU(3, 8, num_layers=2)`, ….
    public var torchModules: [String] {
        let name: String
        switch cell {
        case .rnn: name = "RNN"
        case .lstm: name = "LSTM"
        case .gru: name = "GRU"
        }
        var extra = layers > 1 ? ", num_layers=\(layers)" : ""
        if case .rnn(.relu) = cell { extra += ", nonlinearity='relu'" }
        return ["\(name)(\(inputSize), \(hiddenSize)\(extra))"]
    }
    /// Whether the state carries a cell (LSTM).
    var hasCell: Bool { cell == .lstm }

    public func forward(_ x: TensorView, training: Bool) -> TensorView {
        let t = x.shape.rank >= 1 ? x.shape[0] : 0, b = x.shape.rank >= 2 ? x.shape[1] : 0
        if tokens {
            precondition((x.shape.rank == 2 || (x.shape.rank == 3 && x.shape[2] == 1)) && x.isContiguous && t > 0 && b > 0,
                         "\(Self.self).forward: expects contiguous [time, batch] token indices, got \(x.shape)")
        } else {
            precondition(x.shape.rank == 3 && x.cols == inputSize && x.isContiguous && t > 0 && b > 0,
                         "\(Self.self).forward: expects a contiguous [time, batch, \(inputSize)] sequence batch, got \(x.shape)")
        }
        if let lengths {
            precondition(lengths.count == b && lengths.allSatisfy { $0 >= 1 && $0 <= t },
                         "\(Self.self).forward: \(lengths.count) lengths for a batch of \(b), each must be in 1...\(t)")
        }
        (steps, batch) = (t, b)
        let (h, lh) = (hiddenSize, layers * b * hiddenSize)
        // The start: the given initial state, the carried one (stateful), or zeros (nil).
        var h0: UnsafeMutablePointer<Float>?, c0: UnsafeMutablePointer<Float>?
        if let s = initialState {
            precondition(s.hidden.shape == [layers, b, h] && (s.cell?.shape == [layers, b, h]) == hasCell,
                         "\(Self.self).forward: initial state \(s.hidden.shape)\(s.cell.map { ", \($0.shape)" } ?? "") for [\(layers), \(b), \(h)]\(hasCell ? " × 2" : "")")
            let m = stateIn.matrix(rows: 2 * layers * b, cols: h)
            backend.copy(s.hidden.data, m.data, count: lh)
            if let c = s.cell { backend.copy(c.data, m.data + lh, count: lh) }
            (h0, c0) = (m.data, hasCell ? m.data + lh : nil)
        } else if isStateful && carryBatch == b {
            (h0, c0) = (carryH.matrix(rows: layers * b, cols: h).data, hasCell ? carryC.matrix(rows: layers * b, cols: h).data : nil)
        }
        var y = x
        for l in 0..<layers {       // index loops: a generic class's enumerated() allocates its iterator
            let u = units[l]
            y = u.forward(y, steps: t, batch: b, h0: h0.map { UnsafePointer($0 + l * b * h) }, c0: c0.map { UnsafePointer($0 + l * b * h) })
        }
        if isStateful { saveFinalState(into: carryH, carryC); carryBatch = b }
        if returnSequences { return y }
        let top = units[layers - 1]
        guard let lengths else { return TensorView(top.hiddenState(t), rows: b, cols: h, owner: top.hiddens) }
        let out = last.matrix(rows: b, cols: h)
        for r in 0..<b { backend.copy(top.hiddenState(lengths[r]) + r * h, out.data + r * h, count: h) }
        return out
    }

    public func backward(_ dy: TensorView, needsInputGradient: Bool) -> TensorView {
        let (t, b, h) = (steps, batch, hiddenSize)
        precondition(t > 0, "\(Self.self).backward before forward")
        precondition(dy.isContiguous && dy.count == (returnSequences ? t : 1) * b * h,
                     "\(Self.self).backward: ∂L/∂output of shape \(dy.shape) for an output of \(returnSequences ? "[\(t), \(b), \(h)]" : "[\(b), \(h)]")")
        let needsInitial = initialState != nil
        let lengths = self.lengths, sequences = returnSequences
        var above: TensorView = dy
        for l in stride(from: layers - 1, through: 0, by: -1) {
            let u = units[l], g = above.data
            let fromLoss = l == layers - 1
            above = u.backward(needsInputGradient: l > 0 || needsInputGradient, needsInitialGradient: needsInitial) { s, rows, be, next, dh in
                // Rows `rows` only: a band of the batch, perhaps on another thread (`be` is its backend).
                let (r0, n) = (rows.lowerBound * h, rows.count * h)
                if sequences || !fromLoss {
                    be.binary(.add, next + r0, g + s * b * h + r0, .none, dh + r0, rows: 1, cols: n)
                } else if let lengths {
                    be.copy(next + r0, dh + r0, count: n)
                    for r in rows where lengths[r] == s + 1 {
                        be.binary(.add, dh + r * h, g + r * h, .none, dh + r * h, rows: 1, cols: h)
                    }
                } else if s == t - 1 {
                    be.binary(.add, next + r0, g + r0, .none, dh + r0, rows: 1, cols: n)
                } else {
                    be.copy(next + r0, dh + r0, count: n)
                }
            }
        }
        if needsInitial {
            let hg = Tensor(shape: [layers, b, h]), cg = hasCell ? Tensor(shape: [layers, b, h]) : nil
            for l in 0..<layers {
                let u = units[l]
                backend.copy(u.initialHiddenGradient, hg.data + l * b * h, count: b * h)
                if let cg { backend.copy(u.initialCellGradient, cg.data + l * b * h, count: b * h) }
            }
            initialStateGradient = RecurrentState(hidden: hg, cell: cg)
        }
        return above
    }

    /// (h_T, c_T) of the last forward, [layers, batch, hidden] each (with `lengths`, each
    /// sequence's state at its own last step).
    public func finalState() -> RecurrentState {
        let (b, h) = (batch, hiddenSize)
        let hs = Workspace(), cs = Workspace()
        saveFinalState(into: hs, cs)
        let ht = Tensor(shape: [layers, b, h]), ct = hasCell ? Tensor(shape: [layers, b, h]) : nil
        backend.copy(hs.matrix(rows: layers * b, cols: h).data, ht.data, count: layers * b * h)
        if let ct { backend.copy(cs.matrix(rows: layers * b, cols: h).data, ct.data, count: layers * b * h) }
        return RecurrentState(hidden: ht, cell: ct)
    }

    /// Forgets the carried state: the next stateful forward starts from zeros.
    public func resetState() { carryBatch = 0 }

    private func saveFinalState(into hs: Workspace, _ cs: Workspace) {
        let (t, b, h) = (steps, batch, hiddenSize)
        let hm = hs.matrix(rows: layers * b, cols: h), cm = hasCell ? cs.matrix(rows: layers * b, cols: h) : nil
        for l in 0..<layers {
            let u = units[l]
            guard lengths != nil else {
                backend.copy(u.hiddenState(t), hm.data + l * b * h, count: b * h)
                if let cm { backend.copy(u.cellState(t), cm.data + l * b * h, count: b * h) }
                continue
            }
            for r in 0..<b {
                let n = lengths?[r] ?? t
                backend.copy(u.hiddenState(n) + r * h, hm.data + (l * b + r) * h, count: h)
                if let cm { backend.copy(u.cellState(n) + r * h, cm.data + (l * b + r) * h, count: h) }
            }
        }
    }
}
