import Backprop
import Foundation

func quickStart() throws {
    // Pick a backend by name at run time: no generic code needed.
    let name = CommandLine.arguments.dropFirst().first ?? "auto"
    let backend = try Backends.make(name, threads: 2)

    // Data: two interleaving half moons, 1000 to train on and 200 to test.
    let train = SyntheticDataset.moons.make(count: 1000, seed: 1)
    let test = SyntheticDataset.moons.make(count: 200, seed: 2)

    // A 2-32-32-2 MLP with ReLU, softmax cross-entropy, Adam with a cosine schedule.
    var generator = RandomGenerator(seed: 42)
    let model = Sequential.mlp(backend, sizes: [2, 32, 32, 2], activation: .relu, generator: &generator)
    let loss = SoftmaxCrossEntropy(backend)
    let optimizer = Adam(backend, learningRate: 0.01)
    optimizer.rate.schedule = .cosine(epochs: 20, minimum: 0)
    let trainer = Trainer(model: model, loss: loss, optimizer: optimizer)
    let history = try trainer.fit(train, options: FitOptions(epochs: 20, batchSize: 32))
    print("final training loss \(history.epochs.last!.loss) on \(backend.name)")

    // Save (a PyTorch state dict with the architecture in its metadata), load, evaluate.
    let path = FileManager.default.temporaryDirectory.appendingPathComponent("moons.safetensors").path
    try ModelFile(model: model, loss: loss.configuration, classes: 2, scaler: nil).save(to: path)
    let file = try ModelFile.load(path)
    let loaded = try file.model(on: backend)
    let result = try Evaluator(model: loaded, loss: try file.makeLoss(on: backend)).evaluate(test)
    print("test accuracy \(result.accuracy!) after loading \(path)")
}

do { try quickStart() } catch { FileHandle.standardError.write(Data("QuickStart: \(error)\n".utf8)); exit(1) }
