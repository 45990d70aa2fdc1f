/// Rosenblatt's perceptron: one neuron with a step activation, ŷ = step(w·x + b) ∈ {0, 1},
/// trained by the perceptron learning rule, one example at a time:
/// w ← w + η (t − ŷ) x, b ← b + η (t − ŷ).
/// It converges when the classes are linearly separable. Defaults: η = 1, w = 0, b = 0.
public final class Perceptron<B: Backend> {
    public let backend: B
    public let weights: Tensor
    public var bias: Float = 0
    public var learningRate: Float

    public init(_ backend: B, inputs: Int, learningRate: Float = 1) {
        self.backend = backend
        self.weights = Tensor(shape: [inputs])
        self.learningRate = learningRate
    }

    /// ŷ for each row of `x` [n, inputs].
    public func predict(_ x: Tensor) -> [Float] {
        let z = Tensor(shape: [x.rows, 1])
        backend.gemm(.none, .none, m: x.rows, n: 1, k: weights.count, alpha: 1, a: x.data, lda: x.cols,
                     b: weights.data, ldb: 1, beta: 0, c: z.data, ldc: 1)
        var b = bias
        backend.binary(.add, z.data, &b, .scalar, z.data, rows: x.rows, cols: 1)
        backend.unary(.activation(.step), z.data, z.data, count: x.rows)
        return z.array
    }

    /// Runs the learning rule over `data` (labels 0/1) for up to `epochs` passes, in a seeded
    /// shuffled order; stops early after a pass without mistakes. Returns the mistakes per pass.
    @discardableResult
    public func fit(_ data: Dataset, epochs: Int, generator: inout RandomGenerator) -> [Int] {
        guard let labels = data.labels else { preconditionFailure("the perceptron needs class labels 0/1") }
        let d = data.featureCount
        var history: [Int] = []
        var order = Array(0..<data.count)
        for _ in 0..<epochs {
            Shuffle.shuffle(&order, generator: &generator)
            var mistakes = 0
            for i in order {
                let x = data.features.data + i * d
                var z: Float = 0
                backend.gemm(.none, .none, m: 1, n: 1, k: d, alpha: 1, a: x, lda: d, b: weights.data, ldb: 1, beta: 0, c: &z, ldc: 1)
                let y: Float = z + bias >= 0 ? 1 : 0
                let err = Float(labels[i]) - y
                if err != 0 {
                    mistakes += 1
                    backend.axpy(alpha: learningRate * err, x, weights.data, count: d)
                    bias += learningRate * err
                }
            }
            history.append(mistakes)
            if mistakes == 0 { break }
        }
        return history
    }
}
