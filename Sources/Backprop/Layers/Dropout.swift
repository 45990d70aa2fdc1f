/// Inverted dropout: in training, each input is kept with probability 1 − p and scaled by
/// 1/(1 − p), else zeroed: y = x ⊙ m, m_i = [u_i ≥ p]/(1 − p) with u_i ~ U(0, 1) from a seeded
/// stream; backward dx = dy ⊙ m. At inference it is the identity. Default p = 0.5.
public final class Dropout<B: Backend>: Layer {
    public let backend: B
    public let rate: Float
    public let inputSize: Int
    public var outputSize: Int { inputSize }
    public var parameters: [Parameter] { [] }

    private var generator: RandomGenerator
    private let mask = Workspace()
    private let output = Workspace()
    private let gradInput = Workspace()
    private var active = false

    public init(_ backend: B, rate: Float = 0.5, size: Int, generator: RandomGenerator) {
        precondition(rate >= 0 && rate < 1, "dropout rate must be in [0, 1), got \(rate)")
        self.backend = backend
        self.rate = rate
        self.inputSize = size
        self.generator = generator
    }

    public var spec: LayerSpec { LayerSpec(kind: "dropout", inputs: inputSize, outputs: inputSize, rate: rate) }

    public func forward(_ x: Matrix, training: Bool) -> Matrix {
        active = training && rate > 0
        guard active else { return x }
        let m = mask.matrix(rows: x.rows, cols: x.cols)
        backend.fillRandom(.uniform(low: 0, high: 1), m.data, count: m.count, generator: &generator)
        var p = rate
        backend.binary(.sub, m.data, &p, .scalar, m.data, rows: 1, cols: m.count)            // u − p
        backend.unary(.activation(.step), m.data, m.data, count: m.count)                     // [u ≥ p]
        backend.scale(alpha: 1 / (1 - rate), m.data, count: m.count)
        let y = output.matrix(rows: x.rows, cols: x.cols)
        backend.binary(.mul, x.data, m.data, .none, y.data, rows: x.rows, cols: x.cols)
        return y
    }

    public func backward(_ dy: Matrix, needsInputGradient: Bool) -> Matrix {
        guard active else { return dy }
        let m = mask.matrix(rows: dy.rows, cols: dy.cols)
        let dx = gradInput.matrix(rows: dy.rows, cols: dy.cols)
        backend.binary(.mul, dy.data, m.data, .none, dx.data, rows: dy.rows, cols: dy.cols)
        return dx
    }
}
