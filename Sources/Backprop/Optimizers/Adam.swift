import Foundation

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
    private let scratch = Workspace()
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
        let c1 = 1 - powf(beta1, Float(t)), c2 = 1 - powf(beta2, Float(t))
        for p in parameters {
            let g = p.grad.data, w = p.value.data, n = p.count
            let st = slots.slots(for: p, count: 2)
            let m = st[0].data, v = st[1].data
            let a = scratch.matrix(rows: 1, cols: n).data
            if decoupledWeightDecay != 0 { backend.scale(alpha: 1 - learningRate * decoupledWeightDecay, w, count: n) }
            if weightDecay != 0 { backend.axpy(alpha: weightDecay, w, g, count: n) }
            backend.scale(alpha: beta1, m, count: n)
            backend.axpy(alpha: 1 - beta1, g, m, count: n)                            // m
            backend.unary(.square, g, a, count: n)
            backend.scale(alpha: beta2, v, count: n)
            backend.axpy(alpha: 1 - beta2, a, v, count: n)                            // v
            backend.unary(.sqrt, v, a, count: n)
            backend.scale(alpha: 1 / c2.squareRoot(), a, count: n)                    // √v̂
            var eps = epsilon
            backend.binary(.add, a, &eps, .scalar, a, rows: 1, cols: n)
            backend.binary(.div, m, a, .none, a, rows: 1, cols: n)
            backend.axpy(alpha: -learningRate / c1, a, w, count: n)                   // w −= η m̂/(√v̂ + ε)
        }
    }
}
