/// RMSprop (PyTorch's `RMSprop`, ε outside the root):
/// v ← α v + (1 − α) g²; centered: ḡ ← α ḡ + (1 − α) g and d = √(v − ḡ²) + ε, else d = √v + ε;
/// w ← w − η g/d. Defaults: η = 0.01, α = 0.99, ε = 1e-8 (Keras: η = 0.001, ρ = 0.9, ε = 1e-7).
/// State: `square_avg` (v), and `grad_avg` (ḡ) when centered.
public final class RMSprop<B: Backend>: Optimizer {
    public let backend: B
    public var rate: ScheduledLearningRate
    public let alpha: Float
    public let epsilon: Float
    public let centered: Bool
    public let state: OptimizerState
    private let scratchA = Workspace(), scratchB = Workspace()

    public init(_ backend: B, learningRate: Float = 0.01, alpha: Float = 0.99, epsilon: Float = 1e-8, centered: Bool = false) {
        self.backend = backend
        self.rate = ScheduledLearningRate(base: learningRate)
        self.alpha = alpha
        self.epsilon = epsilon
        self.centered = centered
        self.state = OptimizerState(slots: centered ? ["square_avg", "grad_avg"] : ["square_avg"])
    }

    public var name: String { centered ? "rmsprop_centered" : "rmsprop" }

    public var hyperparameters: [(name: String, value: Float)] {
        [("alpha", alpha), ("eps", epsilon), ("centered", centered ? 1 : 0)]
    }

    public func step(_ parameters: ParameterArena) {
        state.bind(parameters)
        state.step += 1
        let g = parameters.gradients.data, w = parameters.values.data, n = parameters.count
        let v = state.pointer(0)
        let a = scratchA.matrix(rows: 1, cols: n).data, d = scratchB.matrix(rows: 1, cols: n).data
        backend.unary(.square, g, a, count: n)
        backend.scale(alpha: alpha, v, count: n)
        backend.axpy(alpha: 1 - alpha, a, v, count: n)
        if centered {
            let gAvg = state.pointer(1)
            backend.scale(alpha: alpha, gAvg, count: n)
            backend.axpy(alpha: 1 - alpha, g, gAvg, count: n)
            backend.unary(.square, gAvg, a, count: n)
            backend.binary(.sub, v, a, .none, d, rows: 1, cols: n)
            backend.unary(.sqrt, d, d, count: n)
        } else {
            backend.unary(.sqrt, v, d, count: n)
        }
        var eps = epsilon
        backend.binary(.add, d, &eps, .scalar, d, rows: 1, cols: n)
        backend.binary(.div, g, d, .none, d, rows: 1, cols: n)
        backend.axpy(alpha: -learningRate, d, w, count: n)
    }
}
