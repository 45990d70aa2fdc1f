import Foundation

/// AdaMax (PyTorch's `Adamax`): m ← β₁ m + (1 − β₁) g, u ← max(β₂ u, |g| + ε),
/// w ← w − (η / (1 − β₁ᵗ)) · m/u. Defaults: η = 0.002, β₁ = 0.9, β₂ = 0.999, ε = 1e-8
/// (Keras: η = 0.001, ε added to u in the denominator instead).
/// State: `exp_avg` (m) and `exp_inf` (u).
public final class AdaMax<B: Backend>: Optimizer {
    public let backend: B
    public var rate: ScheduledLearningRate
    public let beta1: Float, beta2: Float, epsilon: Float
    public let state = OptimizerState(slots: ["exp_avg", "exp_inf"])
    private let scratch = Workspace()

    public init(_ backend: B, learningRate: Float = 0.002, beta1: Float = 0.9, beta2: Float = 0.999, epsilon: Float = 1e-8) {
        self.backend = backend
        self.rate = ScheduledLearningRate(base: learningRate)
        self.beta1 = beta1
        self.beta2 = beta2
        self.epsilon = epsilon
    }

    public var name: String { "adamax" }

    public var hyperparameters: [(name: String, value: Float)] { [("beta1", beta1), ("beta2", beta2), ("eps", epsilon)] }

    public func step(_ parameters: ParameterArena) {
        state.bind(parameters)
        state.step += 1
        let stepSize = learningRate / (1 - powf(beta1, Float(state.step)))
        let g = parameters.gradients.data, w = parameters.values.data, n = parameters.count
        let m = state.pointer(0), u = state.pointer(1)
        let a = scratch.matrix(rows: 1, cols: n).data
        var eps = epsilon
        backend.scale(alpha: beta1, m, count: n)
        backend.axpy(alpha: 1 - beta1, g, m, count: n)
        backend.unary(.abs, g, a, count: n)
        backend.binary(.add, a, &eps, .scalar, a, rows: 1, cols: n)
        backend.scale(alpha: beta2, u, count: n)
        backend.binary(.max, u, a, .none, u, rows: 1, cols: n)
        backend.binary(.div, m, u, .none, a, rows: 1, cols: n)
        backend.axpy(alpha: -stepSize, a, w, count: n)
    }
}
