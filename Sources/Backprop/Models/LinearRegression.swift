/// Linear regression as a single layer of linear neurons: ŷ = x·W + b, loss MSE.
///
/// `fit` runs full-batch gradient descent (∂L/∂W = 2Xᵀ(ŷ − y)/N); `solve` finds the exact
/// least-squares fit from the normal equations [X 1]ᵀ[X 1]·θ = [X 1]ᵀy with the backend's linear
/// solver. Defaults: η = 0.01, weights zero.
public final class LinearRegression<B: Backend> {
    public let model: Sequential<B>
    public let dense: Dense<B>
    private let trainer: Trainer

    public init(_ backend: B, inputs: Int, outputs: Int = 1, learningRate: Float = 0.01) {
        var g = RandomGenerator(seed: 0)
        dense = Dense(backend, inputs: inputs, outputs: outputs, initializer: .zeros, generator: &g)
        model = Sequential(backend, layers: [dense])
        trainer = Trainer(model: model, loss: MeanSquaredError(backend), optimizer: SGD(backend, learningRate: learningRate))
    }

    /// Gradient descent for `epochs` full-batch steps; the loss per step.
    @discardableResult
    public func fit(_ data: Dataset, epochs: Int) throws -> [Float] {
        return try trainer.fit(data, options: .fullBatch(epochs: epochs, size: data.count)).epochs.map(\.loss)
    }

    /// Sets W and b to the least-squares solution (throws `BackendError.singular` for collinear features).
    public func solve(_ data: Dataset) throws {
        try trainer.check(data)
        let backend = model.backend
        let n = data.count, d = data.featureCount, k = data.targetCount
        let xa = Tensor(shape: [n, d + 1])   // [X 1]
        for i in 0..<n {
            (xa.data + i * (d + 1)).update(from: data.features.data + i * d, count: d)
            xa[i, d] = 1
        }
        let a = Tensor(shape: [d + 1, d + 1]), rhs = Tensor(shape: [d + 1, k])
        backend.gemm(.transpose, .none, m: d + 1, n: d + 1, k: n, alpha: 1, a: xa.data, lda: d + 1, b: xa.data, ldb: d + 1,
                     beta: 0, c: a.data, ldc: d + 1)
        backend.gemm(.transpose, .none, m: d + 1, n: k, k: n, alpha: 1, a: xa.data, lda: d + 1, b: data.targets.data, ldb: k,
                     beta: 0, c: rhs.data, ldc: k)
        try backend.solve(n: d + 1, nrhs: k, a: a.data, b: rhs.data)
        dense.weight.value.data.update(from: rhs.data, count: d * k)
        dense.bias.value.data.update(from: rhs.data + d * k, count: k)
    }

    /// Mean squared error on `data`.
    public func meanSquaredError(_ data: Dataset) throws -> Float { try trainer.evaluate(data).loss }
}
