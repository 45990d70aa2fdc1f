/// Stochastic gradient descent, with optional (Nesterov) momentum and L2 weight decay
/// (PyTorch's `SGD`, dampening 0). With g = ∇w + λw:
/// - plain: w ← w − η g
/// - momentum μ: b ← μ b + g (b = g on the first step), w ← w − η b
/// - Nesterov: b as above, w ← w − η (g + μ b)
/// Full-batch gradient descent, mini-batch SGD and single-example SGD differ only in the batch
/// size `fit` uses. Defaults: η = 0.01 (PyTorch's is 0.001; Keras's 0.01), μ = 0, λ = 0.
/// State: `momentum_buffer` (b), with momentum only.
public final class SGD<B: Backend>: Optimizer {
    public let backend: B
    public var rate: ScheduledLearningRate
    public let momentum: Float
    public let nesterov: Bool
    public let weightDecay: Float
    public let state: OptimizerState

    public init(_ backend: B, learningRate: Float = 0.01, momentum: Float = 0, nesterov: Bool = false, weightDecay: Float = 0) {
        precondition(!nesterov || momentum > 0, "Nesterov momentum needs momentum > 0")
        self.backend = backend
        self.rate = ScheduledLearningRate(base: learningRate)
        self.momentum = momentum
        self.nesterov = nesterov
        self.weightDecay = weightDecay
        self.state = OptimizerState(slots: momentum == 0 ? [] : ["momentum_buffer"])
    }

    public var name: String { momentum == 0 ? "sgd" : (nesterov ? "nesterov" : "momentum") }

    public var hyperparameters: [(name: String, value: Float)] {
        [("momentum", momentum), ("nesterov", nesterov ? 1 : 0), ("weight_decay", weightDecay)]
    }

    public func step(_ parameters: ParameterArena) {
        state.bind(parameters)
        state.step += 1
        let g = parameters.gradients.data, w = parameters.values.data, n = parameters.count
        let lr = learningRate
        if weightDecay != 0 { backend.axpy(alpha: weightDecay, w, g, count: n) }
        if momentum == 0 {
            backend.axpy(alpha: -lr, g, w, count: n)
            return
        }
        let b = state.pointer(0)
        if state.step == 1 {
            backend.copy(g, b, count: n)
        } else {
            backend.scale(alpha: momentum, b, count: n)
            backend.axpy(alpha: 1, g, b, count: n)
        }
        if nesterov {
            backend.axpy(alpha: -lr, g, w, count: n)
            backend.axpy(alpha: -lr * momentum, b, w, count: n)
        } else {
            backend.axpy(alpha: -lr, b, w, count: n)
        }
    }
}
