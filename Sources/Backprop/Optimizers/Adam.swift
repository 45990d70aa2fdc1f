/// Adam (PyTorch's `Adam`): with g = ∇w + λw (L2 weight decay, default off),
/// m ← β₁ m + (1 − β₁) g, v ← β₂ v + (1 − β₂) g², m̂ = m/(1 − β₁ᵗ), v̂ = v/(1 − β₂ᵗ),
/// w ← w − η m̂/(√v̂ + ε).
/// Defaults: η = 0.001, β₁ = 0.9, β₂ = 0.999, ε = 1e-8. Keras instead uses ε̂ = 1e-7, the paper's
/// "epsilon hat": ηₜ = η·√(1 − β₂ᵗ)/(1 − β₁ᵗ), w ← w − ηₜ·m/(√v + ε̂), which puts ε outside the
/// bias correction; we follow PyTorch.
///
/// State: `exp_avg` (m) and `exp_avg_sq` (v). One fused `adamStep` per update, over the whole arena.
public final class Adam<B: Backend>: Optimizer {
    public let backend: B
    public var rate: ScheduledLearningRate
    public let beta1: Float
    public let beta2: Float
    public let epsilon: Float
    /// λ, L2 weight decay added to the gradient (coupled, as PyTorch's `Adam(weight_decay:)`).
    public let weightDecay: Float
    /// λ_d, decay applied to the weights themselves (AdamW's; 0 for Adam).
    public let decoupledWeightDecay: Float
    public let state = OptimizerState(slots: ["exp_avg", "exp_avg_sq"])

    public init(_ backend: B, learningRate: Float = 0.001, beta1: Float = 0.9, beta2: Float = 0.999,
                epsilon: Float = 1e-8, weightDecay: Float = 0, decoupledWeightDecay: Float = 0) {
        self.backend = backend
        self.rate = ScheduledLearningRate(base: learningRate)
        self.beta1 = beta1
        self.beta2 = beta2
        self.epsilon = epsilon
        self.weightDecay = weightDecay
        self.decoupledWeightDecay = decoupledWeightDecay
    }

    public var name: String { decoupledWeightDecay != 0 ? "adamw" : "adam" }

    public var hyperparameters: [(name: String, value: Float)] {
        [("beta1", beta1), ("beta2", beta2), ("eps", epsilon), ("weight_decay", weightDecay),
         ("decoupled_weight_decay", decoupledWeightDecay)]
    }

    public func step(_ parameters: ParameterArena) {
        state.bind(parameters)
        state.step += 1
        let h = AdamHyperparameters(learningRate: learningRate, beta1: beta1, beta2: beta2, epsilon: epsilon,
                                    weightDecay: weightDecay, decoupledWeightDecay: decoupledWeightDecay, step: state.step)
        backend.adamStep(h, w: parameters.values.data, g: parameters.gradients.data,
                         m: state.pointer(0), v: state.pointer(1), count: parameters.count)
    }
}
