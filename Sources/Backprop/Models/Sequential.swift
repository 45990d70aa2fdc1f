import Foundation

/// A stack of layers applied in order: the multi-layer perceptron of the course.
///
/// ```swift
/// let backend = try Backends.make("simd")
/// var g = RandomGenerator(seed: 1)
/// let model = Sequential.mlp(backend, sizes: [784, 256, 128, 10], activation: .relu, generator: &g)
/// ```
/// The layers' parameters are gathered into one arena, named `layers.I.weight` /
/// `layers.I.bias` after their layer's index. In model files (`stateDict()`) they carry the
/// names `torch.nn.Sequential` gives them: a dense layer with an activation is two modules there
/// (`Linear` and the activation), so a 784-256-128-10 ReLU MLP is `0.weight`, `2.weight`,
/// `4.weight` and their biases, weights [out, in].
public final class Sequential<B: Backend>: Model {
    public let backend: B
    public let layers: [any Layer<B>]
    public let parameters: ParameterArena

    /// The layers, which must chain (each output shape is the next input shape).
    public init(_ backend: B, layers: [any Layer<B>]) {
        precondition(!layers.isEmpty, "a Sequential model needs at least one layer")
        for (i, (a, b)) in zip(layers, layers.dropFirst()).enumerated() {
            precondition(a.outputShape == b.inputShape,
                         "Sequential: layer \(i) outputs \(a.outputShape) but layer \(i + 1) takes \(b.inputShape)")
        }
        self.backend = backend
        self.layers = layers
        var named: [(name: String, parameter: Parameter)] = []
        for (i, layer) in layers.enumerated() {
            for p in layer.parameters { named.append(("layers.\(i).\(p.name)", p)) }
        }
        parameters = ParameterArena(gathering: named)
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

    public var inputShape: Shape { layers[0].inputShape }
    public var outputShape: Shape { layers[layers.count - 1].outputShape }

    public func forward(_ x: TensorView, training: Bool) -> TensorView {
        var h = x
        for layer in layers { h = layer.forward(h, training: training) }
        return h
    }

    public func backward(_ dy: TensorView) {
        var g = dy
        var i = layers.count - 1
        while i >= 0 {   // not `enumerated().reversed()`, which builds an array every step
            g = layers[i].backward(g, needsInputGradient: i > 0)
            i -= 1
        }
    }

    public var configuration: any ModelConfiguration {
        SequentialConfiguration(layers: layers.map(\.configuration))
    }

    /// The index of layer `i` among the modules of the equivalent `torch.nn.Sequential`.
    public func torchModuleIndex(ofLayer i: Int) -> Int {
        layers[..<i].reduce(0) { $0 + $1.torchModuleCount }
    }

    public func stateDict() -> [(name: String, tensor: Tensor)] {
        layers.indices.flatMap { layers[$0].stateDict(moduleIndex: torchModuleIndex(ofLayer: $0)) }
    }

    public func loadStateDict(_ tensors: [String: Tensor], source: String) throws {
        for (i, layer) in layers.enumerated() {
            try layer.loadStateDict(tensors, moduleIndex: torchModuleIndex(ofLayer: i), source: source)
        }
    }

    public var randomStreams: [RandomGenerator] {
        get { layers.flatMap(\.randomStreams) }
        set {
            var rest = newValue[...]
            for layer in layers {
                let n = layer.randomStreams.count
                precondition(rest.count >= n, "Sequential: \(newValue.count) random streams for \(layers.flatMap(\.randomStreams).count)")
                layer.randomStreams = Array(rest.prefix(n))
                rest = rest.dropFirst(n)
            }
            precondition(rest.isEmpty, "Sequential: \(newValue.count) random streams for \(layers.flatMap(\.randomStreams).count)")
        }
    }
}

/// A `Sequential` model's architecture: its layers' configurations, each stored with its kind
/// (`{"layers": [{"kind": "dense", "config": {...}}, ...]}`).
public struct SequentialConfiguration: ModelConfiguration {
    public var kind: String { "sequential" }
    public var layers: [any LayerConfiguration]

    public init(layers: [any LayerConfiguration]) { self.layers = layers }

    public func makeModel<B: Backend>(on backend: B, generator: inout RandomGenerator) throws -> any Model<B> {
        try makeSequential(on: backend, generator: &generator)
    }

    /// The layers' parameter counts summed (nil when a layer's is unknown).
    public var parameterCount: Int? {
        var total = 0
        for l in layers {
            guard let n = l.parameterCount else { return nil }
            let (t, o) = total.addingReportingOverflow(n)
            total = o ? .max : t
        }
        return total
    }

    /// The model, typed; throws for layers that do not chain or settings that are invalid.
    public func makeSequential<B: Backend>(on backend: B, generator: inout RandomGenerator) throws -> Sequential<B> {
        guard !layers.isEmpty else { throw ConfigurationError("the model has no layers") }
        var built: [any Layer<B>] = []
        for (i, c) in layers.enumerated() {
            var g = generator.derived(UInt64(i))
            do {
                built.append(try c.makeLayer(on: backend, generator: &g))
            } catch {
                throw ConfigurationError("layer \(i) (\(c.kind)): \(error)")
            }
        }
        generator.counter &+= 1
        for (i, (a, b)) in zip(built, built.dropFirst()).enumerated() where a.outputShape != b.inputShape {
            throw ConfigurationError("layer \(i) outputs \(a.outputShape) but layer \(i + 1) takes \(b.inputShape)")
        }
        return Sequential(backend, layers: built)
    }

    enum CodingKeys: String, CodingKey { case layers }
    enum RecordKeys: String, CodingKey { case kind, config }

    public init(from decoder: Decoder) throws {
        let c = try decoder.container(keyedBy: CodingKeys.self)
        var list = try c.nestedUnkeyedContainer(forKey: .layers)
        var out: [any LayerConfiguration] = []
        while !list.isAtEnd {
            let r = try list.nestedContainer(keyedBy: RecordKeys.self)
            let kind = try r.decode(String.self, forKey: .kind)
            guard let type = LayerKinds.type(kind) else {
                throw ConfigurationError("layer \(out.count): unknown kind '\(kind)' (known: \(LayerKinds.names.joined(separator: ", ")); a layer defined outside Backprop must be registered with LayerKinds.register)")
            }
            out.append(try Self.decode(type, from: r))
        }
        layers = out
    }

    private static func decode<C: LayerConfiguration>(_ type: C.Type, from r: KeyedDecodingContainer<RecordKeys>) throws -> C {
        try r.decode(C.self, forKey: .config)
    }

    public func encode(to encoder: Encoder) throws {
        var c = encoder.container(keyedBy: CodingKeys.self)
        var list = c.nestedUnkeyedContainer(forKey: .layers)
        for layer in layers {
            var r = list.nestedContainer(keyedBy: RecordKeys.self)
            try r.encode(layer.kind, forKey: .kind)
            try r.encode(layer, forKey: .config)
        }
    }
}
