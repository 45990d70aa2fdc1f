

/// Adam (PyTorch's `Adam`): with g = ∇w + λw (L2 weight decay, default off),
/// m ← β₁ m + (1 − β₁) g, v ← β₂ v + (1 − β₂) g², m̂ = m/(1 − β₁ᵗ), v̂ = v/(1 − β₂ᵗ),
/// w ← w − η m̂/(√v̂ + ε).
/// Defaults: η = 0.001, β₁ = 0.9, β₂ = 0.999, ε = 1e-8. Keras instead uses ε̂ = 1e-7, the paper's
/// "epsilon hat": ηₜ = η·√(1 − β₂ᵗ)/(1 − β₁ᵗ), w ← w − ηₜ·m/(√v + ε̂), which puts ε outside the
/// bias correction; we follow PyTorch.
public final class Adam<B: Backend>: Optimizer {
    public let backend: B
    public var learningRate: Float
    public let beta1: Float, beta2: Float, epsilon: Float
    /// L2 weight decay added to the gradient (coupled, as PyTorch's `Adam(weight_decay:)`).
    public let weightDecay: Float
    /// Decoupled weight decay applied to the weights before the update (AdamW).
    let decoupledWeightDecay: Float
    private let slots = OptimizerSlots()
    private var t = 0

    public convenience init(_ backend: B, learningRate: Float = 0.001, beta1: Float = 0.9, beta2: Float = 0.999,
                epsilon: Float = 1e-8, weightDecay: Float = 0) {
        self.init(backend, learningRate: learningRate, beta1: beta1, beta2: beta2, epsilon: epsilon,
                  weightDecay: weightDecay, decoupledWeightDecay: 0)
    }

    init(_ backend: B, learningRate: Float, beta1: Float, beta2: Float, epsilon: Float, weightDecay: Float,
         decoupledWeightDecay: Float) {
        self.backend = backend
        self.learningRate = learningRate
        self.beta1 = beta1
        self.beta2 = beta2
        self.epsilon = epsilon
        self.weightDecay = weightDecay
        self.decoupledWeightDecay = decoupledWeightDecay
    }

    public var name: String { decoupledWeightDecay != 0 ? "adamw" : "adam" }

    public func step(_ parameters: [Parameter]) {
        t += 1
        let h = AdamHyperparameters(learningRate: learningRate, beta1: beta1, beta2: beta2, epsilon: epsilon,
                                    weightDecay: weightDecay, decoupledWeightDecay: decoupledWeightDecay, step: t)
        for p in parameters {
            let st = slots.slots(for: p, count: 2)
            // One fused pass per tensor: reads g, updates m, v and w.
            backend.adamStep(h, w: p.value.data, g: p.grad.data, m: st[0].data, v: st[1].data, count: p.count)
        }
    }
}
