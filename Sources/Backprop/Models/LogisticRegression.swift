/// Logistic regression as a single neuron: p = σ(x·w + b), trained by full-batch gradient
/// descent on the binary cross-entropy, whose gradient is ∂L/∂w = Xᵀ(p − t)/n, ∂L/∂b = Σ(p − t)/n.
/// Defaults: η = 0.1, weights Xavier-uniform.
public final class LogisticRegression<B: Backend> {
    public let model: Sequential<B>
    private let trainer: Trainer

    public init(_ backend: B, inputs: Int, learningRate: Float = 0.1, generator: inout RandomGenerator) {
        model = Sequential(backend, layers: [Dense(backend, inputs: inputs, outputs: 1, activation: .sigmoid, generator: &generator)])
        trainer = Trainer(model: model, loss: BinaryCrossEntropy(backend), optimizer: SGD(backend, learningRate: learningRate))
    }

    /// Gradient descent on the whole set (labels 0/1) for `epochs` steps; the loss per step.
    @discardableResult
    public func fit(_ data: Dataset, epochs: Int) throws -> [Float] {
        return try trainer.fit(data, options: .fullBatch(epochs: epochs, size: data.count)).epochs.map(\.loss)
    }

    /// P(class 1) for each row.
    public func probabilities(_ x: Tensor) -> [Float] { model.predict(x).array }

    /// Accuracy on `data`.
    public func accuracy(_ data: Dataset) throws -> Float { try trainer.evaluate(data).accuracy ?? 0 }
}
