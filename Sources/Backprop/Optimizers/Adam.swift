/// Adam (PyTorch's `Adam`): with g = ∇w + λw (L2 weight decay, default off),
/// m ← β₁ m + (1 − β₁) g, v ← β₂ v + (1 − β₂) g², m̂ = m/(1 − β₁ᵗ), v̂ = v/(1 − β₂ᵗ),
/// w ← w − η m̂/(√v̂ + ε).
/// Defaults: η = 0.001, β₁ = 0.9, β₂ = 0.999, ε = 1e-8. Keras instead uses ε̂ = 1e-7, the paper's
/// "epsilon hat": ηₜ = η·√(1 − β₂ᵗ)/(1 − β₁ᵗ), w ← w − ηₜ·m/(√v + ε̂), which puts ε outside the
/// bias correction; we follow PyTorch.
public final class Adam<B: Backend>: Optimizer {
    public let backend: B
    /// The constants of the fused update; `step` counts the updates taken (t).
    private var hyperparameters: AdamHyperparameters
    private let slots = OptimizerSlots()

    public var learningRate: Float {
        get { hyperparameters.learningRate }
        set { hyperparameters.learningRate = newValue }
    }
    public var beta1: Float { hyperparameters.beta1 }
    public var beta2: Float { hyperparameters.beta2 }
    public var epsilon: Float { hyperparameters.epsilon }
    /// L2 weight decay added to the gradient (coupled, as PyTorch's `Adam(weight_decay:)`).
    public var weightDecay: Float { hyperparameters.weightDecay }

    public convenience init(_ backend: B, learningRate: Float = 0.001, beta1: Float = 0.9, beta2: Float = 0.999,
                            epsilon: Float = 1e-8, weightDecay: Float = 0) {
        self.init(backend, AdamHyperparameters(learningRate: learningRate, beta1: beta1, beta2: beta2, epsilon: epsilon,
                                               weightDecay: weightDecay, step: 0))
    }

    /// An optimiser with these constants (AdamW passes a decoupled weight decay).
    init(_ backend: B, _ hyperparameters: AdamHyperparameters) {
        self.backend = backend
        self.hyperparameters = hyperparameters
    }

    public var name: String { hyperparameters.decoupledWeightDecay != 0 ? "adamw" : "adam" }

    public func step(_ parameters: [Parameter]) {
        hyperparameters.step += 1
        for p in parameters {
            let st = slots.slots(for: p, count: 2)
            // One fused pass per tensor: reads g, updates m, v and w.
            backend.adamStep(hyperparameters, w: p.value.data, g: p.grad.data, m: st[0].data, v: st[1].data, count: p.count)
        }
    }
}
