import Foundation

/// The recurrent cells a sequence model can be built from.
public enum SequenceCell: String, CaseIterable, Codable, Sendable {
    case lstm, gru, rnn
}

/// A token-level language model (Karpathy's char-rnn): tokens → a recurrent stack with token
/// input (one-hot rows of the vocabulary, computed as row gathers) → a dense layer to one logit
/// per token → softmax. Trained by `LanguageModelTrainer` on next-token cross-entropy; generates
/// text with `sample`. The dense layer starts as PyTorch's `Linear` does, U(±1/√hidden) for
/// weight and bias; the recurrent layers as `Recurrent` describes.
///
/// Saved as a `ModelFile` with the vocabulary in its metadata: the tensors are those of
/// `torch.nn.Sequential(LSTM(V, H), Linear(H, V))` (`0.weight_ih_l0` [4H, V], …, `1.weight`
/// [V, H], `1.bias`), PyTorch's own layouts.
public final class LanguageModel<B: Backend> {
    public let backend: B
    public let vocabulary: Vocabulary
    public let model: Sequential<B>
    public let recurrent: Recurrent<B>
    public let output: Dense<B>

    /// A new model: `cell` with `hidden` units per layer, `layers` stacked, over `vocabulary`.
    public init(_ backend: B, vocabulary: Vocabulary, cell: SequenceCell = .lstm, hidden: Int = 256, layers: Int = 1,
                generator: inout RandomGenerator) {
        let v = vocabulary.count
        let r: Recurrent<B>
        switch cell {
        case .lstm: r = LSTM(backend, inputSize: v, hiddenSize: hidden, layers: layers, tokens: true, generator: &generator)
        case .gru: r = GRU(backend, inputSize: v, hiddenSize: hidden, layers: layers, tokens: true, generator: &generator)
        case .rnn: r = RNN(backend, inputSize: v, hiddenSize: hidden, layers: layers, tokens: true, generator: &generator)
        }
        let d = Dense(backend, inputs: hidden, outputs: v, generator: &generator)
        let k = 1 / Float(hidden).squareRoot()
        generator.fill(.uniform(low: -k, high: k), d.weight.value.data, count: d.weight.count)
        generator.fill(.uniform(low: -k, high: k), d.bias.value.data, count: d.bias.count)
        self.backend = backend
        self.vocabulary = vocabulary
        (recurrent, output) = (r, d)
        model = Sequential(backend, layers: [r, d])
    }

    /// The model in a saved file; throws a `DataError` naming `source` when it is not a
    /// language model (no vocabulary, or not a token-input recurrent layer and a dense layer
    /// over the vocabulary).
    public init(_ backend: B, file: ModelFile, source: String) throws {
        guard let vocabulary = file.vocabulary else {
            throw DataError(source, "is not a language model (no vocabulary in its metadata; train one with `backprop textgen train`)")
        }
        let m = try file.model(on: backend)
        guard let s = m as? Sequential<B>, s.layers.count == 2, let r = s.layers[0] as? Recurrent<B>, r.tokens,
              r.inputSize == vocabulary.count, let d = s.layers[1] as? Dense<B>, d.outputSize == vocabulary.count else {
            throw DataError(source, "is not a language model: expected a recurrent layer with token input and a dense layer over the \(vocabulary.count)-token vocabulary")
        }
        self.backend = backend
        self.vocabulary = vocabulary
        (model, recurrent, output) = (s, r, d)
    }

    /// The model as a file: state dict, architecture, loss, vocabulary.
    public var file: ModelFile {
        var f = ModelFile(model: model, loss: BuiltInLossConfiguration(.crossEntropy), classes: vocabulary.count, scaler: nil)
        f.vocabulary = vocabulary
        return f
    }

    /// `length` tokens generated after `prime` (its tokens are fed first; empty: a newline when
    /// the vocabulary has one, else its first token), each drawn from softmax(logits / temperature)
    /// with a generator seeded by `seed` — the same seed gives the same text. Returns the prime
    /// followed by the generated text, as bytes.
    public func sample(length: Int, temperature: Float = 1, prime: String = "", seed: UInt64 = 0) throws -> [UInt8] {
        precondition(temperature > 0 && temperature.isFinite, "temperature must be > 0")
        var primed = try vocabulary.encode(prime)
        let start = primed
        if primed.isEmpty { primed = [Int32(vocabulary.index(of: 10) ?? 0)] }
        let saved = (recurrent.isStateful, recurrent.lengths, recurrent.initialState)
        defer { (recurrent.isStateful, recurrent.lengths, recurrent.initialState) = saved }
        (recurrent.isStateful, recurrent.lengths, recurrent.initialState) = (true, nil, nil)
        recurrent.resetState()
        defer { recurrent.resetState() }
        let v = vocabulary.count
        var g = RandomGenerator(seed: seed)
        let x = Tensor(shape: [max(primed.count, 1), 1])
        var probabilities = [Float](repeating: 0, count: v)
        var generated: [Int32] = []
        generated.reserveCapacity(length)
        for (i, t) in primed.enumerated() { x.data[i] = Float(t) }
        var fed = primed.count   // tokens in x for the next forward: the prime, then one at a time
        for _ in 0..<length {
            let logits = model.forward(TensorView(x.data, shape: Shape(rows: fed, cols: 1), owner: x), training: false)
            let last = logits.data + (fed - 1) * v
            var top = -Float.infinity
            for j in 0..<v { top = max(top, last[j]) }
            var sum: Float = 0
            for j in 0..<v {
                probabilities[j] = Foundation.exp((last[j] - top) / temperature)
                sum += probabilities[j]
            }
            var u = g.nextUnit() * sum, pick = v - 1
            for j in 0..<v {
                u -= probabilities[j]
                if u < 0 { pick = j; break }
            }
            generated.append(Int32(pick))
            x.data[0] = Float(pick)
            fed = 1
        }
        return vocabulary.decode(start + generated)
    }
}
