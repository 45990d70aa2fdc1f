/// A stack of layers applied in order: the multi-layer perceptron of the course.
///
/// ```swift
/// var g = RandomGenerator(seed: 1)
/// let model = Sequential.mlp(try Backends.make("simd"), sizes: [784, 256, 128, 10], activation: .relu, generator: &g)
/// ```
/// Parameters are named `layers.I.weight` / `layers.I.bias` after their layer's index.
public final class Sequential<B: Backend> {
    public let backend: B
    public private(set) var layers: [any Layer<B>]

    public init(_ backend: B, layers: [any Layer<B>]) {
        for (a, b) in zip(layers, layers.dropFirst()) {
            precondition(a.outputSize == b.inputSize, "layer sizes do not chain: \(a.outputSize) → \(b.inputSize)")
        }
        self.backend = backend
        self.layers = layers
        for (i, layer) in layers.enumerated() {
            for p in layer.parameters { p.name = "layers.\(i).\(p.name.split(separator: ".").last!)" }
        }
    }

    /// Dense layers of `sizes` (input first) with `activation` between them, `output` on the last
    /// layer, and dropout of rate `dropout` after each hidden layer when > 0.
    public static func mlp(_ backend: B, sizes: [Int], activation: Activation = .relu, output: Activation = .identity,
                           dropout: Float = 0, initializer: Initializer? = nil,
                           generator: inout RandomGenerator) -> Sequential<B> {
        precondition(sizes.count >= 2, "an MLP needs an input and an output size")
        var layers: [any Layer<B>] = []
        for i in 0..<(sizes.count - 1) {
            let last = i == sizes.count - 2
            var g = generator.derived(UInt64(i))
            layers.append(Dense(backend, inputs: sizes[i], outputs: sizes[i + 1], activation: last ? output : activation,
                                initializer: initializer, generator: &g))
            if !last && dropout > 0 {
                layers.append(Dropout(backend, rate: dropout, size: sizes[i + 1], generator: generator.derived(1000 + UInt64(i))))
            }
        }
        generator.counter &+= 1
        return Sequential(backend, layers: layers)
    }

    public var inputSize: Int { layers.first?.inputSize ?? 0 }
    public var outputSize: Int { layers.last?.outputSize ?? 0 }

    /// Every trainable parameter, in layer order.
    public var parameters: [Parameter] { layers.flatMap(\.parameters) }

    /// The output for a batch (a view of the last layer's buffer, valid until the next call).
    public func forward(_ x: Matrix, training: Bool) -> Matrix {
        var h = x
        for layer in layers { h = layer.forward(h, training: training) }
        return h
    }

    /// Back-propagates ∂L/∂output through every layer, writing every parameter's gradient.
    public func backward(_ dy: Matrix) {
        var g = dy
        var i = layers.count - 1
        while i >= 0 {   // not `enumerated().reversed()`, which builds an array every step
            g = layers[i].backward(g, needsInputGradient: i > 0)
            i -= 1
        }
    }

    /// Outputs for every row of `x` ([n, inputSize] → [n, outputSize]), in batches.
    public func predict(_ x: Tensor, batchSize: Int = 1024) -> Tensor {
        let n = x.rows
        let out = Tensor(shape: [n, outputSize])
        var start = 0
        while start < n {
            let end = min(n, start + batchSize)
            let y = forward(Matrix(x).rows(start..<end), training: false)
            backend.copy(y.data, out.data + start * outputSize, count: y.count)
            start = end
        }
        return out
    }

    /// The architecture, for model files.
    public var specs: [LayerSpec] { layers.map(\.spec) }
}
