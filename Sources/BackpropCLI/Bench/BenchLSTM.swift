import Backprop
import Foundation

/// The character-level LSTM language model's training step, per backend, side by side: the
/// model and step of `../shared/peers/charlstm_torch.py` (one-hot bytes of the fortunes text,
/// LSTM H = 256, one layer, sequence 64, batch 32, Adam 2e-3, clip-norm 5, state carried). FLOPs
/// counted are those the model needs per character: 3 × 2·H·4H for the recurrent GEMMs (forward,
/// ∂h, ∂W_hh) and 3 × 2·H·V for the output layer — 1.75 MFLOP at H = 256, V = 114; the one-hot
/// input projection is a gather and counts nothing.
enum BenchLSTM {
    static let (hidden, sequence, batch) = (256, 64, 32)

    /// The fortunes text when installed (Debian's `fortunes`), else 2.5 MB of bytes over 114
    /// symbols from a fixed stream.
    static func text() -> TextCorpus {
        let dir = "/usr/share/games/fortunes"
        let files = ((try? FileManager.default.contentsOfDirectory(atPath: dir)) ?? []).sorted().filter { name in
            var isDir: ObjCBool = false
            let path = dir + "/" + name
            let link = (try? FileManager.default.destinationOfSymbolicLink(atPath: path)) != nil
            return !name.hasSuffix(".dat") && !name.hasSuffix(".u8") && !link
                && FileManager.default.fileExists(atPath: path, isDirectory: &isDir) && !isDir.boolValue
        }
        var bytes: [UInt8] = []
        for f in files { bytes += [UInt8](FileManager.default.contents(atPath: dir + "/" + f) ?? Data()) }
        if bytes.count < 1_000_000 {
            var g = RandomGenerator(seed: 1)
            bytes = (0..<2_500_000).map { _ in UInt8(10 + g.nextInt(below: 114)) }
        }
        return try! TextCorpus(bytes: bytes, tokens: .bytes, source: "fortunes")
    }

    static func run(_ backends: [any Backend], rounds: Int, roofs: Roofs) -> [BenchRow] {
        let corpus = text()
        let v = corpus.vocabulary.count
        let flopsPerChar = Double(3 * 2 * hidden * 4 * hidden + 3 * 2 * hidden * v)
        var bodies: [() -> Void] = [], spins: [Bool] = []
        for b in backends {
            bodies.append(stepper(b, corpus))
            spins.append(b.leavesThreadsSpinning)
        }
        let t = Interleaved.medians(bodies, rounds: rounds, sampleSeconds: 0.3, spins: spins)
        return backends.enumerated().map { i, b in
            var row = BenchRow(backend: b.name, op: "lstm", shape: "H\(hidden) T\(sequence) B\(batch) V\(v)", threads: b.threads, seconds: t[i])
            let chars = Double(sequence * batch)
            row.charsPerSecond = chars / t[i]
            row.gflops = flopsPerChar * chars / t[i] / 1e9
            row.percentOfRoof = 100 * row.gflops! / roofs.gflops
            return row
        }
    }

    /// One training step per call, walking the text's windows as `textgen train` does.
    static func stepper(_ backend: any Backend, _ corpus: TextCorpus) -> () -> Void {
        func make<B: Backend>(_ b: B) -> () -> Void {
            var g = RandomGenerator(seed: 0)
            let lm = LanguageModel(b, vocabulary: corpus.vocabulary, cell: .lstm, hidden: hidden, generator: &g)
            let trainer = LanguageModelTrainer(model: lm, sequenceLength: sequence, batchSize: batch)
            let ids = corpus.split().train
            let windows = LanguageModelTrainer<B>.windows(ids.count, batch: batch, sequence: sequence).windows
            var w = 0
            return {
                trainer.trainStep(ids, window: w % windows)
                w += 1
            }
        }
        return make(backend)
    }
}
