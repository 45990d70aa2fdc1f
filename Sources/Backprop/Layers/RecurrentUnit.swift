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
/// ([B, H]·[H, G·H], in calls of one 128-column panel of W_hhᵀ each when G·H is whole panels:
/// `panelWidth`), the cell one fused kernel per step; backward runs the fused cell backward
/// and one GEMM for ∂L/∂h_{t−1} per step, dW_hh as one GEMM per chunk of steps (256 rows of ∂Z,
/// while they are in cache; a scatter-add per step for token input), then dW_ih as one GEMM over
/// all steps and ∂L/∂x as one. Hidden states are kept for all steps with h₀ in slot 0.
/// On a backend with several partitions (simd on N threads), bands of batch rows run the steps
/// each on its own thread (`bandCount`). Buffers grow to the largest sequence batch seen and are
/// reused.
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
    /// Whether `transposedHH` holds W_hhᵀ of the last forward (its backward reuses it: the
    /// parameters do not change between a forward and its backward).
    private var transposedFresh = false
    /// Rows (steps × batch) from which a forward transposes W_hh once for all its steps.
    static var transposeRows: Int { 64 }
    /// Columns per panel of W_hhᵀ (`Buffers.panels`): each step's recurrent GEMM runs one call
    /// per panel, reading it as one contiguous [H, 128] block. The same columns of the whole
    /// W_hhᵀ are 512-byte pieces of rows 4 KB apart (at H = 256), which the hardware prefetchers
    /// do not follow across pages: the forward's GEMMs of the character LSTM took 4.9 ms instead
    /// of 5.8 per training step on one Zen 5 thread (32- and 256-column panels were no better).
    static var panelWidth: Int { 128 }

    /// LSTM: z [T·B, 4H] (activations after the cell); GRU: input gates [T·B, 3H]; RNN: unused.
    private let gates = Workspace()
    /// GRU: the hidden gates h W_hhᵀ + b_hh [T·B, 3H], and b_hh repeated over the batch.
    private let hiddenGates = Workspace(), hiddenBias = Workspace()
    /// h₀ … h_T [(T+1)·B, H] (RNN: the pre-activations first, overwritten by h).
    let hiddens = Workspace()
    /// LSTM: c₀ … c_T [(T+1)·B, H] and tanh c₁ … c_T [T·B, H].
    let cells = Workspace()
    private let tanhCells = Workspace()
    private let biasSum = Workspace(), transposed = Workspace(), transposedHH = Workspace(), panels = Workspace()
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
        var buffers = Buffers(hiddens: hs.data)
        switch cell {
        case .rnn:
            buffers.tokens = project(x, into: hs.data + b * h)
        case .lstm:
            let z = gates.matrix(rows: t * b, cols: g).data, cs = cells.matrix(rows: (t + 1) * b, cols: h).data
            (buffers.gates, buffers.cells) = (z, cs)
            buffers.tanhCells = tanhCells.matrix(rows: t * b, cols: h).data
            if let c0 { backend.copy(c0, cs, count: b * h) } else { backend.fill(0, cs, count: b * h) }
            buffers.tokens = project(x, into: z)
        case .gru:
            let z = gates.matrix(rows: t * b, cols: g).data, bias = hiddenBias.matrix(rows: b, cols: g).data
            buffers.gates = z
            buffers.hiddenGates = hiddenGates.matrix(rows: t * b, cols: g).data
            buffers.hiddenBias = bias
            backend.fill(0, bias, count: b * g)
            backend.binary(.add, bias, biasHH.value.data, .row, bias, rows: b, cols: g)
            buffers.tokens = project(x, into: z)
        }
        if buffers.tokens != nil { buffers.tokenIndices = UnsafePointer(x.data) }
        // W_hhᵀ for every step (and the backward): the backend then reads whichever layout of
        // W_hh its kernels take (`gemm(m:n:k:...weights:...transposedWeights:...)`). Not for a
        // few rows (sampling a character at a time), where the transpose would cost more than
        // the steps, nor for one sequence, whose steps are matrix-vector products that read W_hh
        // as it is.
        transposedFresh = b > 1 && t * b >= Self.transposeRows
        if transposedFresh {
            buffers.transposedHH = transposedHH.matrix(rows: h, cols: g).data
            backend.transpose(weightHH.value.data, rows: g, cols: h, ldx: h, buffers.transposedHH!, ldy: g)
            let pw = Self.panelWidth
            if g % pw == 0 {
                let blocks = panels.matrix(rows: h, cols: g).data
                for c in stride(from: 0, to: g, by: pw) {
                    backend.transpose(weightHH.value.data + c * h, rows: pw, cols: h, ldx: h, blocks + c * h, ldy: pw)
                }
                buffers.panels = blocks
            }
        }
        let bands = bandCount
        if bands == 1 {
            forwardSteps(rows: 0..<b, on: backend, buffers)
        } else {
            backend.forEachPartition { p, be in forwardSteps(rows: band(p, of: bands), on: be, buffers) }
        }
        return TensorView(hs.data + b * h, shape: Shape(t, b, h), owner: hiddens)
    }

    /// The buffers of one forward or backward, resolved before the steps run (partitions must
    /// not touch the workspaces, which may reallocate).
    private struct Buffers: @unchecked Sendable {
        var hiddens: UnsafeMutablePointer<Float>
        var gates: UnsafeMutablePointer<Float>? = nil, hiddenGates: UnsafeMutablePointer<Float>? = nil
        var hiddenBias: UnsafeMutablePointer<Float>? = nil
        var cells: UnsafeMutablePointer<Float>? = nil, tanhCells: UnsafeMutablePointer<Float>? = nil
        /// Token input gathered step by step: the table W_ihᵀ + b [V, G·H], and the indices.
        var tokens: UnsafeMutablePointer<Float>? = nil, tokenIndices: UnsafePointer<Float>? = nil
        var dGates: UnsafeMutablePointer<Float>? = nil, dHiddenGates: UnsafeMutablePointer<Float>? = nil
        /// The step whose ∂Z is row 0 of `dGates`/`dHiddenGates` (a chunk's first, when ∂Z is kept
        /// for one chunk only).
        var dGatesFirstStep = 0
        var dh: UnsafeMutablePointer<Float>? = nil, dhNext: UnsafeMutablePointer<Float>? = nil
        var dc: UnsafeMutablePointer<Float>? = nil
        /// W_hhᵀ (forward) in panels of `panelWidth` columns, each [H, panelWidth] and contiguous:
        /// columns c ..< c + panelWidth at `panels + c·H`.
        var panels: UnsafeMutablePointer<Float>? = nil
        var transposedHH: UnsafeMutablePointer<Float>? = nil, tokenGradient: UnsafeMutablePointer<Float>? = nil

        init(hiddens: UnsafeMutablePointer<Float>) { self.hiddens = hiddens }
    }

    /// Bands of batch rows that run the whole recurrence as separate partitions
    /// (`Backend.forEachPartition`): a row of h_t depends only on the same row of h_{t−1}, so the
    /// threads meet once per sequence (once per chunk of steps in backpropagation) instead of at
    /// every step's kernels. One band (each kernel split its own way) unless every band has ≥ 16
    /// rows and the step's GEMM is at most 512³ (beyond that each band's full read of W_hh costs
    /// more than the meetings).
    private var bandCount: Int {
        let n = backend.partitionCount
        return n > 1 && batch >= 16 * n && batch * width * hidden <= 1 << 27 ? n : 1
    }

    /// Batch rows of band p of n.
    private func band(_ p: Int, of n: Int) -> Range<Int> { (batch * p / n)..<(batch * (p + 1) / n) }

    /// Every step of the forward for batch rows `rows`, on `be`.
    private func forwardSteps(rows: Range<Int>, on be: B, _ buf: Buffers) {
        guard !rows.isEmpty else { return }
        let (t, b, h, g, r0, nr) = (steps, batch, hidden, width, rows.lowerBound, rows.count)
        let hs = buf.hiddens
        for s in 0..<t {
            let hPrev = hs + (s * b + r0) * h, hNew = hs + ((s + 1) * b + r0) * h
            switch cell {
            case .rnn(let f):
                if let table = buf.tokens { gatherTokens(buf, table: table, step: s, rows: rows, into: hNew, on: be) }
                if s > 0 || !zeroStart { recurrent(hPrev, rows: nr, into: hNew, beta: 1, on: be, buf) }
                be.unary(.activation(f), hNew, hNew, count: nr * h)
            case .lstm:
                let zs = buf.gates! + (s * b + r0) * g
                if let table = buf.tokens { gatherTokens(buf, table: table, step: s, rows: rows, into: zs, on: be) }
                if s > 0 || !zeroStart { recurrent(hPrev, rows: nr, into: zs, beta: 1, on: be, buf) }
                be.lstmCellForward(gates: zs, cPrev: buf.cells! + (s * b + r0) * h, c: buf.cells! + ((s + 1) * b + r0) * h,
                                   tanhC: buf.tanhCells! + (s * b + r0) * h, h: hNew, batch: nr, hidden: h)
            case .gru:
                let zs = buf.gates! + (s * b + r0) * g, zhs = buf.hiddenGates! + (s * b + r0) * g
                if let table = buf.tokens { gatherTokens(buf, table: table, step: s, rows: rows, into: zs, on: be) }
                be.copy(buf.hiddenBias!, zhs, count: nr * g)
                if s > 0 || !zeroStart { recurrent(hPrev, rows: nr, into: zhs, beta: 1, on: be, buf) }
                be.gruCellForward(inputGates: zs, hiddenGates: zhs, hPrev: hPrev, h: hNew, batch: nr, hidden: h)
            }
        }
    }

    /// Z = X·W_ihᵀ + b for every step at once into z [T·B, G·H]; b = b_ih + b_hh, except for a
    /// GRU, whose b_hh sits inside the hidden gates (n = tanh(x_n + r ⊙ (h W_hnᵀ + b_hn))).
    /// Returns the table W_ihᵀ + b when, for token input, only that was made: each step then
    /// gathers its own rows (`gatherTokens`) just before its recurrent GEMM adds to them, so the
    /// GEMM finds them in cache instead of all T·B rows having streamed through memory up front.
    private func project(_ x: TensorView, into z: UnsafeMutablePointer<Float>) -> UnsafeMutablePointer<Float>? {
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
            return wt.data
        } else {
            backend.gemm(.none, .transpose, m: rows, n: g, k: d, alpha: 1, a: x.data, lda: d, b: weightIH.value.data, ldb: d,
                         beta: 0, c: z, ldc: g)
        }
        backend.binary(.add, z, inputBias(), .row, z, rows: rows, cols: g)
        return nil
    }

    /// Step s of a token projection for batch rows `rows`: row r of zs (the band's first row at
    /// zs) = row token(s, r) of the table W_ihᵀ + b.
    private func gatherTokens(_ buf: Buffers, table: UnsafePointer<Float>, step s: Int, rows: Range<Int>,
                              into zs: UnsafeMutablePointer<Float>, on be: B) {
        let (g, r0) = (width, rows.lowerBound)
        for r in rows { be.copy(table + token(buf.tokenIndices!, s * batch + r) * g, zs + (r - r0) * g, count: g) }
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
    private func token(_ x: TensorView, _ r: Int) -> Int { token(UnsafePointer(x.data), r) }

    @inline(__always)
    private func token(_ x: UnsafePointer<Float>, _ r: Int) -> Int {
        let v = x[r]
        precondition(v >= 0 && v < Float(inputSize) && v == v.rounded(.towardZero),
                     "recurrent layer with token input: token \(v) at position \(r) outside 0..<\(inputSize)")
        return Int(v)
    }

    /// zs [rows, G·H] (+)= hPrev·W_hhᵀ: from the panels of W_hhᵀ and W_hh when the forward made
    /// them, else from both layouts of W_hh when it made W_hhᵀ.
    private func recurrent(_ hPrev: UnsafePointer<Float>, rows: Int, into zs: UnsafeMutablePointer<Float>, beta: Float,
                           on be: B, _ buf: Buffers) {
        let (h, g, w) = (hidden, width, UnsafePointer(weightHH.value.data))
        if let blocks = buf.panels {
            let pw = Self.panelWidth
            for c in stride(from: 0, to: g, by: pw) {
                be.gemm(m: rows, n: pw, k: h, alpha: 1, a: hPrev, lda: h, weights: w + c * h, ldw: h,
                        transposedWeights: blocks + c * h, ldwt: pw, beta: beta, c: zs + c, ldc: g)
            }
        } else if let wt = buf.transposedHH {
            be.gemm(m: rows, n: g, k: h, alpha: 1, a: hPrev, lda: h, weights: w, ldw: h,
                    transposedWeights: wt, ldwt: g, beta: beta, c: zs, ldc: g)
        } else {
            be.gemm(.none, .transpose, m: rows, n: g, k: h, alpha: 1, a: hPrev, lda: h, b: w, ldb: h, beta: beta, c: zs, ldc: g)
        }
    }

    /// `outputGradient(s, rows, backend, dhNext, dh)` of `backward`: for batch rows `rows` of the
    /// [B, H] buffers, dh = dhNext + ∂L/∂h_{s+1} from above, on `backend`.
    typealias OutputGradient = (Int, Range<Int>, B, UnsafePointer<Float>, UnsafeMutablePointer<Float>) -> Void

    /// Backpropagation through time. `outputGradient(s, rows, backend, dhNext, dh)` writes, for
    /// batch rows `rows`, dh [B, H] = dhNext (the gradient from step s + 1) + ∂L/∂h_{s+1} from
    /// above (the loss, or the next layer), with `backend` (a partition's, when the rows are a
    /// band: it may run on another thread). Adds the parameters' gradients; returns ∂L/∂x
    /// [T, B, D] when `needsInputGradient` (never for token input). With `needsInitialGradient`,
    /// ∂L/∂h₀ (and ∂L/∂c₀) are left in `initialGradient`.
    ///
    /// The steps run in chunks of max(1, `gradientChunkRows` / B), counted down from T: each
    /// chunk's cell backward and ∂L/∂h_{t−1} GEMMs (per band of batch rows, see `bandCount`), then
    /// its token scatter and one dW_hh += ∂Z_hᵀ·H GEMM over its steps while their ∂Z is in cache
    /// (step 0's zero rows skipped from a zero start).
    func backward(needsInputGradient: Bool, needsInitialGradient: Bool, outputGradient: OutputGradient) -> TensorView {
        guard let x = input else { preconditionFailure("recurrent layer: backward before forward") }
        let (t, b, h, g) = (steps, batch, hidden, width)
        var buf = Buffers(hiddens: hiddens.matrix(rows: (t + 1) * b, cols: h).data)
        buf.dh = dh.matrix(rows: b, cols: h).data
        buf.dhNext = dhNext.matrix(rows: b, cols: h).data
        backend.fill(0, buf.dhNext!, count: b * h)
        // W_hhᵀ [H, G·H] once for all steps (the forward's, when it made one): ∂L/∂h_{t−1} =
        // ∂Z·W_hh is A·Wᵀ for W = W_hhᵀ, given in both layouts (W_hh is its transpose).
        buf.transposedHH = transposedHH.matrix(rows: h, cols: g).data
        if !transposedFresh { backend.transpose(weightHH.value.data, rows: g, cols: h, ldx: h, buf.transposedHH!, ldy: g) }
        // ∂L/∂Z of the input projection, and of the recurrent one (the same matrix but for a GRU).
        // With token input (but for a GRU, whose ∂Z_h sums come at the end) nothing needs ∂Z after
        // its chunk: one chunk's worth is kept and reused, so its rows stay in cache instead of
        // each step's write first reading (for ownership) rows last touched a training step ago.
        let chunk = max(1, Self.gradientChunkRows / b), oneChunk = tokens && cell != .gru
        let dz = dGates.matrix(rows: (oneChunk ? min(t, chunk) : t) * b, cols: g)
        buf.dGates = dz.data
        buf.dHiddenGates = cell == .gru ? dHiddenGates.matrix(rows: t * b, cols: g).data : dz.data
        if tokens {
            buf.tokenGradient = tokenGradient.matrix(rows: inputSize, cols: g).data
            buf.tokenIndices = UnsafePointer(x.data)
            backend.fill(0, buf.tokenGradient!, count: inputSize * g)
        }
        switch cell {
        case .rnn: break
        case .lstm:
            buf.gates = gates.matrix(rows: t * b, cols: g).data
            buf.cells = cells.matrix(rows: (t + 1) * b, cols: h).data
            buf.tanhCells = tanhCells.matrix(rows: t * b, cols: h).data
            buf.dc = dc.matrix(rows: b, cols: h).data
            backend.fill(0, buf.dc!, count: b * h)
        case .gru:
            buf.gates = gates.matrix(rows: t * b, cols: g).data
            buf.hiddenGates = hiddenGates.matrix(rows: t * b, cols: g).data
        }
        let first = zeroStart ? 1 : 0, bands = bandCount
        var hi = t
        while hi > 0 {
            let lo = max(0, hi - chunk)
            if oneChunk { buf.dGatesFirstStep = lo }
            if bands == 1 {
                backwardSteps(lo..<hi, rows: 0..<b, on: backend, buf, scatter: tokens, needsInitialGradient, outputGradient)
            } else {
                let buffers = buf
                backend.forEachPartition { p, be in
                    backwardSteps(lo..<hi, rows: band(p, of: bands), on: be, buffers, scatter: false, needsInitialGradient,
                                  outputGradient)
                }
                // The token scatter of the chunk's steps, split by columns of ∂W_ihᵀ: every element
                // still sums its rows in the order one band would.
                if tokens {
                    let buffers = buf
                    backend.forEachPartition { p, be in
                        let units = (g + 15) / 16    // whole vectors of 16 columns each
                        let cols = min(g, 16 * (units * p / bands))..<min(g, 16 * (units * (p + 1) / bands))
                        for s in (lo..<hi).reversed() { scatterTokens(buffers, step: s, columns: cols, on: be) }
                    }
                }
            }
            let from = max(lo, first)
            if from < hi {
                backend.gemm(.transpose, .none, m: g, n: h, k: (hi - from) * b, alpha: 1,
                             a: buf.dHiddenGates! + (from - buf.dGatesFirstStep) * b * g,
                             lda: g, b: buf.hiddens + from * b * h, ldb: h, beta: 1, c: weightHH.grad.data, ldc: h)
            }
            hi = lo
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
        if cell == .gru { backend.reduce(.sum, .columns, buf.dHiddenGates!, rows: t * b, cols: g, colSums.data) }
        backend.axpy(alpha: 1, colSums.data, biasHH.grad.data, count: g)
        let dx = gradInput.view(tokens ? Shape(t, b, 1) : Shape(t, b, d))
        if needsInputGradient && !tokens {
            backend.gemm(.none, .none, m: t * b, n: d, k: g, alpha: 1, a: dz.data, lda: g, b: weightIH.value.data, ldb: d,
                         beta: 0, c: dx.data, ldc: d)
        }
        return dx
    }

    /// Steps `range` (from the last down) of backpropagation through time for batch rows `rows`,
    /// on `be`: ∂L/∂h from above, the cell backward to ∂Z, with `scatter` the token scatter, and
    /// ∂L/∂h_{s−1} = ∂Z_s·W_hh (for s > 0, or for s = 0 with `needsInitial`).
    private func backwardSteps(_ range: Range<Int>, rows: Range<Int>, on be: B, _ buf: Buffers, scatter: Bool,
                               _ needsInitial: Bool, _ outputGradient: OutputGradient) {
        guard !rows.isEmpty else { return }
        let (b, h, g, r0, nr) = (batch, hidden, width, rows.lowerBound, rows.count)
        let hs = buf.hiddens, dhT = buf.dh! + r0 * h, dhN = buf.dhNext! + r0 * h
        for s in range.reversed() {
            outputGradient(s, rows, be, buf.dhNext!, buf.dh!)
            let row = (s - buf.dGatesFirstStep) * b + r0
            let dzs = buf.dGates! + row * g, dzhs = buf.dHiddenGates! + row * g
            switch cell {
            case .rnn(let f):
                // dz = dh ⊙ f′, f′ from the output (1 − h² for tanh, [h > 0] for ReLU).
                let hNew = hs + ((s + 1) * b + r0) * h
                be.activationGradient(f, x: hNew, y: hNew, dy: dhT, dx: dzs, count: nr * h)
            case .lstm:
                be.lstmCellBackward(gates: buf.gates! + (s * b + r0) * g, cPrev: buf.cells! + (s * b + r0) * h,
                                    tanhC: buf.tanhCells! + (s * b + r0) * h, dh: dhT, dc: buf.dc! + r0 * h, dGates: dzs,
                                    batch: nr, hidden: h)
            case .gru:
                be.gruCellBackward(gates: buf.gates! + (s * b + r0) * g, hiddenGates: buf.hiddenGates! + (s * b + r0) * g,
                                   hPrev: hs + (s * b + r0) * h, dh: dhT, dInputGates: dzs, dHiddenGates: dzhs, dhPrev: dhN,
                                   batch: nr, hidden: h)
            }
            if scatter { scatterTokens(buf, step: s, columns: 0..<g, on: be) }
            if s > 0 || needsInitial {
                // dhPrev (+)= ∂Z_s·W_hh, from W_hhᵀ (a GRU's cell backward wrote the direct path).
                be.gemm(m: nr, n: h, k: g, alpha: 1, a: dzhs, lda: g, weights: buf.transposedHH!, ldw: g,
                        transposedWeights: weightHH.value.data, ldwt: h, beta: cell == .gru ? 1 : 0, c: dhN, ldc: h)
            }
        }
    }

    /// Token input: columns `columns` of row r of ∂Z_s added to row token(s, r) of ∂W_ihᵀ, for
    /// every batch row r in order.
    private func scatterTokens(_ buf: Buffers, step s: Int, columns: Range<Int>, on be: B) {
        guard !columns.isEmpty else { return }
        let (b, g, c0) = (batch, width, columns.lowerBound)
        let dz = buf.dGates! + (s - buf.dGatesFirstStep) * b * g + c0, dwt = buf.tokenGradient! + c0
        for r in 0..<b { be.axpy(alpha: 1, dz + r * g, dwt + token(buf.tokenIndices!, s * b + r) * g, count: columns.count) }
    }

    /// Rows of ∂Z_h (steps × batch) per dW_hh GEMM during backpropagation through time: 256 is
    /// one KC block of the SIMD GEMM, and 1 MB of ∂Z at 4H = 1024, about an L2.
    static var gradientChunkRows: Int { 256 }

    /// ∂L/∂h₀ after a backward with `needsInitialGradient`.
    var initialHiddenGradient: UnsafeMutablePointer<Float> { dhNext.matrix(rows: batch, cols: hidden).data }
    /// ∂L/∂c₀ (LSTM) after a backward with `needsInitialGradient`.
    var initialCellGradient: UnsafeMutablePointer<Float> { dc.matrix(rows: batch, cols: hidden).data }
}
