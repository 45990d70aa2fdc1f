/// Stochastic gradient descent, with optional (Nesterov) momentum and L2 weight decay
/// (PyTorch's `SGD`, dampening 0). With g = ∇w + λw:
/// - plain: w ← w − η g
/// - momentum μ: b ← μ b + g (b = g on the first step), w ← w − η b
/// - Nesterov: b as above, w ← w − η (g + μ b)
/// Full-batch gradient descent, mini-batch SGD and single-example SGD differ only in the batch
/// size `fit` uses. Defaults: η = 0.01 (PyTorch's is 0.001; Keras's 0.01), μ = 0, λ = 0.
public final class SGD<B: Backend>: Optimizer {
    public let backend: B
    public var learningRate: Float
    public let momentum: Float
    public let nesterov: Bool
    public let weightDecay: Float
    private let slots = OptimizerSlots()
    private var started: Set<ObjectIdentifier> = []

    public init(_ backend: B, learningRate: Float = 0.01, momentum: Float = 0, nesterov: Bool = false, weightDecay: Float = 0) {
        precondition(!nesterov || momentum > 0, "Nesterov momentum needs momentum > 0")
        self.backend = backend
        self.learningRate = learningRate
        self.momentum = momentum
        self.nesterov = nesterov
        self.weightDecay = weightDecay
    }

    public var name: String { momentum == 0 ? "sgd" : (nesterov ? "nesterov" : "momentum") }

    public func step(_ parameters: [Parameter]) {
        for p in parameters {
            let g = p.grad.data, w = p.value.data, n = p.count
            if weightDecay != 0 { backend.axpy(alpha: weightDecay, w, g, count: n) }
            if momentum == 0 {
                backend.axpy(alpha: -learningRate, g, w, count: n)
                continue
            }
            let b = slots.slots(for: p, count: 1)[0].data
            if started.insert(ObjectIdentifier(p)).inserted {
                backend.copy(g, b, count: n)
            } else {
                backend.scale(alpha: momentum, b, count: n)
                backend.axpy(alpha: 1, g, b, count: n)
            }
            if nesterov {
                backend.axpy(alpha: -learningRate, g, w, count: n)
                backend.axpy(alpha: -learningRate * momentum, b, w, count: n)
            } else {
                backend.axpy(alpha: -learningRate, b, w, count: n)
            }
        }
    }
}
