/// The cell a recurrent layer runs at every step.
enum RecurrentCell: Equatable {
    /// Elman: h = f(x W_ihᵀ + b_ih + h W_hhᵀ + b_hh), f = tanh or ReLU.
    case rnn(Activation)
    /// PyTorch's LSTM, gates i, f, g, o.
    case lstm
    /// PyTorch's GRU, gates r, z, n.
    case gru

    /// Gate blocks per hidden unit: the rows of W_ih are `gates · hidden`.
    var gates: Int {
        switch self {
        case .rnn: return 1
        case .lstm: return 4
        case .gru: return 3
        }
    }
}

/// One layer of a recurrent stack over a whole sequence batch: its four PyTorch-named parameters,
/// the forward over every step and backpropagation through time.
///
/// The fast path: the input projection of all steps is one GEMM ([T·B, D]·[D, G·H]) — for token
/// input a row gather of W_ihᵀ + b, step by step — the recurrent projection one GEMM per step
/// ([B, H]·[H, G·H]), the cell one fused kernel per step; backward runs the fused cell backward
/// and one GEMM for ∂L/∂h_{t−1} per step, dW_hh as one GEMM per chunk of steps (256 rows of ∂Z,
/// while they are in cache; a scatter-add per step for token input), then dW_ih as one GEMM over
/// all steps and ∂L/∂x as one. Hidden states are kept for all steps with h₀ in slot 0.
/// Buffers grow to the largest sequence batch seen and are reused.
final class RecurrentUnit<B: Backend> {
    let backend: B
    let cell: RecurrentCell
    /// The width of W_ih: input features, or the vocabulary for token input.
    let inputSize: Int
    let hidden: Int
    /// The input is token indices [T, B] (stored as floats), the one-hot rows of an
    /// `inputSize`-token vocabulary.
    let tokens: Bool
    let weightIH: Parameter, weightHH: Parameter, biasIH: Parameter, biasHH: Parameter

    private(set) var steps = 0, batch = 0
    private var input: TensorView?
    /// Whether h₀ (and c₀) of the last forward were zero: the first step then skips its
    /// recurrent GEMM and the weight gradient skips step 0's zero rows.
    private var zeroStart = true

    /// LSTM: z [T·B, 4H] (activations after the cell); GRU: input gates [T·B, 3H]; RNN: unused.
    private let gates = Workspace()
    /// GRU: the hidden gates h W_hhᵀ + b_hh [T·B, 3H], and b_hh repeated over the batch.
    private let hiddenGates = Workspace(), hiddenBias = Workspace()
    /// h₀ … h_T [(T+1)·B, H] (RNN: the pre-activations first, overwritten by h).
    let hiddens = Workspace()
    /// LSTM: c₀ … c_T [(T+1)·B, H] and tanh c₁ … c_T [T·B, H].
    let cells = Workspace()
    private let tanhCells = Workspace()
    private let biasSum = Workspace(), transposed = Workspace(), transposedHH = Workspace()
    private let dGates = Workspace(), dHiddenGates = Workspace(), dh = Workspace(), dhNext = Workspace(), dc = Workspace()
    private let gradInput = Workspace(), sums = Workspace(), tokenGradient = Workspace()

    init(_ backend: B, cell: RecurrentCell, inputSize: Int, hidden: Int, tokens: Bool, layer: Int, generator: inout RandomGenerator) {
        self.backend = backend
        self.cell = cell
        self.inputSize = inputSize
        self.hidden = hidden
        self.tokens = tokens
        let g = cell.gates * hidden
        weightIH = Parameter(name: "weight_ih_l\(layer)", shape: [g, inputSize], isWeight: true)
        weightHH = Parameter(name: "weight_hh_l\(layer)", shape: [g, hidden], isWeight: true)
        biasIH = Parameter(name: "bias_ih_l\(layer)", shape: [g], isWeight: false)
        biasHH = Parameter(name: "bias_hh_l\(layer)", shape: [g], isWeight: false)
        // U(−1/√hidden, 1/√hidden) for every parameter: PyTorch's default for its recurrent layers.
        let k = 1 / Float(hidden).squareRoot()
        for (i, p) in parameters.enumerated() {
            var s = generator.derived(UInt64(i))
            s.fill(.uniform(low: -k, high: k), p.value.data, count: p.count)
        }
        generator.counter &+= 1
    }

    var parameters: [Parameter] { [weightIH, weightHH, biasIH, biasHH] }
    private var width: Int { cell.gates * hidden }

    /// h_s for s in 0…T: [B, H] at slot s (slot 0 is h₀).
    func hiddenState(_ s: Int) -> UnsafeMutablePointer<Float> { hiddens.matrix(rows: (steps + 1) * batch, cols: hidden).data + s * batch * hidden }
    /// LSTM: c_s for s in 0…T.
    func cellState(_ s: Int) -> UnsafeMutablePointer<Float> { cells.matrix(rows: (steps + 1) * batch, cols: hidden).data + s * batch * hidden }

    /// Runs the sequence x ([T, B, D], or token indices [T, B]) from h₀ (and c₀ for an LSTM), or
    /// from zeros when nil. Returns h₁ … h_T as [T, B, H].
    func forward(_ x: TensorView, steps t: Int, batch b: Int, h0: UnsafePointer<Float>?, c0: UnsafePointer<Float>?) -> TensorView {
        let (h, g) = (hidden, width)
        (steps, batch, input, zeroStart) = (t, b, x, h0 == nil && c0 == nil)
        let hs = hiddens.matrix(rows: (t + 1) * b, cols: h)
        if let h0 { backend.copy(h0, hs.data, count: b * h) } else { backend.fill(0, hs.data, count: b * h) }
        switch cell {
        case .rnn(let f):
            let gather = project(x, into: hs.data + b * h)
            for s in 0..<t {
                let zs = hs.data + (s + 1) * b * h
                if gather { gatherTokens(x, step: s, into: zs) }
                if s > 0 || !zeroStart { recurrent(hs.data + s * b * h, into: zs, beta: 1) }
                backend.unary(.activation(f), zs, zs, count: b * h)
            }
        case .lstm:
            let z = gates.matrix(rows: t * b, cols: g)
            let cs = cells.matrix(rows: (t + 1) * b, cols: h), tc = tanhCells.matrix(rows: t * b, cols: h)
            if let c0 { backend.copy(c0, cs.data, count: b * h) } else { backend.fill(0, cs.data, count: b * h) }
            let gather = project(x, into: z.data)
            for s in 0..<t {
                let zs = z.data + s * b * g
                if gather { gatherTokens(x, step: s, into: zs) }
                if s > 0 || !zeroStart { recurrent(hs.data + s * b * h, into: zs, beta: 1) }
                backend.lstmCellForward(gates: zs, cPrev: cs.data + s * b * h, c: cs.data + (s + 1) * b * h,
                                        tanhC: tc.data + s * b * h, h: hs.data + (s + 1) * b * h, batch: b, hidden: h)
            }
        case .gru:
            let z = gates.matrix(rows: t * b, cols: g), zh = hiddenGates.matrix(rows: t * b, cols: g)
            let bias = hiddenBias.matrix(rows: b, cols: g)
            backend.fill(0, bias.data, count: b * g)
            backend.binary(.add, bias.data, biasHH.value.data, .row, bias.data, rows: b, cols: g)
            let gather = project(x, into: z.data)
            for s in 0..<t {
                let zhs = zh.data + s * b * g
                if gather { gatherTokens(x, step: s, into: z.data + s * b * g) }
                backend.copy(bias.data, zhs, count: b * g)
                if s > 0 || !zeroStart { recurrent(hs.data + s * b * h, into: zhs, beta: 1) }
                backend.gruCellForward(inputGates: z.data + s * b * g, hiddenGates: zhs, hPrev: hs.data + s * b * h,
                                       h: hs.data + (s + 1) * b * h, batch: b, hidden: h)
            }
        }
        return TensorView(hs.data + b * h, shape: Shape(t, b, h), owner: hiddens)
    }

    /// Z = X·W_ihᵀ + b for every step at once into z [T·B, G·H]; b = b_ih + b_hh, except for a
    /// GRU, whose b_hh sits inside the hidden gates (n = tanh(x_n + r ⊙ (h W_hnᵀ + b_hn))).
    /// Returns true when, for token input, only the table W_ihᵀ + b was made: each step then
    /// gathers its own rows (`gatherTokens`) just before its recurrent GEMM adds to them, so the
    /// GEMM finds them in cache instead of all T·B rows having streamed through memory up front.
    private func project(_ x: TensorView, into z: UnsafeMutablePointer<Float>) -> Bool {
        let (rows, g, d) = (steps * batch, width, inputSize)
        if tokens && rows < 64 {
            // A few tokens (sampling): column gathers of W_ih, without transposing all of it.
            let w = weightIH.value.data
            for r in 0..<rows {
                let t = token(x, r), zr = z + r * g
                for j in 0..<g { zr[j] = w[j * d + t] }
            }
        } else if tokens {
            // Row gathers of W_ihᵀ + b: the one-hot product without its multiplications by zero,
            // with the bias added once per vocabulary row instead of once per token.
            let wt = transposed.matrix(rows: d, cols: g)
            backend.transpose(weightIH.value.data, rows: g, cols: d, ldx: d, wt.data, ldy: g)
            backend.binary(.add, wt.data, inputBias(), .row, wt.data, rows: d, cols: g)
            return true
        } else {
            backend.gemm(.none, .transpose, m: rows, n: g, k: d, alpha: 1, a: x.data, lda: d, b: weightIH.value.data, ldb: d,
                         beta: 0, c: z, ldc: g)
        }
        backend.binary(.add, z, inputBias(), .row, z, rows: rows, cols: g)
        return false
    }

    /// Step s of a token projection: row r of zs [B, G·H] = row token(s, r) of W_ihᵀ + b.
    private func gatherTokens(_ x: TensorView, step s: Int, into zs: UnsafeMutablePointer<Float>) {
        let g = width, wt = transposed.matrix(rows: inputSize, cols: g).data
        for r in 0..<batch { backend.copy(wt + token(x, s * batch + r) * g, zs + r * g, count: g) }
    }

    /// The bias of the input projection: b_ih + b_hh, or b_ih alone for a GRU.
    private func inputBias() -> UnsafeMutablePointer<Float> {
        if cell == .gru { return biasIH.value.data }
        let bias = biasSum.matrix(rows: 1, cols: width)
        backend.binary(.add, biasIH.value.data, biasHH.value.data, .none, bias.data, rows: 1, cols: width)
        return bias.data
    }

    /// Token r of the batch (time-major), checked against the vocabulary.
    @inline(__always)
    private func token(_ x: TensorView, _ r: Int) -> Int {
        let v = x.data[r]
        precondition(v >= 0 && v < Float(inputSize) && v == v.rounded(.towardZero),
                     "recurrent layer with token input: token \(v) at position \(r) outside 0..<\(inputSize)")
        return Int(v)
    }

    /// zs [B, G·H] (+)= hPrev·W_hhᵀ.
    private func recurrent(_ hPrev: UnsafePointer<Float>, into zs: UnsafeMutablePointer<Float>, beta: Float) {
        backend.gemm(.none, .transpose, m: batch, n: width, k: hidden, alpha: 1, a: hPrev, lda: hidden, b: weightHH.value.data,
                     ldb: hidden, beta: beta, c: zs, ldc: width)
    }

    /// Backpropagation through time. `outputGradient(s, dhNext, dh)` writes dh [B, H] = dhNext
    /// (the gradient from step s + 1) + ∂L/∂h_{s+1} from above (the loss, or the next layer). Adds the parameters' gradients; returns ∂L/∂x
    /// [T, B, D] when `needsInputGradient` (never for token input). With `needsInitialGradient`,
    /// ∂L/∂h₀ (and ∂L/∂c₀) are left in `initialGradient`.
    func backward(needsInputGradient: Bool, needsInitialGradient: Bool,
                  outputGradient: (Int, UnsafePointer<Float>, UnsafeMutablePointer<Float>) -> Void) -> TensorView {
        guard let x = input else { preconditionFailure("recurrent layer: backward before forward") }
        let (t, b, h, g) = (steps, batch, hidden, width)
        let hs = hiddens.matrix(rows: (t + 1) * b, cols: h)
        let dhT = dh.matrix(rows: b, cols: h), dhN = dhNext.matrix(rows: b, cols: h)
        backend.fill(0, dhN.data, count: b * h)
        // W_hhᵀ [H, G·H] once for all steps: ∂L/∂h_{t−1} = ∂Z·W_hh is then the GEMM form
        // A·Bᵀ with the weights as the wide operand, which the kernels read without repacking.
        let wt = transposedHH.matrix(rows: h, cols: g)
        backend.transpose(weightHH.value.data, rows: g, cols: h, ldx: h, wt.data, ldy: g)
        // ∂L/∂Z of the input projection, and of the recurrent one (the same matrix but for a GRU).
        let dz = dGates.matrix(rows: t * b, cols: g)
        var dzh = dz
        if cell == .gru { dzh = dHiddenGates.matrix(rows: t * b, cols: g) }
        if tokens { backend.fill(0, tokenGradient.matrix(rows: inputSize, cols: g).data, count: inputSize * g) }
        // dW_hh += ∂Z_hᵀ·H_{0…T−1} (step 0's zero rows skipped from a zero start) and the token
        // scatter, a few steps at a time as the steps' ∂Z are written (`stepGradients`).
        let first = zeroStart ? 1 : 0
        var chunkEnd = t
        switch cell {
        case .rnn(let f):
            for s in stride(from: t - 1, through: 0, by: -1) {
                outputGradient(s, dhN.data, dhT.data)
                let hNew = hs.data + (s + 1) * b * h
                // dz = dh ⊙ f′, f′ from the output (1 − h² for tanh, [h > 0] for ReLU).
                backend.activationGradient(f, x: hNew, y: hNew, dy: dhT.data, dx: dz.data + s * b * h, count: b * h)
                stepGradients(x, step: s, first: first, chunkEnd: &chunkEnd, dz: dz.data, dzh: dzh.data)
                if s > 0 || needsInitialGradient { previousHidden(dz.data + s * b * g, into: dhN.data, beta: 0) }
            }
        case .lstm:
            let z = gates.matrix(rows: t * b, cols: g)
            let cs = cells.matrix(rows: (t + 1) * b, cols: h), tc = tanhCells.matrix(rows: t * b, cols: h)
            let dcT = dc.matrix(rows: b, cols: h)
            backend.fill(0, dcT.data, count: b * h)
            for s in stride(from: t - 1, through: 0, by: -1) {
                outputGradient(s, dhN.data, dhT.data)
                let dzs = dz.data + s * b * g
                backend.lstmCellBackward(gates: z.data + s * b * g, cPrev: cs.data + s * b * h, tanhC: tc.data + s * b * h,
                                         dh: dhT.data, dc: dcT.data, dGates: dzs, batch: b, hidden: h)
                stepGradients(x, step: s, first: first, chunkEnd: &chunkEnd, dz: dz.data, dzh: dzh.data)
                if s > 0 || needsInitialGradient { previousHidden(dzs, into: dhN.data, beta: 0) }
            }
        case .gru:
            let z = gates.matrix(rows: t * b, cols: g), zh = hiddenGates.matrix(rows: t * b, cols: g)
            for s in stride(from: t - 1, through: 0, by: -1) {
                outputGradient(s, dhN.data, dhT.data)
                let dzhs = dzh.data + s * b * g
                backend.gruCellBackward(gates: z.data + s * b * g, hiddenGates: zh.data + s * b * g, hPrev: hs.data + s * b * h,
                                        dh: dhT.data, dInputGates: dz.data + s * b * g, dHiddenGates: dzhs, dhPrev: dhN.data,
                                        batch: b, hidden: h)
                stepGradients(x, step: s, first: first, chunkEnd: &chunkEnd, dz: dz.data, dzh: dzh.data)
                if s > 0 || needsInitialGradient { previousHidden(dzhs, into: dhN.data, beta: 1) }
            }
        }
        // The other weight gradients over all steps: dW_ih += ∂Zᵀ·X (for token input, the
        // scatter's transpose), the biases += the column sums.
        let d = inputSize
        if tokens {
            let dwt = tokenGradient.matrix(rows: d, cols: g), wt = transposed.matrix(rows: g, cols: d)
            backend.transpose(dwt.data, rows: d, cols: g, ldx: g, wt.data, ldy: d)
            backend.axpy(alpha: 1, wt.data, weightIH.grad.data, count: g * d)
        } else {
            backend.gemm(.transpose, .none, m: g, n: d, k: t * b, alpha: 1, a: dz.data, lda: g, b: x.data, ldb: d,
                         beta: 1, c: weightIH.grad.data, ldc: d)
        }
        let colSums = sums.matrix(rows: 1, cols: g)
        // Σ over all steps of ∂Z: for token input, every row of ∂Z went to one row of the scatter.
        if tokens {
            backend.reduce(.sum, .columns, tokenGradient.matrix(rows: d, cols: g).data, rows: d, cols: g, colSums.data)
        } else {
            backend.reduce(.sum, .columns, dz.data, rows: t * b, cols: g, colSums.data)
        }
        backend.axpy(alpha: 1, colSums.data, biasIH.grad.data, count: g)
        if cell == .gru { backend.reduce(.sum, .columns, dzh.data, rows: t * b, cols: g, colSums.data) }
        backend.axpy(alpha: 1, colSums.data, biasHH.grad.data, count: g)
        let dx = gradInput.view(tokens ? Shape(t, b, 1) : Shape(t, b, d))
        if needsInputGradient && !tokens {
            backend.gemm(.none, .none, m: t * b, n: d, k: g, alpha: 1, a: dz.data, lda: g, b: weightIH.value.data, ldb: d,
                         beta: 0, c: dx.data, ldc: d)
        }
        return dx
    }

    /// After step s's ∂Z (and ∂Z_h) are written, while they are in cache: for token input, row r
    /// of ∂Z_s added to row token(s, r) of ∂W_ihᵀ; and at the first step of each chunk of
    /// max(1, `gradientChunkRows` / B) steps (counted down from T, the last ending at `first`),
    /// dW_hh += ∂Z_hᵀ·H over the chunk's steps: one GEMM per chunk that reads ∂Z_h from cache
    /// rather than all T·B rows from memory at the end.
    private func stepGradients(_ x: TensorView, step s: Int, first: Int, chunkEnd: inout Int,
                               dz: UnsafePointer<Float>, dzh: UnsafePointer<Float>) {
        let (b, g, h) = (batch, width, hidden)
        if tokens {
            let dwt = tokenGradient.matrix(rows: inputSize, cols: g).data
            for r in 0..<b { backend.axpy(alpha: 1, dz + (s * b + r) * g, dwt + token(x, s * b + r) * g, count: g) }
        }
        guard s >= first, s == first || chunkEnd - s == max(1, Self.gradientChunkRows / b) else { return }
        let hs = hiddens.matrix(rows: (steps + 1) * b, cols: h).data
        backend.gemm(.transpose, .none, m: g, n: h, k: (chunkEnd - s) * b, alpha: 1, a: dzh + s * b * g, lda: g,
                     b: hs + s * b * h, ldb: h, beta: 1, c: weightHH.grad.data, ldc: h)
        chunkEnd = s
    }

    /// Rows of ∂Z_h (steps × batch) per dW_hh GEMM during backpropagation through time: 256 is
    /// one KC block of the SIMD GEMM, and 1 MB of ∂Z at 4H = 1024, about an L2.
    static var gradientChunkRows: Int { 256 }

    /// ∂L/∂h₀ after a backward with `needsInitialGradient`.
    var initialHiddenGradient: UnsafeMutablePointer<Float> { dhNext.matrix(rows: batch, cols: hidden).data }
    /// ∂L/∂c₀ (LSTM) after a backward with `needsInitialGradient`.
    var initialCellGradient: UnsafeMutablePointer<Float> { dc.matrix(rows: batch, cols: hidden).data }

    /// dhPrev (+)= ∂Z_s·W_hh, from W_hhᵀ (made at the start of `backward`).
    private func previousHidden(_ dzs: UnsafePointer<Float>, into dhPrev: UnsafeMutablePointer<Float>, beta: Float) {
        backend.gemm(.none, .transpose, m: batch, n: hidden, k: width, alpha: 1, a: dzs, lda: width,
                     b: transposedHH.matrix(rows: hidden, cols: width).data, ldb: width, beta: beta, c: dhPrev, ldc: hidden)
    }
}
