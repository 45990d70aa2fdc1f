import ArgumentParser
import Backprop
import Foundation

struct PredictCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "predict",
        abstract: "Predict with a saved model: one CSV line per input row (class, then probabilities; or the outputs).")

    @OptionGroup var compute: ComputeOptions

    @Option(help: "A model saved by `backprop train --save` (or `backprop import`).")
    var model: String

    @Option(help: "A CSV of feature rows (no label column).")
    var input: String

    func run() throws {
        let file = try ModelFile.load(model)
        let backend = try compute.make(compute.name())
        let net = try file.model(on: backend)
        let evaluator = Evaluator(model: net, loss: try file.makeLoss(on: backend))
        let x = try CSVReader.features(input, expectedColumns: net.inputSize)
        file.scaler?.apply(to: x, backend: backend)
        let y = evaluator.probabilities(net.predict(x))
        let classify = file.classes != nil
        let columns = (0..<y.cols).map { (classify ? "p" : "y") + "\($0)" }
        print((classify ? ["class"] + columns : columns).joined(separator: ","))
        let classes = classify ? Array(evaluator.classes(of: y.matrix, probabilities: true)) : []
        var out = ""
        for i in 0..<y.rows {
            let row = (0..<y.cols).map { String(format: "%.6g", y[i, $0]) }.joined(separator: ",")
            out += (classify ? "\(classes[i])," : "") + row + "\n"
        }
        print(out, terminator: "")
    }
}
