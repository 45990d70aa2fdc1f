/// AdaGrad (PyTorch's `Adagrad`): s ← s + g², w ← w − η g / (√s + ε).
/// Defaults: η = 0.01, ε = 1e-10, initial accumulator 0 (Keras: 0.1, and ε = 1e-7).
public final class AdaGrad<B: Backend>: Optimizer {
    public let backend: B
    public var learningRate: Float
    public let epsilon: Float
    public let initialAccumulator: Float
    private let slots = OptimizerSlots()
    private let scratch = Workspace()

    public init(_ backend: B, learningRate: Float = 0.01, epsilon: Float = 1e-10, initialAccumulator: Float = 0) {
        self.backend = backend
        self.learningRate = learningRate
        self.epsilon = epsilon
        self.initialAccumulator = initialAccumulator
    }

    public var name: String { "adagrad" }

    public func step(_ parameters: [Parameter]) {
        for p in parameters {
            let g = p.grad.data, w = p.value.data, n = p.count
            let s = slots.slots(for: p, count: 1, initial: initialAccumulator)[0].data
            let t = scratch.matrix(rows: 1, cols: n).data
            backend.unary(.square, g, t, count: n)
            backend.axpy(alpha: 1, t, s, count: n)                                    // s += g²
            var eps = epsilon
            backend.unary(.sqrt, s, t, count: n)
            backend.binary(.add, t, &eps, .scalar, t, rows: 1, cols: n)               // √s + ε
            backend.binary(.div, g, t, .none, t, rows: 1, cols: n)
            backend.axpy(alpha: -learningRate, t, w, count: n)
        }
    }
}
