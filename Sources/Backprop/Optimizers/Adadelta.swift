/// Adadelta (PyTorch's `Adadelta`):
/// v ← ρ v + (1 − ρ) g², Δ = √(u + ε)/√(v + ε) · g, u ← ρ u + (1 − ρ) Δ², w ← w − η Δ.
/// Defaults: η = 1.0, ρ = 0.9, ε = 1e-6 (Keras: η = 0.001, ρ = 0.95, ε = 1e-7).
public final class Adadelta<B: Backend>: Optimizer {
    public let backend: B
    public var learningRate: Float
    public let rho: Float
    public let epsilon: Float
    private let slots = OptimizerSlots()
    private let scratchA = Workspace(), scratchB = Workspace()

    public init(_ backend: B, learningRate: Float = 1.0, rho: Float = 0.9, epsilon: Float = 1e-6) {
        self.backend = backend
        self.learningRate = learningRate
        self.rho = rho
        self.epsilon = epsilon
    }

    public var name: String { "adadelta" }

    public func step(_ parameters: [Parameter]) {
        for p in parameters {
            let g = p.grad.data, w = p.value.data, n = p.count
            let st = slots.slots(for: p, count: 2)
            let v = st[0].data, u = st[1].data
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
}
