import Backprop
import Foundation

enum ExampleError: Error { case mismatch }

func example() throws {
    // Train 6 epochs straight; then 3 epochs with checkpoints, and a resume for the other 3 in a
    // fresh model and optimiser (as a new process would). The weights end bit for bit the same.
    let backend = try Backends.make("simd")
    let data = SyntheticDataset.spiral.make(count: 1000, seed: 0)
    let folder = FileManager.default.temporaryDirectory.appendingPathComponent("checkpoint-example-\(getpid())").path

    func run(_ options: FitOptions, resume: Checkpoint? = nil) throws -> Sequential<RoutedBackend> {
        var g = RandomGenerator(seed: 3)
        let model = Sequential.mlp(backend, sizes: [2, 32, 32, 2], activation: .tanh, dropout: 0.1, generator: &g)
        let optimizer = Adam(backend, learningRate: 0.01)
        optimizer.rate.schedule = .cosine(epochs: options.epochs, minimum: 0)
        let trainer = Trainer(model: model, loss: SoftmaxCrossEntropy(backend), optimizer: optimizer)
        let history = try trainer.fit(data, options: options, resume: resume)
        print(history.epochs.map { String(format: "%.5f", $0.loss) }.joined(separator: " "))
        return model
    }

    var options = FitOptions(epochs: 6, batchSize: 50)
    let straight = try run(options)

    options.checkpoint = CheckpointPolicy(directory: folder)
    options.stopAfter = 3
    _ = try run(options)                                            // epochs 1-3, checkpointed
    options.stopAfter = nil
    let resumed = try run(options, resume: try Checkpoint.load(from: folder))   // epochs 4-6

    let same = straight.parameters.values.array == resumed.parameters.values.array
    print("resumed = uninterrupted, bit for bit: \(same)")
    try? FileManager.default.removeItem(atPath: folder)
    if !same { throw ExampleError.mismatch }
}

do { try example() } catch { FileHandle.standardError.write(Data("CheckpointResume: \(error)\n".utf8)); exit(1) }
