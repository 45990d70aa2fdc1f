/// Row-wise softmax as a layer: y_ij = e^(x_ij) / Σ_k e^(x_ik) (computed after subtracting the
/// row max). Backward: dx_ij = y_ij · (dy_ij − Σ_k dy_ik · y_ik).
///
/// For classification, prefer a linear last layer with `SoftmaxCrossEntropy`, which fuses the
/// softmax into the loss and its gradient; this layer is for models that output probabilities.
public final class Softmax<B: Backend>: Layer {
    public let backend: B
    public let size: Int
    public var parameters: [Parameter] { [] }

    private let output = Workspace()
    private let gradInput = Workspace()
    private let rowDots = Workspace()
    private var shape: Shape = [0]

    public init(_ backend: B, size: Int) {
        self.backend = backend
        self.size = size
    }

    public var inputShape: Shape { [size] }
    public var outputShape: Shape { [size] }
    public var configuration: any LayerConfiguration { SoftmaxConfiguration(size: size) }

    public var torchModules: [String] { ["Softmax(dim=-1)"] }

    public func forward(_ x: TensorView, training: Bool) -> TensorView {
        precondition(x.cols == size && x.isContiguous, "Softmax.forward: expects contiguous rows of \(size), got \(x.shape)")
        let y = output.view(x.shape)
        backend.softmax(x.data, y.data, rows: x.rows, cols: size, log: false)
        shape = x.shape
        return y
    }

    public func backward(_ dy: TensorView, needsInputGradient: Bool) -> TensorView {
        let y = output.view(shape)
        let rows = y.rows
        precondition(dy.count == y.count && dy.isContiguous, "Softmax.backward: ∂L/∂y of shape \(dy.shape) for \(shape)")
        let dx = gradInput.view(shape)
        let dots = rowDots.matrix(rows: rows, cols: 1)
        backend.binary(.mul, dy.data, y.data, .none, dx.data, rows: rows, cols: size)          // dy ⊙ y
        backend.reduce(.sum, .rows, dx.data, rows: rows, cols: size, dots.data)                 // Σ_k dy_ik y_ik
        backend.binary(.sub, dy.data, dots.data, .column, dx.data, rows: rows, cols: size)      // dy − dot
        backend.binary(.mul, dx.data, y.data, .none, dx.data, rows: rows, cols: size)           // ⊙ y
        return dx
    }
}

/// A `Softmax` layer's settings: `{"size": 10}`.
public struct SoftmaxConfiguration: LayerConfiguration, Equatable {
    public var parameterCount: Int? { 0 }
    public var kind: String { "softmax" }
    public var size: Int

    public init(size: Int) { self.size = size }

    public func makeLayer<B: Backend>(on backend: B, generator: inout RandomGenerator) throws -> any Layer<B> {
        guard size > 0 else { throw ConfigurationError("softmax layer of size \(size); sizes must be positive") }
        return Softmax(backend, size: size)
    }
}
