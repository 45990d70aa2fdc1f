/// A layer of a batch-major network: inputs are [batch, inputSize], outputs [batch, outputSize].
///
/// `forward` returns a view of the layer's own output buffer and remembers what `backward`
/// needs; `backward` takes ∂L/∂output and returns ∂L/∂input (a view of its own buffer), writing
/// the gradients of its parameters. Buffers grow to the largest batch seen and are reused.
public protocol Layer<B>: AnyObject {
    associatedtype B: Backend
    var backend: B { get }
    var inputSize: Int { get }
    var outputSize: Int { get }
    /// Trainable parameters (empty for parameter-free layers).
    var parameters: [Parameter] { get }
    /// The layer's description for model files.
    var spec: LayerSpec { get }

    func forward(_ x: Matrix, training: Bool) -> Matrix
    /// ∂L/∂input from ∂L/∂output. When `needsInputGradient` is false (the first layer), the input
    /// gradient may be skipped and the returned matrix is unspecified.
    func backward(_ dy: Matrix, needsInputGradient: Bool) -> Matrix
}

/// The architecture of one layer, as stored in model files' metadata.
public struct LayerSpec: Codable, Equatable, Sendable {
    /// `dense`, `activation`, `dropout` or `softmax`.
    public var kind: String
    public var inputs: Int
    public var outputs: Int
    /// The activation's name (see `Activation(name:)`), for dense and activation layers.
    public var activation: String?
    /// The drop probability, for dropout.
    public var rate: Float?

    public init(kind: String, inputs: Int, outputs: Int, activation: String? = nil, rate: Float? = nil) {
        self.kind = kind
        self.inputs = inputs
        self.outputs = outputs
        self.activation = activation
        self.rate = rate
    }
}
