import Foundation

/// The data the experiments share: a fixed subset of Fashion-MNIST (the first `train` training
/// images and the first `test` test images, pixels in [0, 1]).
public enum ExperimentData {
    public static func fashionMNIST(train: Int, test: Int) throws -> (train: Dataset, test: Dataset) {
        let (a, b) = try DatasetSource.fashionMNIST(directory: DatasetSource.fashionMNISTDirectory).load(loss: .crossEntropy, seed: 0)
        return (a.subset(Array(0..<min(train, a.count))), b.subset(Array(0..<min(test, b.count))))
    }

    /// The mean-squared error of `model` on `data` (mean over examples and outputs).
    public static func meanSquaredError<B: Backend>(_ model: any Model<B>, _ data: Dataset) -> Double {
        let p = model.predict(data.features)
        var s = 0.0
        for i in 0..<p.count { let d = Double(p.data[i]) - Double(data.targets.data[i]); s += d * d }
        return s / Double(max(p.count, 1))
    }

    /// The fraction of `data`'s examples whose argmax output is the label.
    public static func accuracy<B: Backend>(_ model: any Model<B>, _ data: Dataset) -> Double {
        accuracy(scores: model.predict(data.features), labels: data.labels ?? [])
    }

    /// The fraction of rows of `scores` [n, k] whose argmax is the label.
    public static func accuracy(scores: Tensor, labels: [Int32]) -> Double {
        let n = scores.rows, k = scores.cols
        var right = 0
        for i in 0..<min(n, labels.count) {
            var best = 0
            for j in 1..<k where scores.data[i * k + j] > scores.data[i * k + best] { best = j }
            if Int32(best) == labels[i] { right += 1 }
        }
        return Double(right) / Double(max(n, 1))
    }

    /// The L2 norm of `count` floats.
    public static func norm(_ p: UnsafeMutablePointer<Float>, _ count: Int) -> Double {
        var s = 0.0
        for i in 0..<count { s += Double(p[i]) * Double(p[i]) }
        return s.squareRoot()
    }
}

extension ExperimentData {
    /// Full-batch Adam on MSE for `steps` steps, the rate decaying from `learningRate` to 0 on a
    /// cosine (each step is an epoch of full-batch training); returns the last step's loss.
    @discardableResult
    public static func fitFullBatch<B: Backend>(_ model: Sequential<B>, _ data: Dataset, steps: Int, learningRate: Float) -> Double {
        let adam = Adam(model.backend, learningRate: learningRate)
        adam.rate.schedule = .cosine(epochs: steps, minimum: 0)
        let step = TrainingStep(model: model, loss: MeanSquaredError(model.backend), optimizer: adam)
        var last: Float = 0
        for s in 0..<steps {
            adam.rate.epoch = s
            last = step.run(TensorView(data.features), TensorView(data.targets)).loss
        }
        return Double(last)
    }
}

extension ExperimentData {
    /// The norm of each Dense layer's weight gradient ‖∂L/∂W_l‖ for softmax cross-entropy on
    /// `x` with `labels` (gradients are zeroed first and left in the model).
    public static func layerGradientNorms<B: Backend>(_ model: Sequential<B>, _ x: Tensor, _ labels: ArraySlice<Int32>) -> [Double] {
        model.zeroGradients()
        let out = model.forward(TensorView(x), training: true)
        let g = Tensor(shape: [out.rows, out.cols])
        _ = SoftmaxCrossEntropy(model.backend).compute(out, .classes(labels), gradient: TensorView(g))
        model.backward(TensorView(g))
        return model.layers.compactMap { $0 as? Dense<B> }.map { norm($0.weight.grad.data, $0.weight.count) }
    }

    /// Each layer's output on `x`, layer by layer (inference mode).
    public static func layerOutputs<B: Backend>(_ model: Sequential<B>, _ x: Tensor) -> [[Float]] {
        var h = TensorView(x)
        var out: [[Float]] = []
        for layer in model.layers {
            h = layer.forward(h, training: false)
            out.append(h.array)
        }
        return out
    }

    /// The first `n` rows of `data` as a tensor and their labels.
    public static func batch(_ data: Dataset, _ n: Int) -> (Tensor, ArraySlice<Int32>) {
        let m = min(n, data.count), d = data.featureCount
        let x = Tensor(shape: [m, d])
        x.data.update(from: data.features.data, count: m * d)
        return (x, data.labels![0..<m])
    }
}
