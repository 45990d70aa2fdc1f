import Foundation

/// Trains a `LanguageModel` by truncated backpropagation through time, as char-rnn and
/// PyTorch's word-language-model example do: the token sequence is cut into `batchSize`
/// parallel streams, each epoch walks them in consecutive windows of `sequenceLength` tokens,
/// the recurrent state is carried from one window to the next (detached, `isStateful`), and each
/// window is one step: next-token softmax cross-entropy (mean over the window's tokens),
/// gradients clipped to global norm `clipNorm`, then the optimiser (default Adam 2e-3).
///
/// Losses are reported in **bits per token**: the mean cross-entropy in nats / ln 2.
public final class LanguageModelTrainer<B: Backend> {
    public let model: LanguageModel<B>
    public let sequenceLength: Int
    public let batchSize: Int
    public let step: TrainingStep
    private let input: Tensor
    private var labels: [Int32]
    private let loss: SoftmaxCrossEntropy<B>

    public init(model: LanguageModel<B>, sequenceLength: Int = 64, batchSize: Int = 32, optimizer: (any Optimizer)? = nil,
                clipNorm: Float? = 5) {
        precondition(sequenceLength >= 1 && batchSize >= 1, "sequence length and batch size must be ≥ 1")
        self.model = model
        self.sequenceLength = sequenceLength
        self.batchSize = batchSize
        loss = SoftmaxCrossEntropy(model.backend)
        step = TrainingStep(model: model.model, loss: loss, optimizer: optimizer ?? Adam(model.backend, learningRate: 2e-3),
                            transforms: clipNorm.map { [ClipGradients(.norm($0))] } ?? [])
        input = Tensor(shape: [sequenceLength, batchSize])
        labels = [Int32](repeating: 0, count: sequenceLength * batchSize)
    }

    /// Tokens needed for one window of `batch` streams: batch × sequence length + 1.
    public static func minimumTokens(sequenceLength: Int, batchSize: Int) -> Int { sequenceLength * batchSize + 1 }

    /// The streams of `ids` as `batch` rows of n = (count − 1) / batch tokens: stream b is
    /// ids[b·n ..< b·n + n], its targets the tokens one later. Windows per epoch: n / sequence length.
    public static func windows(_ count: Int, batch: Int, sequence: Int) -> (perStream: Int, windows: Int) {
        let n = (count - 1) / batch
        return (n, n / sequence)
    }

    /// Fills the time-major window w of `ids`'s `batch` streams into `x` [T, batch] and `y`.
    private static func fill(_ ids: ArraySlice<Int32>, window w: Int, batch: Int, sequence t: Int, perStream n: Int,
                             x: UnsafeMutablePointer<Float>, y: inout [Int32]) {
        let base = ids.startIndex
        for s in 0..<t {
            for b in 0..<batch {
                let i = base + b * n + w * t + s
                x[s * batch + b] = Float(ids[i])
                y[s * batch + b] = ids[i + 1]
            }
        }
    }

    /// One epoch over `ids` from a zero state (only its first `limit` windows when given);
    /// `progress(window, windows, loss)` after each step. Returns the mean training loss in bits
    /// per token and the tokens trained on.
    @discardableResult
    public func trainEpoch(_ ids: ArraySlice<Int32>, windows limit: Int? = nil,
                           progress: (Int, Int, Float) -> Void = { _, _, _ in }) -> (bitsPerToken: Double, tokens: Int) {
        var (n, count) = Self.windows(ids.count, batch: batchSize, sequence: sequenceLength)
        if let limit { count = min(count, limit) }
        precondition(count >= 1, "LanguageModelTrainer: \(ids.count) tokens are fewer than one window (\(Self.minimumTokens(sequenceLength: sequenceLength, batchSize: batchSize)))")
        let r = model.recurrent
        r.isStateful = true
        r.resetState()
        var total = 0.0
        for w in 0..<count {
            let l = trainStep(ids, window: w, perStream: n)
            total += Double(l)
            progress(w + 1, count, l)
        }
        r.resetState()
        return (total / Double(count) / log(2), count * batchSize * sequenceLength)
    }

    /// One step on window `w` of `ids`'s streams (the state carried from the previous call when
    /// the recurrent layer is stateful); returns the window's mean loss in nats.
    @discardableResult
    public func trainStep(_ ids: ArraySlice<Int32>, window w: Int, perStream: Int? = nil) -> Float {
        let n = perStream ?? Self.windows(ids.count, batch: batchSize, sequence: sequenceLength).perStream
        precondition((w + 1) * sequenceLength <= n, "LanguageModelTrainer: window \(w) is past the text's end")
        Self.fill(ids, window: w, batch: batchSize, sequence: sequenceLength, perStream: n, x: input.data, y: &labels)
        return step.run(TensorView(input), .classes(labels[...])).loss
    }

    /// The mean loss over `ids` in bits per token, in windows of up to `batchSize` streams (fewer
    /// for a short text) with the state carried; nil when `ids` is shorter than one window of one
    /// stream.
    public func evaluate(_ ids: ArraySlice<Int32>) -> Double? {
        let batch = min(batchSize, (ids.count - 1) / sequenceLength)
        guard batch >= 1 else { return nil }
        let (n, count) = Self.windows(ids.count, batch: batch, sequence: sequenceLength)
        let r = model.recurrent
        r.isStateful = true
        r.resetState()
        defer { r.resetState() }
        let x = Tensor(shape: [sequenceLength, batch])
        var y = [Int32](repeating: 0, count: sequenceLength * batch)
        var total = 0.0
        for w in 0..<count {
            Self.fill(ids, window: w, batch: batch, sequence: sequenceLength, perStream: n, x: x.data, y: &y)
            let out = model.model.forward(TensorView(x), training: false)
            total += Double(loss.compute(TensorView(out.data, rows: sequenceLength * batch, cols: out.cols), .classes(y[...]), gradient: nil))
        }
        return total / Double(count) / log(2)
    }
}
