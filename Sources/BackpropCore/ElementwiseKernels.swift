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

    /// One LSTM step's gates and state, in one pass (PyTorch's equations and gate order i, f, g,
    /// o). `gates` [batch, 4·hidden] holds the pre-activations z (row b: z_i, z_f, z_g, z_o, each
    /// `hidden` wide) and is overwritten with the activations i = σ(z_i), f = σ(z_f),
    /// g = tanh(z_g), o = σ(z_o). Then c = f ⊙ cPrev + i ⊙ g, tanhC = tanh(c), h = o ⊙ tanhC, all
    /// [batch, hidden] and contiguous; `c` may be `cPrev` (updated in place).
    func lstmCellForward(gates: UnsafeMutablePointer<Float>, cPrev: UnsafePointer<Float>, c: UnsafeMutablePointer<Float>,
                         tanhC: UnsafeMutablePointer<Float>, h: UnsafeMutablePointer<Float>, batch: Int, hidden: Int)

    /// The step's backward, from the forward's activations `gates`, `cPrev` and `tanhC`: with
    /// ∂L/∂h `dh` and ∂L/∂c `dc` (from the next step; overwritten with ∂L/∂cPrev), writes ∂L/∂z
    /// into `dGates` [batch, 4·hidden]: with δc = dc + dh ⊙ o ⊙ (1 − tanhC²),
    /// dz_i = δc ⊙ g ⊙ i(1 − i), dz_f = δc ⊙ cPrev ⊙ f(1 − f), dz_g = δc ⊙ i ⊙ (1 − g²),
    /// dz_o = dh ⊙ tanhC ⊙ o(1 − o), and ∂L/∂cPrev = δc ⊙ f.
    func lstmCellBackward(gates: UnsafePointer<Float>, cPrev: UnsafePointer<Float>, tanhC: UnsafePointer<Float>,
                          dh: UnsafePointer<Float>, dc: UnsafeMutablePointer<Float>, dGates: UnsafeMutablePointer<Float>,
                          batch: Int, hidden: Int)

    /// One GRU step in one pass (PyTorch's equations and gate order r, z, n). `inputGates`
    /// [batch, 3·hidden] holds x W_ihᵀ + b_ih (row b: r, z, n blocks, each `hidden` wide) and is
    /// overwritten with the activations r = σ(x_r + h_r), z = σ(x_z + h_z), n = tanh(x_n + r ⊙ h_n);
    /// `hiddenGates` [batch, 3·hidden] holds h_{t−1} W_hhᵀ + b_hh (read only). Then
    /// h = (1 − z) ⊙ n + z ⊙ hPrev, [batch, hidden], contiguous; `h` does not overlap `hPrev`.
    func gruCellForward(inputGates: UnsafeMutablePointer<Float>, hiddenGates: UnsafePointer<Float>, hPrev: UnsafePointer<Float>,
                        h: UnsafeMutablePointer<Float>, batch: Int, hidden: Int)

    /// The GRU step's backward, from the forward's activations (`gates`: r, z, n), `hiddenGates`
    /// and `hPrev`, with ∂L/∂h `dh`: δn = dh ⊙ (1 − z) ⊙ (1 − n²), δz = dh ⊙ (hPrev − n) ⊙ z(1 − z),
    /// δr = δn ⊙ h_n ⊙ r(1 − r). Writes ∂L/∂(input gates) = (δr, δz, δn) into `dInputGates`,
    /// ∂L/∂(hidden gates) = (δr, δz, δn ⊙ r) into `dHiddenGates` (both [batch, 3·hidden]) and the
    /// direct part of ∂L/∂hPrev, dh ⊙ z, into `dhPrev` [batch, hidden].
    func gruCellBackward(gates: UnsafePointer<Float>, hiddenGates: UnsafePointer<Float>, hPrev: UnsafePointer<Float>,
                         dh: UnsafePointer<Float>, dInputGates: UnsafeMutablePointer<Float>,
                         dHiddenGates: UnsafeMutablePointer<Float>, dhPrev: UnsafeMutablePointer<Float>, batch: Int, hidden: Int)
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

    public func lstmCellForward(gates: UnsafeMutablePointer<Float>, cPrev: UnsafePointer<Float>, c: UnsafeMutablePointer<Float>,
                                tanhC: UnsafeMutablePointer<Float>, h: UnsafeMutablePointer<Float>, batch: Int, hidden: Int) {
        routes.elementwise.lstmCellForward(gates: gates, cPrev: cPrev, c: c, tanhC: tanhC, h: h, batch: batch, hidden: hidden)
    }

    public func lstmCellBackward(gates: UnsafePointer<Float>, cPrev: UnsafePointer<Float>, tanhC: UnsafePointer<Float>,
                                 dh: UnsafePointer<Float>, dc: UnsafeMutablePointer<Float>, dGates: UnsafeMutablePointer<Float>,
                                 batch: Int, hidden: Int) {
        routes.elementwise.lstmCellBackward(gates: gates, cPrev: cPrev, tanhC: tanhC, dh: dh, dc: dc, dGates: dGates,
                                            batch: batch, hidden: hidden)
    }

    public func gruCellForward(inputGates: UnsafeMutablePointer<Float>, hiddenGates: UnsafePointer<Float>, hPrev: UnsafePointer<Float>,
                               h: UnsafeMutablePointer<Float>, batch: Int, hidden: Int) {
        routes.elementwise.gruCellForward(inputGates: inputGates, hiddenGates: hiddenGates, hPrev: hPrev, h: h, batch: batch, hidden: hidden)
    }

    public func gruCellBackward(gates: UnsafePointer<Float>, hiddenGates: UnsafePointer<Float>, hPrev: UnsafePointer<Float>,
                                dh: UnsafePointer<Float>, dInputGates: UnsafeMutablePointer<Float>,
                                dHiddenGates: UnsafeMutablePointer<Float>, dhPrev: UnsafeMutablePointer<Float>, batch: Int, hidden: Int) {
        routes.elementwise.gruCellBackward(gates: gates, hiddenGates: hiddenGates, hPrev: hPrev, dh: dh, dInputGates: dInputGates,
                                           dHiddenGates: dHiddenGates, dhPrev: dhPrev, batch: batch, hidden: hidden)
    }
}
