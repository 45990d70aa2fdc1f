/// Elementwise maps: activations and the maths functions, their gradients, binary maps with
/// broadcasting, the fused bias + activation of dense layers, and fills.
public protocol ElementwiseKernels: KernelProvider {
    /// y = f(x) elementwise over `count` values; `y` may equal `x` (in place).
    func unary(_ op: UnaryOp, _ x: UnsafePointer<Float>, _ y: UnsafeMutablePointer<Float>, count: Int)

    /// dx = dy ⊙ f′(x), where y = f(x) is the forward output (the derivative uses whichever of x
    /// and y its formula needs; see `Activation`). `dx` may equal `dy`.
    func activationGradient(_ f: Activation, x: UnsafePointer<Float>, y: UnsafePointer<Float>,
                            dy: UnsafePointer<Float>, dx: UnsafeMutablePointer<Float>, count: Int)

    /// out = a ∘ b over a [rows, cols] matrix, with `b` laid out as `broadcast` says.
    /// `out` may equal `a` (or `b` when `broadcast == .none`).
    func binary(_ op: BinaryOp, _ a: UnsafePointer<Float>, _ b: UnsafePointer<Float>, _ broadcast: Broadcast,
                _ out: UnsafeMutablePointer<Float>, rows: Int, cols: Int)

    /// y = f(x + bias) for x of shape [rows, cols] and bias of `cols` values (one pass).
    /// `y` may equal `x`.
    func biasActivation(_ f: Activation, _ x: UnsafePointer<Float>, bias: UnsafePointer<Float>,
                        _ y: UnsafeMutablePointer<Float>, rows: Int, cols: Int)

    /// y[i] = value for i < count.
    func fill(_ value: Float, _ y: UnsafeMutablePointer<Float>, count: Int)

    /// y = xᵀ: x is [rows, cols] with row stride `ldx`, y is [cols, rows] with row stride `ldy`
    /// (y[j·ldy + i] = x[i·ldx + j]); x and y do not overlap.
    func transpose(_ x: UnsafePointer<Float>, rows: Int, cols: Int, ldx: Int, _ y: UnsafeMutablePointer<Float>, ldy: Int)
}

extension RoutedBackend {
    public func unary(_ op: UnaryOp, _ x: UnsafePointer<Float>, _ y: UnsafeMutablePointer<Float>, count: Int) {
        routes.elementwise.unary(op, x, y, count: count)
    }

    public func activationGradient(_ f: Activation, x: UnsafePointer<Float>, y: UnsafePointer<Float>,
                                   dy: UnsafePointer<Float>, dx: UnsafeMutablePointer<Float>, count: Int) {
        routes.elementwise.activationGradient(f, x: x, y: y, dy: dy, dx: dx, count: count)
    }

    public func binary(_ op: BinaryOp, _ a: UnsafePointer<Float>, _ b: UnsafePointer<Float>, _ broadcast: Broadcast,
                       _ out: UnsafeMutablePointer<Float>, rows: Int, cols: Int) {
        routes.elementwise.binary(op, a, b, broadcast, out, rows: rows, cols: cols)
    }

    public func biasActivation(_ f: Activation, _ x: UnsafePointer<Float>, bias: UnsafePointer<Float>,
                               _ y: UnsafeMutablePointer<Float>, rows: Int, cols: Int) {
        routes.elementwise.biasActivation(f, x, bias: bias, y, rows: rows, cols: cols)
    }

    public func fill(_ value: Float, _ y: UnsafeMutablePointer<Float>, count: Int) {
        routes.elementwise.fill(value, y, count: count)
    }

    public func transpose(_ x: UnsafePointer<Float>, rows: Int, cols: Int, ldx: Int, _ y: UnsafeMutablePointer<Float>, ldy: Int) {
        routes.elementwise.transpose(x, rows: rows, cols: cols, ldx: ldx, y, ldy: ldy)
    }
}
