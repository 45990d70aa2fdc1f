import ArgumentParser
import Backprop
import Foundation

struct EvaluateCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "evaluate",
        abstract: "Evaluate a saved model on a dataset's test set.")

    @OptionGroup var compute: ComputeOptions

    @Option(help: "A model saved by `backprop train --save` (or `backprop import`).")
    var model: String

    @Option(help: "fashion-mnist | idx:IMAGES,LABELS | csv:PATH | spiral | xor | circles | moons | blobs | uat")
    var dataset: String = "fashion-mnist"

    @Option(help: "The seed used for training (synthetic sets and held-out splits depend on it).")
    var seed: UInt64 = 42

    func run() throws {
        let file = try ModelFile.load(model)
        let source = try DatasetSource(parsing: dataset)
        let backend = try compute.make(compute.name())
        let net = try file.model(on: backend)
        let loss = try file.makeLoss(on: backend)
        let (_, test) = try source.load(loss: file.lossKind ?? .crossEntropy, seed: seed, classes: file.classes)
        guard test.featureCount == net.inputSize else {
            throw CLIError("\(dataset) has \(test.featureCount) features; the model in \(model) takes \(net.inputSize)")
        }
        guard test.count > 0 else { throw CLIError("\(dataset): no test examples to evaluate on") }
        file.scaler?.apply(to: test.features, backend: backend)
        let evaluator = Evaluator(model: net, loss: loss)
        do {
            let r = try evaluator.evaluate(test)
            let acc = r.accuracy.map { String(format: " test accuracy %.4f", $0) } ?? ""
            print(String(format: "test loss %.4f%@ (%d examples)", r.loss, acc as NSString, test.count))
        } catch let e as TrainingError {
            throw CLIError("\(e) (model \(model))")
        }
    }
}
