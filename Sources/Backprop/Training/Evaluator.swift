/// Measures a model on data: the mean loss, accuracy, predicted classes and probabilities.
/// `Trainer.evaluate` uses one; `backprop evaluate` and `predict` too.
public final class Evaluator {
    public let model: any Model
    public let loss: any Loss
    private var predicted: [Int32] = []
    private let probabilityBuffer = Workspace()

    public init(model: any Model, loss: any Loss) {
        self.model = model
        self.loss = loss
    }

    /// Throws `TrainingError.dataMismatch` unless `data` fits the model: feature width, target
    /// width (or, for class labels, the outputs the loss needs for the classes and every label in
    /// range), at least one example.
    public func check(_ data: Dataset, role: String = "data") throws {
        guard data.count > 0 else { throw TrainingError.dataMismatch("\(data.name): the \(role) set has no examples") }
        guard data.featureCount == model.inputSize else {
            throw TrainingError.dataMismatch("\(data.name): \(role) has \(data.featureCount) features; the model takes \(model.inputSize)")
        }
        if let labels = data.labels {
            let classes = data.classes ?? Int(labels.max() ?? 0) + 1
            let want = loss.outputCount(classes: classes)
            guard model.outputSize == want else {
                throw TrainingError.dataMismatch("\(data.name): \(role) has \(classes) classes, for which \(loss.name) needs \(want) outputs; the model has \(model.outputSize)")
            }
            if let bad = labels.firstIndex(where: { $0 < 0 || Int($0) >= classes }) {
                throw TrainingError.dataMismatch("\(data.name): \(role) example \(bad) has class \(labels[bad]), outside 0..<\(classes)")
            }
        } else {
            guard data.targetCount == model.outputSize else {
                throw TrainingError.dataMismatch("\(data.name): \(role) has \(data.targetCount) targets; the model outputs \(model.outputSize)")
            }
        }
    }

    /// Mean loss and, for classification, accuracy over `data`.
    public func evaluate(_ data: Dataset, batchSize: Int = 1024) throws -> (loss: Float, accuracy: Float?) {
        try check(data, role: "evaluation")
        let batches = BatchIterator(data, batchSize: min(max(batchSize, 1), data.count), targets: data.labels == nil)
        var lossSum = 0.0, correct = 0
        for b in 0..<batches.batchCount {
            let batch = batches.batch(b)
            let out = model.forward(batch.x, training: false)
            let target: LossTarget = batch.labels.map { .classes($0) } ?? .values(batch.y)
            lossSum += Double(loss.compute(out, target, gradient: nil)) * Double(out.rows)
            if let labels = batch.labels { correct += countCorrect(out, labels) }
        }
        let rows = Double(data.count * max(data.labelsPerExample, 1))
        let acc = data.isClassification ? Float(Double(correct) / rows) : nil
        return (Float(lossSum / rows), acc)
    }

    /// Predicted classes of outputs `out` (argmax; one output: z ≥ 0 for logits, p ≥ 0.5 for
    /// probabilities). A view of a reused buffer, valid until the next call.
    public func classes(of out: TensorView, probabilities: Bool = false) -> ArraySlice<Int32> {
        if predicted.count < out.rows { predicted = [Int32](repeating: 0, count: out.rows) }
        if out.cols == 1 {
            let threshold: Float = probabilities || loss.outputKind == .probabilities ? 0.5 : 0
            for i in 0..<out.rows { predicted[i] = out[i, 0] >= threshold ? 1 : 0 }
        } else {
            let b = model.backend
            predicted.withUnsafeMutableBufferPointer { b.argmax(.rows, out.data, rows: out.rows, cols: out.cols, $0.baseAddress!) }
        }
        return predicted[0..<out.rows]
    }

    /// The number of rows of `out` whose class is the label.
    public func countCorrect(_ out: TensorView, _ labels: ArraySlice<Int32>) -> Int {
        let p = classes(of: out)
        var n = 0
        for (a, b) in zip(p, labels) where a == b { n += 1 }
        return n
    }

    /// Outputs as probabilities where the loss reads them so: softmax of logits (sigmoid for one
    /// output); probabilities and regression values as they are. A new tensor.
    public func probabilities(_ out: Tensor) -> Tensor {
        let y = out.copy()
        let b = model.backend
        if loss.outputKind == .logits {
            if y.cols == 1 {
                b.unary(.activation(.sigmoid), y.data, y.data, count: y.count)
            } else {
                b.softmax(y.data, y.data, rows: y.rows, cols: y.cols, log: false)
            }
        }
        return y
    }
}
