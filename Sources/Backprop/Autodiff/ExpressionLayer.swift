/// A parameter an expression layer declares: its name, shape and initialiser. The fans the
/// initialiser uses are [in, out] for a matrix, the length for a vector.
public struct ParameterSpec: Sendable {
    public var name: String
    public var shape: [Int]
    public var initializer: Initializer
    /// Whether L1/L2 penalties apply to it (weights yes, biases and scales no).
    public var isWeight: Bool

    public init(_ name: String, _ shape: [Int], initializer: Initializer = .zeros, isWeight: Bool = false) {
        self.name = name
        self.shape = shape
        self.initializer = initializer
        self.isWeight = isWeight
    }
}

/// The parameters of an expression layer as tape values, by name or by declaration order.
public struct ExpressionParameters {
    let tape: GradientTape
    let names: [String]
    /// Whether the model runs in training mode.
    public let training: Bool

    /// The parameter declared under `name`.
    public subscript(_ name: String) -> Variable {
        guard let i = names.firstIndex(of: name) else {
            preconditionFailure("expression layer: no parameter '\(name)' (declared: \(names.joined(separator: ", ")))")
        }
        return Variable(tape: tape, id: i)
    }

    /// The `i`-th declared parameter.
    public subscript(_ i: Int) -> Variable { Variable(tape: tape, id: i) }
}

/// A layer defined by its forward expression alone: the tape derives its backward pass. Conform a
/// Codable struct holding the settings, register it, and it plugs into `Sequential`, the
/// `Trainer`, checkpoints and model files like a built-in layer.
///
/// ```swift
/// /// y = s ⊙ x, a learnt scale per feature (initially 1).
/// struct Scale: ExpressionLayerDefinition {
///     var kind: String { "scale" }
///     var inputSize: Int
///     var parameterSpecs: [ParameterSpec] { [ParameterSpec("scale", [inputSize], initializer: .constant(1))] }
///     func forward(_ x: Variable, _ p: ExpressionParameters) -> Variable { x * p["scale"] }
/// }
/// LayerKinds.register(Scale.self, as: "scale")
/// let layer = try Scale(inputSize: 64).makeLayer(on: backend, generator: &g)
/// ```
///
/// `forward` sees one batch as a [batch, inputSize] value (a sequence batch as [time·batch,
/// inputSize]) and the declared parameters; the output's last dimension is found by running it
/// once on one example.
public protocol ExpressionLayerDefinition: LayerConfiguration {
    /// The features of one example's input.
    var inputSize: Int { get }
    /// The parameters, in order (default: none).
    var parameterSpecs: [ParameterSpec] { get }
    /// The layer's output for input `x`, built from tape operations.
    func forward(_ x: Variable, _ p: ExpressionParameters) -> Variable
}

extension ExpressionLayerDefinition {
    public var parameterSpecs: [ParameterSpec] { [] }

    public var parameterCount: Int? { checkedElementCount(parameterSpecs.map(\.shape)) }

    public func makeLayer<B: Backend>(on backend: B, generator: inout RandomGenerator) throws -> any Layer<B> {
        try ExpressionLayer(backend, self, generator: &generator)
    }
}

/// The `Layer` an `ExpressionLayerDefinition` builds: forward records the definition's
/// expression on a tape of its own (buffers reused from batch to batch), backward runs the
/// tape's vector-Jacobian products from ∂L/∂output, adding ∂L/∂θ into the parameters'
/// gradients as every layer does.
public final class ExpressionLayer<B: Backend>: Layer {
    public let backend: B
    public let definition: any ExpressionLayerDefinition
    public let parameters: [Parameter]
    public let inputShape: Shape
    public let outputShape: Shape
    private let tape: GradientTape
    private let names: [String]
    private var output: Variable?
    private var inputID = -1
    /// Whether the last backward wanted ∂L/∂input (the first layer of a model does not): if not,
    /// the input is recorded as a constant and no backward work leads to it.
    private var inputGradientWanted = true
    private var lastInput: TensorView?
    private var lastTraining = false

    /// The layer for `definition`, its parameters initialised from `generator`. Throws a
    /// `ConfigurationError` for a non-positive input size or parameter dimension.
    public init(_ backend: B, _ definition: any ExpressionLayerDefinition, generator: inout RandomGenerator) throws {
        guard definition.inputSize > 0 else {
            throw ConfigurationError("\(definition.kind): input size \(definition.inputSize) must be positive")
        }
        self.backend = backend
        self.definition = definition
        let specs = definition.parameterSpecs
        var params: [Parameter] = []
        for (i, s) in specs.enumerated() {
            guard !s.shape.isEmpty, s.shape.allSatisfy({ $0 > 0 }) else {
                throw ConfigurationError("\(definition.kind): parameter \(s.name) has shape \(s.shape)")
            }
            let p = Parameter(name: s.name, shape: s.shape, isWeight: s.isWeight)
            var g = generator.derived(UInt64(i))
            s.initializer.fill(p.value, fanIn: s.shape[0], fanOut: s.shape.count > 1 ? s.shape[1] : s.shape[0],
                               backend: backend, generator: &g)
            params.append(p)
        }
        generator.counter &+= 1
        parameters = params
        names = specs.map(\.name)
        tape = GradientTape(backend)
        inputShape = [definition.inputSize]
        // The output width: the expression run once on one (zero) example.
        let probe = Tensor(shape: [1, definition.inputSize])
        let y = Self.record(tape, definition, parameters: params, names: names, input: TensorView(probe), asInput: false, training: false)
        outputShape = [y.cols]
        tape.reset()
    }

    public var configuration: any LayerConfiguration { definition }

    private static func record(_ tape: GradientTape, _ d: any ExpressionLayerDefinition, parameters: [Parameter], names: [String],
                               input: TensorView, asInput: Bool, training: Bool) -> Variable {
        tape.reset()
        for p in parameters { _ = tape.watch(p) }   // ids 0..<count: what ExpressionParameters indexes
        let x = asInput ? tape.input(input) : tape.constant(input)
        return d.forward(x, ExpressionParameters(tape: tape, names: names, training: training))
    }

    public func forward(_ x: TensorView, training: Bool) -> TensorView {
        precondition(x.cols == definition.inputSize, "\(definition.kind): input \(x.shape) for an input size of \(definition.inputSize)")
        lastInput = x
        lastTraining = training
        let y = Self.record(tape, definition, parameters: parameters, names: names, input: x,
                            asInput: inputGradientWanted, training: training)
        inputID = parameters.count
        precondition(y.rows == x.rows && y.cols == outputSize,
                     "\(definition.kind): the expression gave \(y.shape) for input \(x.shape); \(x.rows)x\(outputSize) expected")
        output = y
        return y.value.reshaped(x.shape.replacingLast(outputSize))
    }

    public func backward(_ dy: TensorView, needsInputGradient: Bool) -> TensorView {
        guard var y = output, let x = lastInput else { preconditionFailure("\(definition.kind): backward before forward") }
        if needsInputGradient && !inputGradientWanted {
            // The input was recorded as a constant: record again with it differentiable.
            inputGradientWanted = true
            _ = forward(x, training: lastTraining)
            y = output!
        }
        inputGradientWanted = needsInputGradient
        tape.setRequiresGradient(inputID, needsInputGradient)
        if y.requiresGradient { try? tape.gradient(of: y, seed: dy.reshaped(y.shape)) }
        guard needsInputGradient, let g = tape.grad(of: Variable(tape: tape, id: inputID)) else {
            return TensorView(dy.data, shape: x.shape)   // unspecified, as the contract allows
        }
        return g.reshaped(x.shape)
    }
}
