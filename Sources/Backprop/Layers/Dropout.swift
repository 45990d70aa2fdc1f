/// Inverted dropout: in training, each input is kept with probability 1 − p and scaled by
/// 1/(1 − p), else zeroed: y = x ⊙ m, m_i = [u_i ≥ p]/(1 − p) with u_i ~ U(0, 1) from a seeded
/// stream; backward dx = dy ⊙ m. At inference it is the identity. Default p = 0.5.
public final class Dropout<B: Backend>: Layer {
    public let backend: B
    public let rate: Float
    public let size: Int
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
        self.size = size
        self.generator = generator
    }

    public var inputShape: Shape { [size] }
    public var outputShape: Shape { [size] }
    public var configuration: any LayerConfiguration { DropoutConfiguration(size: size, rate: rate, seed: generator.seed) }

    public var torchModules: [String] { ["Dropout(p=\(rate))"] }

    /// The mask stream, for checkpoints.
    public var randomStreams: [RandomGenerator] {
        get { [generator] }
        set {
            precondition(newValue.count == 1, "Dropout has one random stream, got \(newValue.count)")
            generator = newValue[0]
        }
    }

    public func forward(_ x: TensorView, training: Bool) -> TensorView {
        active = training && rate > 0
        guard active else { return x }
        precondition(x.isContiguous, "Dropout.forward: expects a contiguous view, got \(x.shape) with row stride \(x.rowStride)")
        let m = mask.view(x.shape)
        backend.fillRandom(.uniform(low: 0, high: 1), m.data, count: m.count, generator: &generator)
        var p = rate
        backend.binary(.sub, m.data, &p, .scalar, m.data, rows: 1, cols: m.count)            // u − p
        backend.unary(.activation(.step), m.data, m.data, count: m.count)                     // [u ≥ p]
        backend.scale(alpha: 1 / (1 - rate), m.data, count: m.count)
        let y = output.view(x.shape)
        backend.binary(.mul, x.data, m.data, .none, y.data, rows: 1, cols: x.count)
        return y
    }

    public func backward(_ dy: TensorView, needsInputGradient: Bool) -> TensorView {
        guard active else { return dy }
        let m = mask.view(dy.shape)
        let dx = gradInput.view(dy.shape)
        backend.binary(.mul, dy.data, m.data, .none, dx.data, rows: 1, cols: dy.count)
        return dx
    }
}

/// A `Dropout` layer's settings: `{"size": 256, "rate": 0.5, "seed": 42}` (the seed of its mask stream).
public struct DropoutConfiguration: LayerConfiguration, Equatable {
    public var parameterCount: Int? { 0 }
    public var kind: String { "dropout" }
    public var size: Int
    public var rate: Float
    public var seed: UInt64

    public init(size: Int, rate: Float, seed: UInt64) {
        self.size = size
        self.rate = rate
        self.seed = seed
    }

    public func makeLayer<B: Backend>(on backend: B, generator: inout RandomGenerator) throws -> any Layer<B> {
        guard size > 0 else { throw ConfigurationError("dropout layer of size \(size); sizes must be positive") }
        guard rate >= 0 && rate < 1 else { throw ConfigurationError("dropout rate \(rate) is outside [0, 1)") }
        return Dropout(backend, rate: rate, size: size, generator: RandomGenerator(seed: seed))
    }
}
