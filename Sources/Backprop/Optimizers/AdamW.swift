/// AdamW (PyTorch's `AdamW`): Adam with decoupled weight decay, applied to the weights before the
/// Adam update: w ← w(1 − ηλ), then w ← w − η m̂/(√v̂ + ε).
/// Defaults: η = 0.001, β₁ = 0.9, β₂ = 0.999, ε = 1e-8, λ = 0.01 (Keras: λ = 0.004, ε = 1e-7).
/// State as Adam's: `exp_avg`, `exp_avg_sq`.
public final class AdamW<B: Backend>: Optimizer {
    private let adam: Adam<B>
    public var backend: B { adam.backend }
    public var rate: ScheduledLearningRate {
        get { adam.rate }
        set { adam.rate = newValue }
    }
    public var beta1: Float { adam.beta1 }
    public var beta2: Float { adam.beta2 }
    public var epsilon: Float { adam.epsilon }
    /// λ, the decoupled weight decay.
    public var weightDecay: Float { adam.decoupledWeightDecay }
    public var state: OptimizerState { adam.state }
    public var name: String { "adamw" }

    public init(_ backend: B, learningRate: Float = 0.001, beta1: Float = 0.9, beta2: Float = 0.999,
                epsilon: Float = 1e-8, weightDecay: Float = 0.01) {
        adam = Adam(backend, learningRate: learningRate, beta1: beta1, beta2: beta2, epsilon: epsilon,
                    decoupledWeightDecay: weightDecay)
    }

    public var hyperparameters: [(name: String, value: Float)] {
        [("beta1", beta1), ("beta2", beta2), ("eps", epsilon), ("weight_decay", weightDecay)]
    }

    public func step(_ parameters: ParameterArena) { adam.step(parameters) }
}
