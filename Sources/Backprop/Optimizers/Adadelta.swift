/// Adadelta (PyTorch's `Adadelta`):
/// v ← ρ v + (1 − ρ) g², Δ = √(u + ε)/√(v + ε) · g, u ← ρ u + (1 − ρ) Δ², w ← w − η Δ.
/// Defaults: η = 1.0, ρ = 0.9, ε = 1e-6 (Keras: η = 0.001, ρ = 0.95, ε = 1e-7).
/// State: `square_avg` (v) and `acc_delta` (u).
public final class Adadelta<B: Backend>: Optimizer {
    public let backend: B
    public var rate: ScheduledLearningRate
    public let rho: Float
    public let epsilon: Float
    public let state = OptimizerState(slots: ["square_avg", "acc_delta"])
    private let scratchA = Workspace(), scratchB = Workspace()

    public init(_ backend: B, learningRate: Float = 1.0, rho: Float = 0.9, epsilon: Float = 1e-6) {
        self.backend = backend
        self.rate = ScheduledLearningRate(base: learningRate)
        self.rho = rho
        self.epsilon = epsilon
    }

    public var name: String { "adadelta" }

    public var hyperparameters: [(name: String, value: Float)] { [("rho", rho), ("eps", epsilon)] }

    public func step(_ parameters: ParameterArena) {
        state.bind(parameters)
        state.step += 1
        let g = parameters.gradients.data, w = parameters.values.data, n = parameters.count
        let v = state.pointer(0), u = state.pointer(1)
        let a = scratchA.matrix(rows: 1, cols: n).data, d = scratchB.matrix(rows: 1, cols: n).data
        var eps = epsilon
        backend.unary(.square, g, a, count: n)
        backend.scale(alpha: rho, v, count: n)
        backend.axpy(alpha: 1 - rho, a, v, count: n)                              // v
        backend.binary(.add, u, &eps, .scalar, d, rows: 1, cols: n)
        backend.unary(.sqrt, d, d, count: n)                                      // √(u + ε)
        backend.binary(.add, v, &eps, .scalar, a, rows: 1, cols: n)
        backend.unary(.sqrt, a, a, count: n)                                      // √(v + ε)
        backend.binary(.div, d, a, .none, d, rows: 1, cols: n)
        backend.binary(.mul, d, g, .none, d, rows: 1, cols: n)                    // Δ
        backend.unary(.square, d, a, count: n)
        backend.scale(alpha: rho, u, count: n)
        backend.axpy(alpha: 1 - rho, a, u, count: n)                              // u
        backend.axpy(alpha: -learningRate, d, w, count: n)
    }
}
