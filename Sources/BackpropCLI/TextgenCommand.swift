import ArgumentParser
import Backprop
import Foundation

/// `backprop textgen train|sample`: a character-level (or byte-level) language model.
struct TextgenCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "textgen",
        abstract: "Train a character-level language model on any text file, and sample text from it.",
        subcommands: [TextgenTrainCommand.self, TextgenSampleCommand.self, TextgenEvaluateCommand.self, TextgenImportCommand.self])
}

struct TextgenTrainCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "train",
        abstract: "Train a recurrent language model on a text (the last 10% held out); prints bits per character per epoch.",
        discussion: """
        A real text ships with Debian's `fortunes` package: `cat $(ls /usr/share/games/fortunes/* | grep -v '\\.dat$' | grep -v '\\.u8$') > fortunes.txt`,
        then `backprop textgen train --text fortunes.txt --save fortunes.safetensors`.
        """)

    @OptionGroup var compute: ComputeOptions

    @Option(help: "The text file to train on (read once).")
    var text: String

    @OptionGroup var architecture: LanguageModelOptions

    @Option(name: .customLong("seq-len"), parsing: .unconditional, help: "Tokens per window of truncated backpropagation through time.")
    var seqLen: Int = 64

    @Option(name: .customLong("batch-size"), parsing: .unconditional, help: "Parallel streams per step.")
    var batchSize: Int = 32

    @Option(parsing: .unconditional, help: "Epochs over the training text.")
    var epochs: Int = 1

    @Option(name: .customLong("learning-rate"), parsing: .unconditional, help: "Adam's learning rate.")
    var learningRate: Float = 2e-3

    @Option(name: .customLong("clip-norm"), parsing: .unconditional, help: "Clip the gradients to this global norm (0: no clipping).")
    var clipNorm: Float = 5

    @Option(name: .customLong("max-tokens"), parsing: .unconditional, help: "Stop training after this many training tokens (for comparisons at equal work).")
    var maxTokens: Int?

    @Option(parsing: .unconditional, help: "Seed for the initial weights.")
    var seed: UInt64 = 0

    @Option(help: "Save the trained model here (a safetensors model file with the vocabulary).")
    var save: String?

    @Option(help: "Save the model after every epoch into this folder (model.safetensors), atomically.")
    var checkpoint: String?

    @Flag(help: "Only the summary line.")
    var quiet = false

    func validate() throws {
        guard (1...4096).contains(seqLen) else { throw CLIError("--seq-len must be in 1...4096, got \(seqLen)") }
        guard (1...4096).contains(batchSize) else { throw CLIError("--batch-size must be in 1...4096, got \(batchSize)") }
        guard (1...100_000).contains(epochs) else { throw CLIError("--epochs must be in 1...100000, got \(epochs)") }
        guard learningRate > 0 && learningRate.isFinite else { throw CLIError("--learning-rate must be > 0, got \(learningRate)") }
        guard clipNorm >= 0 && clipNorm.isFinite else { throw CLIError("--clip-norm must be ≥ 0, got \(clipNorm)") }
        if let m = maxTokens, m < 1 { throw CLIError("--max-tokens must be ≥ 1, got \(m)") }
    }

    func run() throws {
        let (kind, hidden, layers, cell) = (architecture.kind, architecture.hidden, architecture.layers, architecture.cell)
        let corpus = try TextCorpus(path: text, tokens: kind)
        let (train, validation) = corpus.split(validationFraction: 0.1)
        let need = LanguageModelTrainer<RoutedBackend>.minimumTokens(sequenceLength: seqLen, batchSize: batchSize)
        guard train.count >= need else {
            throw DataError(text, "\(corpus.ids.count) \(kind.rawValue) is too short: the 90% for training (\(train.count)) must hold one window of --batch-size × --seq-len + 1 = \(need) (lower them)")
        }
        guard validation.count > seqLen else {
            throw DataError(text, "the 10% held out for validation (\(validation.count) \(kind.rawValue)) is shorter than one sequence of --seq-len \(seqLen) + 1")
        }
        let backend = try compute.make(compute.name())
        var g = RandomGenerator(seed: seed)
        let lm = LanguageModel(backend, vocabulary: corpus.vocabulary, cell: architecture.sequenceCell, hidden: hidden,
                               layers: layers, generator: &g)
        let trainer = LanguageModelTrainer(model: lm, sequenceLength: seqLen, batchSize: batchSize,
                                           optimizer: Adam(backend, learningRate: learningRate), clipNorm: clipNorm > 0 ? clipNorm : nil)
        let unit = kind == .bytes ? "bits/byte" : "bits/char"
        if !quiet {
            print("text \(text): \(corpus.ids.count) \(kind.rawValue), vocabulary \(corpus.vocabulary.count); training on \(train.count), validating on \(validation.count)")
            print("model \(cell) \(layers)x\(hidden), \(lm.model.parameters.count) parameters; backend \(backend.name), \(compute.threads) thread(s)")
        }
        let isTerminal = isatty(STDOUT_FILENO) != 0
        var trainedTokens = 0, lastVal = Double.nan, lastTrain = Double.nan, totalSeconds = 0.0
        for epoch in 1...epochs {
            let windows = maxTokens.map { max(0, $0 - trainedTokens) / (batchSize * seqLen) }
            if let windows, windows < 1 { break }
            let start = DispatchTime.now().uptimeNanoseconds
            var lastDraw: UInt64 = 0
            let (bits, count) = trainer.trainEpoch(train, windows: windows) { w, windows, loss in
                let now = DispatchTime.now().uptimeNanoseconds
                guard isTerminal, !quiet, now - lastDraw > 100_000_000 || w == windows else { return }
                lastDraw = now
                let elapsed = Double(now - start) * 1e-9
                let rate = Double(w * batchSize * seqLen) / max(elapsed, 1e-9)
                let filled = 30 * w / windows
                let bar = String(repeating: "=", count: filled) + String(repeating: " ", count: 30 - filled)
                print(String(format: "\repoch %d/%d [%@] %d/%d %.3f %@ %.0f tokens/s ETA %.0fs   ", epoch, epochs, bar as NSString, w, windows,
                             Double(loss) / log(2), unit as NSString, rate, elapsed * Double(windows - w) / Double(w)), terminator: "")
                fflush(nil)
            }
            let seconds = Double(DispatchTime.now().uptimeNanoseconds - start) * 1e-9
            totalSeconds += seconds
            trainedTokens += count
            lastTrain = bits
            lastVal = trainer.evaluate(validation) ?? .nan
            if isTerminal && !quiet { print("\r\u{1B}[K", terminator: "") }
            if !quiet {
                print(String(format: "epoch %d/%d train %.3f %@ | val %.3f %@ | %.0f tokens/s | %.1f s", epoch, epochs, bits, unit as NSString,
                             lastVal, unit as NSString, Double(count) / seconds, seconds))
                fflush(nil)
            }
            if let dir = checkpoint {
                do {
                    try FileManager.default.createDirectory(atPath: dir, withIntermediateDirectories: true)
                } catch {
                    throw DataError(dir, "cannot create the checkpoint folder: \(error.localizedDescription)")
                }
                try lm.file.save(to: URL(fileURLWithPath: dir).appendingPathComponent("model.safetensors").path)
            }
        }
        if let save { try lm.file.save(to: save) }
        print(String(format: "SUMMARY textgen cell=%@ hidden=%d layers=%d backend=%@ threads=%d trained_tokens=%d train_bpc=%.3f val_bpc=%.3f tokens_per_s=%.0f",
                     cell as NSString, hidden, layers, backend.name as NSString, compute.threads, trainedTokens, lastTrain, lastVal,
                     Double(trainedTokens) / max(totalSeconds, 1e-9)))
    }
}

struct TextgenSampleCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "sample",
        abstract: "Generate text with a language model saved by `backprop textgen train --save`.")

    @OptionGroup var compute: ComputeOptions

    @Option(help: "The language model file.")
    var model: String

    @Option(parsing: .unconditional, help: "Tokens to generate.")
    var length: Int = 500

    @Option(parsing: .unconditional, help: "Softmax temperature (> 0): below 1 more conservative, above 1 more varied.")
    var temperature: Float = 1

    @Option(parsing: .unconditional, help: "Text to start from (every character must be in the model's vocabulary).")
    var prime: String = ""

    @Option(parsing: .unconditional, help: "Seed: the same seed gives the same text.")
    var seed: UInt64 = 0

    func validate() throws {
        guard temperature > 0 && temperature.isFinite else { throw CLIError("--temperature must be > 0, got \(temperature)") }
        guard (0...10_000_000).contains(length) else { throw CLIError("--length must be in 0...10000000, got \(length)") }
    }

    func run() throws {
        let file = try ModelFile.load(model)
        let backend = try compute.make(compute.name())
        let lm = try LanguageModel(backend, file: file, source: model)
        do {
            _ = try lm.vocabulary.encode(prime)
        } catch {
            throw CLIError("--prime: \(error)")
        }
        let start = DispatchTime.now().uptimeNanoseconds
        let bytes = try lm.sample(length: length, temperature: temperature, prime: prime, seed: seed)
        let seconds = Double(DispatchTime.now().uptimeNanoseconds - start) * 1e-9
        FileHandle.standardOutput.write(Data(bytes + [10]))
        FileHandle.standardError.write(Data(String(format: "sampled %d tokens in %.2f s (%.0f tokens/s)\n", length, seconds,
                                                   Double(length) / max(seconds, 1e-9)).utf8))
    }
}

struct TextgenImportCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "import",
        abstract: "Import a PyTorch language model's state dict (torch.nn.Sequential(LSTM|GRU|RNN(V, H), Linear(H, V)) names: 0.weight_ih_l0, …, 1.weight, 1.bias) as a model file.",
        discussion: """
        The vocabulary is the distinct tokens of --text, sorted, as `textgen train` (and ../shared/peers/charlstm_torch.py) builds it:
        from PyTorch, `save_file({**{"0." + k: v for k, v in m.lstm.state_dict().items()}, "1.weight": m.out.weight, "1.bias": m.out.bias}, path)`.
        """)

    @Argument(help: "The state dict (safetensors).")
    var stateDict: String

    @Option(help: "The text whose tokens are the vocabulary.")
    var text: String

    @OptionGroup var architecture: LanguageModelOptions

    @Option(help: "The model file to write.")
    var save: String

    func run() throws {
        let (kind, c, hidden, layers) = (architecture.kind, architecture.sequenceCell, architecture.hidden, architecture.layers)
        let cell = c.rawValue
        let corpus = try TextCorpus(path: text, tokens: kind)
        let (tensors, _, _) = try SafeTensors.read(stateDict)
        var g = RandomGenerator(seed: 0)
        let lm = LanguageModel(NaiveBackend(), vocabulary: corpus.vocabulary, cell: c, hidden: hidden, layers: layers, generator: &g)
        try lm.model.loadStateDict(tensors, source: stateDict)
        let expected = Set(lm.model.stateDict().map(\.name))
        if let extra = tensors.keys.sorted().first(where: { !expected.contains($0) }) {
            throw CLIError("\(stateDict): tensor \(extra) is not part of a \(cell) \(layers)x\(hidden) language model (expected \(expected.sorted().joined(separator: ", ")))")
        }
        for (name, t) in tensors {
            if let bad = (0..<t.count).first(where: { !t.data[$0].isFinite }) {
                throw CLIError("\(stateDict): tensor \(name) holds \(t.data[bad]) at element \(bad); weights must be finite")
            }
        }
        try lm.file.save(to: save)
        print("imported \(stateDict) (\(tensors.count) tensors, \(lm.model.parameters.parameterCount) parameters, vocabulary \(corpus.vocabulary.count)) as \(save)")
    }
}

struct TextgenEvaluateCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "evaluate",
        abstract: "Bits per token of a language model on the held-out last 10% of a text (or all of it with --all).")

    @OptionGroup var compute: ComputeOptions

    @Option(help: "The language model file.")
    var model: String

    @Option(help: "The text.")
    var text: String

    @Option(name: .customLong("seq-len"), parsing: .unconditional, help: "Tokens per window (the state is carried between windows).")
    var seqLen: Int = 64

    @Option(name: .customLong("batch-size"), parsing: .unconditional, help: "Parallel streams.")
    var batchSize: Int = 32

    @Flag(help: "Evaluate on the whole text instead of its last 10%.")
    var all = false

    func run() throws {
        guard (1...4096).contains(seqLen), (1...4096).contains(batchSize) else { throw CLIError("--seq-len and --batch-size must be in 1...4096") }
        let file = try ModelFile.load(model)
        let backend = try compute.make(compute.name())
        let lm = try LanguageModel(backend, file: file, source: model)
        let corpus = try TextCorpus(path: text, tokens: lm.vocabulary.tokens)
        guard corpus.vocabulary.symbols.allSatisfy({ lm.vocabulary.index(of: $0) != nil }) else {
            let missing = corpus.vocabulary.symbols.first { lm.vocabulary.index(of: $0) == nil }!
            throw DataError(text, "holds token \(missing), which the model's vocabulary of \(lm.vocabulary.count) lacks")
        }
        // The text's ids in the model's vocabulary.
        let map = corpus.vocabulary.symbols.map { Int32(lm.vocabulary.index(of: $0)!) }
        let ids = corpus.ids.map { map[Int($0)] }
        let part = all ? ids[...] : ids[(ids.count - corpus.split().validation.count)...]
        let trainer = LanguageModelTrainer(model: lm, sequenceLength: seqLen, batchSize: batchSize)
        guard let bits = trainer.evaluate(part) else {
            throw DataError(text, "\(part.count) tokens are fewer than one window of --seq-len \(seqLen) + 1")
        }
        print(String(format: "%.4f bits per %@ on %d tokens", bits, lm.vocabulary.tokens == .bytes ? "byte" : "character", part.count))
    }
}

/// The language model's architecture and tokens, shared by `textgen train` and `textgen import`.
struct LanguageModelOptions: ParsableArguments {
    @Option(help: "Tokens: bytes (any file) or characters (Unicode scalars of UTF-8 text).")
    var tokens: String = "bytes"

    @Option(help: "The recurrent cell: lstm, gru or rnn.")
    var cell: String = "lstm"

    @Option(parsing: .unconditional, help: "Hidden units per recurrent layer.")
    var hidden: Int = 256

    @Option(parsing: .unconditional, help: "Stacked recurrent layers.")
    var layers: Int = 1

    func validate() throws {
        guard TextCorpus.Tokens(rawValue: tokens) != nil else { throw CLIError("--tokens '\(tokens)': expected bytes or characters") }
        guard SequenceCell(rawValue: cell) != nil else { throw CLIError("--cell '\(cell)': expected lstm, gru or rnn") }
        guard (1...4096).contains(hidden) else { throw CLIError("--hidden must be in 1...4096, got \(hidden)") }
        guard (1...8).contains(layers) else { throw CLIError("--layers must be in 1...8, got \(layers)") }
    }

    /// After `validate`.
    var kind: TextCorpus.Tokens { TextCorpus.Tokens(rawValue: tokens)! }
    var sequenceCell: SequenceCell { SequenceCell(rawValue: cell)! }
}
