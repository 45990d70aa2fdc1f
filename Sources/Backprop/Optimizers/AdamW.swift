/// AdamW (PyTorch's `AdamW`): Adam with decoupled weight decay, applied to the weights before the
/// Adam update: w ← w(1 − ηλ), then w ← w − η m̂/(√v̂ + ε).
/// Defaults: η = 0.001, β₁ = 0.9, β₂ = 0.999, ε = 1e-8, λ = 0.01 (Keras: λ = 0.004, ε = 1e-7).
public final class AdamW<B: Backend>: Optimizer {
    private let adam: Adam<B>
    public var backend: B { adam.backend }
    public var learningRate: Float {
        get { adam.learningRate }
        set { adam.learningRate = newValue }
    }
    public var name: String { "adamw" }

    public init(_ backend: B, learningRate: Float = 0.001, beta1: Float = 0.9, beta2: Float = 0.999,
                epsilon: Float = 1e-8, weightDecay: Float = 0.01) {
        adam = Adam(backend, AdamHyperparameters(learningRate: learningRate, beta1: beta1, beta2: beta2, epsilon: epsilon,
                                                 decoupledWeightDecay: weightDecay, step: 0))
    }

    public func step(_ parameters: [Parameter]) { adam.step(parameters) }
}
