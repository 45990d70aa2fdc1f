import ArgumentParser
import Backprop
import Foundation

struct EvaluateCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "evaluate",
        abstract: "Evaluate a saved model on a dataset's test set.")

    @OptionGroup var compute: ComputeOptions

    @Option(help: "A model saved by `backprop train --save`.")
    var model: String

    @Option(help: "fashion-mnist | idx:IMAGES,LABELS | csv:PATH | spiral | xor | circles | moons | blobs | uat")
    var dataset: String = "fashion-mnist"

    @Option(help: "The seed used for training (synthetic sets and held-out splits depend on it).")
    var seed: UInt64 = 42

    func run() throws {
        let file = try ModelFile.load(model)
        let source = try DatasetSource(parsing: dataset)
        try evaluate(file, source: source, backend: try compute.make(compute.name()))
    }

    func evaluate<B: Backend>(_ file: ModelFile, source: DatasetSource, backend: B) throws {
        var (_, test) = try source.load(loss: file.loss, seed: seed)
        if file.loss == .bce || file.loss == .bceLogits { test = test.binaryTargets() }
        let net = file.model(on: backend)
        guard test.featureCount == net.inputSize else {
            throw CLIError("\(dataset) has \(test.featureCount) features; the model in \(model) takes \(net.inputSize)")
        }
        guard test.targetCount == net.outputSize else {
            throw CLIError("\(dataset) has \(test.targetCount) targets; the model in \(model) outputs \(net.outputSize)")
        }
        file.scaler?.apply(to: test.features, backend: backend)
        let trainer = Trainer(model: net, loss: file.loss.make(backend), optimizer: SGD(backend))
        let r = trainer.evaluate(test)
        let acc = r.accuracy.map { String(format: " test accuracy %.4f", $0) } ?? ""
        print(String(format: "test loss %.4f%@ (%d examples)", r.loss, acc as NSString, test.count))
    }
}

struct PredictCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "predict",
        abstract: "Predict with a saved model: one CSV line per input row (class, then the outputs).")

    @OptionGroup var compute: ComputeOptions

    @Option(help: "A model saved by `backprop train --save`.")
    var model: String

    @Option(help: "A CSV of feature rows (no label column).")
    var input: String

    func run() throws {
        let file = try ModelFile.load(model)
        try predict(file, backend: try compute.make(compute.name()))
    }

    func predict<B: Backend>(_ file: ModelFile, backend: B) throws {
        let net = file.model(on: backend)
        let x = try CSVReader.features(input, expectedColumns: net.inputSize)
        file.scaler?.apply(to: x, backend: backend)
        let y = net.predict(x)
        var out = ""
        let classify = file.classes != nil
        if file.loss == .crossEntropy {
            backend.softmax(y.data, y.data, rows: y.rows, cols: y.cols, log: false)
        } else if file.loss == .bceLogits {
            backend.unary(.activation(.sigmoid), y.data, y.data, count: y.count)
        }
        print(classify ? "class," + (0..<y.cols).map { "p\($0)" }.joined(separator: ",") : (0..<y.cols).map { "y\($0)" }.joined(separator: ","))
        for i in 0..<y.rows {
            let row = (0..<y.cols).map { y[i, $0] }
            if classify {
                let cls = row.count == 1 ? (row[0] >= 0.5 ? 1 : 0) : row.indices.max { row[$0] < row[$1] }!
                out += "\(cls)," + row.map { String(format: "%.6g", $0) }.joined(separator: ",") + "\n"
            } else {
                out += row.map { String(format: "%.6g", $0) }.joined(separator: ",") + "\n"
            }
        }
        print(out, terminator: "")
    }
}
