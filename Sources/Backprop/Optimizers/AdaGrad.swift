/// AdaGrad (PyTorch's `Adagrad`): s ← s + g², w ← w − η g / (√s + ε).
/// Defaults: η = 0.01, ε = 1e-10, initial accumulator 0 (Keras: 0.1, and ε = 1e-7).
/// State: `sum` (s).
public final class AdaGrad<B: Backend>: Optimizer {
    public let backend: B
    public var rate: ScheduledLearningRate
    public let epsilon: Float
    public let initialAccumulator: Float
    public let state: OptimizerState
    private let scratch = Workspace()

    public init(_ backend: B, learningRate: Float = 0.01, epsilon: Float = 1e-10, initialAccumulator: Float = 0) {
        self.backend = backend
        self.rate = ScheduledLearningRate(base: learningRate)
        self.epsilon = epsilon
        self.initialAccumulator = initialAccumulator
        self.state = OptimizerState(slots: ["sum"], initialValues: [initialAccumulator])
    }

    public var name: String { "adagrad" }

    public var hyperparameters: [(name: String, value: Float)] {
        [("eps", epsilon), ("initial_accumulator_value", initialAccumulator)]
    }

    public func step(_ parameters: ParameterArena) {
        state.bind(parameters)
        state.step += 1
        let g = parameters.gradients.data, w = parameters.values.data, n = parameters.count
        let s = state.pointer(0)
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
