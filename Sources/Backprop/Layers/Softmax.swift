/// Row-wise softmax as a layer: y_ij = e^(x_ij) / Σ_k e^(x_ik) (computed after subtracting the
/// row max). Backward: dx_ij = y_ij · (dy_ij − Σ_k dy_ik · y_ik).
///
/// For classification, prefer a linear last layer with `SoftmaxCrossEntropy`, which fuses the
/// softmax into the loss and its gradient; this layer is for models that output probabilities.
public final class Softmax<B: Backend>: Layer {
    public let backend: B
    public let inputSize: Int
    public var outputSize: Int { inputSize }
    public var parameters: [Parameter] { [] }

    private let output = Workspace()
    private let gradInput = Workspace()
    private let rowDots = Workspace()
    private var rows = 0

    public init(_ backend: B, size: Int) {
        self.backend = backend
        self.inputSize = size
    }

    public var spec: LayerSpec { LayerSpec(kind: "softmax", inputs: inputSize, outputs: inputSize) }

    public func forward(_ x: Matrix, training: Bool) -> Matrix {
        let y = output.matrix(rows: x.rows, cols: x.cols)
        backend.softmax(x.data, y.data, rows: x.rows, cols: x.cols, log: false)
        rows = x.rows
        return y
    }

    public func backward(_ dy: Matrix, needsInputGradient: Bool) -> Matrix {
        let y = output.matrix(rows: rows, cols: inputSize)
        let dx = gradInput.matrix(rows: rows, cols: inputSize)
        let dots = rowDots.matrix(rows: rows, cols: 1)
        backend.binary(.mul, dy.data, y.data, .none, dx.data, rows: rows, cols: inputSize)          // dy ⊙ y
        backend.reduce(.sum, .rows, dx.data, rows: rows, cols: inputSize, dots.data)                 // Σ_k dy_ik y_ik
        backend.binary(.sub, dy.data, dots.data, .column, dx.data, rows: rows, cols: inputSize)      // dy − dot
        backend.binary(.mul, dx.data, y.data, .none, dx.data, rows: rows, cols: inputSize)           // ⊙ y
        return dx
    }
}
