/// A value recorded on a `GradientTape`: the handle the tape's operators and functions take and
/// return. `value` is a view of the tape's buffer for it (valid until the tape is reset and
/// re-recorded).
public struct Variable {
    public let tape: GradientTape
    let id: Int

    /// Its shape.
    public var shape: Shape { tape.nodes[id].shape }
    /// Its value.
    public var value: TensorView { TensorView(tape.nodes[id].data, shape: tape.nodes[id].shape) }
    /// The value of a scalar (or the first element).
    public var scalar: Float { tape.nodes[id].data[0] }
    /// Whether it depends on a watched parameter or a differentiable input.
    public var requiresGradient: Bool { tape.nodes[id].requiresGrad }
    /// The matrix view's rows and columns (a scalar is 1x1, a vector [n] is 1xn).
    public var rows: Int { tape.nodes[id].rows }
    public var cols: Int { tape.nodes[id].cols }
}

extension GradientTape {
    /// Records an op whose output of `shape` `compute` writes (given the output pointer).
    func apply(_ op: Op, _ a: Variable, _ b: Variable? = nil, _ c: Variable? = nil, shape: Shape,
               ints: Range<Int> = 0..<0, _ compute: (UnsafeMutablePointer<Float>) -> Void) -> Variable {
        precondition(a.tape === self && (b == nil || b!.tape === self) && (c == nil || c!.tape === self),
                     "\(op): values of different tapes")
        let y = output(shape)
        compute(y)
        var requires = nodes[a.id].requiresGrad || (b.map { nodes[$0.id].requiresGrad } ?? false)
            || (c.map { nodes[$0.id].requiresGrad } ?? false)
        if case .constantMask = op { requires = false }
        return record(Node(op: op, a: a.id, b: b?.id ?? -1, c: c?.id ?? -1, shape: shape, data: y,
                           requiresGrad: requires, ints: ints))
    }

    /// How `b` broadcasts against `a` in a binary op (nil: it does not).
    static func broadcast(_ a: Node, _ b: Node) -> Broadcast? {
        if b.count == a.count && b.rows == a.rows && b.cols == a.cols { return Broadcast.none }
        if b.count == 1 { return .scalar }
        if b.rows == 1 && b.cols == a.cols { return .row }
        if b.cols == 1 && b.rows == a.rows && b.shape.rank == 2 { return .column }
        return nil
    }

    func binary(_ op: BinaryOp, _ a: Variable, _ b: Variable) -> Variable {
        var x = node(a), y = node(b), l = a, r = b
        if Self.broadcast(x, y) == nil, op == .add || op == .mul, Self.broadcast(y, x) != nil {
            (x, y, l, r) = (y, x, b, a)   // commutative: broadcast the smaller operand on the right
        }
        guard let bc = Self.broadcast(x, y) else {
            preconditionFailure("\(op): shapes \(x.shape) and \(y.shape) do not broadcast (the right operand may be a scalar, a row [\(x.cols)] or a column [\(x.rows), 1])")
        }
        let (rows, cols) = (x.rows, x.cols)
        return apply(.binary(op, bc), l, r, shape: x.shape) { backend.binary(op, x.data, y.data, bc, $0, rows: rows, cols: cols) }
    }

    func scalarOp(_ op: BinaryOp, _ a: Variable, _ s: Float, left: Bool) -> Variable {
        let x = node(a)
        return apply(left ? .scalarLeft(op, s) : .scalarRight(op, s), a, shape: x.shape) { y in
            var v = s
            if left {
                // s ∘ x = y: fill with s, then combine elementwise.
                backend.fill(v, y, count: x.count)
                backend.binary(op, y, x.data, .none, y, rows: 1, cols: x.count)
            } else {
                backend.binary(op, x.data, &v, .scalar, y, rows: 1, cols: x.count)
            }
        }
    }

    func unary(_ op: UnaryOp, _ a: Variable) -> Variable {
        let x = node(a)
        return apply(.unary(op), a, shape: x.shape) { backend.unary(op, x.data, $0, count: x.count) }
    }
}

// MARK: Operators

public func + (a: Variable, b: Variable) -> Variable { a.tape.binary(.add, a, b) }
public func - (a: Variable, b: Variable) -> Variable { a.tape.binary(.sub, a, b) }
public func * (a: Variable, b: Variable) -> Variable { a.tape.binary(.mul, a, b) }
public func / (a: Variable, b: Variable) -> Variable { a.tape.binary(.div, a, b) }
public func + (a: Variable, s: Float) -> Variable { a.tape.scalarOp(.add, a, s, left: false) }
public func - (a: Variable, s: Float) -> Variable { a.tape.scalarOp(.sub, a, s, left: false) }
public func * (a: Variable, s: Float) -> Variable { a.tape.scalarOp(.mul, a, s, left: false) }
public func / (a: Variable, s: Float) -> Variable { a.tape.scalarOp(.div, a, s, left: false) }
public func + (s: Float, a: Variable) -> Variable { a.tape.scalarOp(.add, a, s, left: false) }
public func - (s: Float, a: Variable) -> Variable { a.tape.scalarOp(.sub, a, s, left: true) }
public func * (s: Float, a: Variable) -> Variable { a.tape.scalarOp(.mul, a, s, left: false) }
public func / (s: Float, a: Variable) -> Variable { a.tape.scalarOp(.div, a, s, left: true) }
public prefix func - (a: Variable) -> Variable { a.tape.unary(.negate, a) }

/// Elementwise max(a, b) and min(a, b) (the gradient goes to the larger / smaller; to `a` on ties).
public func maximum(_ a: Variable, _ b: Variable) -> Variable { a.tape.binary(.max, a, b) }
public func minimum(_ a: Variable, _ b: Variable) -> Variable { a.tape.binary(.min, a, b) }
public func maximum(_ a: Variable, _ s: Float) -> Variable { a.tape.scalarOp(.max, a, s, left: false) }
public func minimum(_ a: Variable, _ s: Float) -> Variable { a.tape.scalarOp(.min, a, s, left: false) }

// MARK: Elementwise functions

/// e^x.
public func exp(_ x: Variable) -> Variable { x.tape.unary(.exp, x) }
/// ln x.
public func log(_ x: Variable) -> Variable { x.tape.unary(.log, x) }
/// √x.
public func sqrt(_ x: Variable) -> Variable { x.tape.unary(.sqrt, x) }
/// x².
public func square(_ x: Variable) -> Variable { x.tape.unary(.square, x) }
/// |x| (subgradient 0 at 0).
public func abs(_ x: Variable) -> Variable { x.tape.unary(.abs, x) }
/// x^p for x > 0 (computed as e^(p·ln x)); p = 2 is exact through `square`.
public func pow(_ x: Variable, _ p: Float) -> Variable {
    if p == 2 { return square(x) }
    let n = x.tape.node(x)
    return x.tape.apply(.power(p), x, shape: n.shape) { y in
        let b = x.tape.backend
        b.unary(.log, n.data, y, count: n.count)
        b.scale(alpha: p, y, count: n.count)
        b.unary(.exp, y, y, count: n.count)
    }
}
/// An activation (formulas in `Activation`).
public func activation(_ f: Activation, _ x: Variable) -> Variable { x.tape.unary(.activation(f), x) }
public func sigmoid(_ x: Variable) -> Variable { activation(.sigmoid, x) }
public func tanh(_ x: Variable) -> Variable { activation(.tanh, x) }
public func relu(_ x: Variable) -> Variable { activation(.relu, x) }
public func leakyReLU(_ x: Variable, alpha: Float = 0.01) -> Variable { activation(.leakyReLU(alpha: alpha), x) }
public func elu(_ x: Variable, alpha: Float = 1) -> Variable { activation(.elu(alpha: alpha), x) }

/// Row-wise softmax, e^(x_ij − m_i) / Σ_j e^(x_ij − m_i).
public func softmax(_ x: Variable) -> Variable {
    let n = x.tape.node(x)
    return x.tape.apply(.softmax(log: false), x, shape: n.shape) { x.tape.backend.softmax(n.data, $0, rows: n.rows, cols: n.cols, log: false) }
}

/// Row-wise log-softmax, x_ij − m_i − ln Σ_j e^(x_ij − m_i).
public func logSoftmax(_ x: Variable) -> Variable {
    let n = x.tape.node(x)
    return x.tape.apply(.softmax(log: true), x, shape: n.shape) { x.tape.backend.softmax(n.data, $0, rows: n.rows, cols: n.cols, log: true) }
}

// MARK: Reductions

/// Σ, mean or max over every element (a scalar), each row ([rows, 1]) or each column ([cols]).
public func reduce(_ op: ReduceOp, _ x: Variable, _ axis: ReduceAxis = .all) -> Variable {
    precondition(op != .sumOfSquares, "reduce: use sum(square(x))")
    let n = x.tape.node(x)
    let shape: Shape = axis == .all ? [] : (axis == .rows ? Shape(rows: n.rows, cols: 1) : [n.cols])
    return x.tape.apply(.reduce(op, axis), x, shape: shape) { x.tape.backend.reduce(op, axis, n.data, rows: n.rows, cols: n.cols, $0) }
}

public func sum(_ x: Variable, _ axis: ReduceAxis = .all) -> Variable { reduce(.sum, x, axis) }
public func mean(_ x: Variable, _ axis: ReduceAxis = .all) -> Variable { reduce(.mean, x, axis) }
public func max(_ x: Variable, _ axis: ReduceAxis = .all) -> Variable { reduce(.max, x, axis) }

// MARK: Matrix products and layout

/// op(a)·op(b) with op the transpose when asked: [m, k]·[k, n] → [m, n].
public func matmul(_ a: Variable, _ b: Variable, transposeA: Bool = false, transposeB: Bool = false) -> Variable {
    let t = a.tape, x = t.node(a), y = t.node(b)
    let (m, k) = transposeA ? (x.cols, x.rows) : (x.rows, x.cols)
    let (k2, n) = transposeB ? (y.cols, y.rows) : (y.rows, y.cols)
    precondition(k == k2, "matmul: \(transposeA ? "\(x.shape)ᵀ" : "\(x.shape)") × \(transposeB ? "\(y.shape)ᵀ" : "\(y.shape)"): inner dimensions \(k) and \(k2) differ")
    return t.apply(.matmul(transposeA: transposeA, transposeB: transposeB), a, b, shape: Shape(rows: m, cols: n)) { c in
        t.backend.gemm(transposeA ? .transpose : .none, transposeB ? .transpose : .none, m: m, n: n, k: k, alpha: 1,
                       a: x.data, lda: x.cols, b: y.data, ldb: y.cols, beta: 0, c: c, ldc: n)
    }
}

/// The same elements with another shape (a copy-free view).
public func reshape(_ x: Variable, _ shape: Shape) -> Variable {
    let t = x.tape, n = t.node(x)
    precondition(shape.elementCount == n.count, "reshape: \(n.shape) (\(n.count) elements) to \(shape)")
    return t.record(GradientTape.Node(op: .reshape, a: x.id, shape: shape, data: n.data, requiresGrad: n.requiresGrad))
}

/// xᵀ: [rows, cols] → [cols, rows].
public func transpose(_ x: Variable) -> Variable {
    let t = x.tape, n = t.node(x)
    return t.apply(.transpose, x, shape: Shape(rows: n.cols, cols: n.rows)) {
        t.backend.transpose(n.data, rows: n.rows, cols: n.cols, ldx: n.cols, $0, ldy: n.rows)
    }
}

/// Rows `range` of x (a copy-free view).
public func slice(_ x: Variable, rows range: Range<Int>) -> Variable {
    let t = x.tape, n = t.node(x)
    precondition(range.lowerBound >= 0 && range.upperBound <= n.rows && !range.isEmpty, "slice: rows \(range) of \(n.shape)")
    return t.record(GradientTape.Node(op: .sliceRows(range.lowerBound), a: x.id, shape: Shape(rows: range.count, cols: n.cols),
                                      data: n.data + range.lowerBound * n.cols, requiresGrad: n.requiresGrad))
}

/// Columns `range` of x.
public func slice(_ x: Variable, columns range: Range<Int>) -> Variable {
    let t = x.tape, n = t.node(x)
    precondition(range.lowerBound >= 0 && range.upperBound <= n.cols && !range.isEmpty, "slice: columns \(range) of \(n.shape)")
    let w = range.count
    return t.apply(.sliceColumns(range.lowerBound), x, shape: Shape(rows: n.rows, cols: w)) { y in
        for i in 0..<n.rows { t.backend.copy(n.data + i * n.cols + range.lowerBound, y + i * w, count: w) }
    }
}

/// a over b ([ra, c] and [rb, c] → [ra + rb, c]).
public func concatenate(rows a: Variable, _ b: Variable) -> Variable {
    let t = a.tape, x = t.node(a), y = t.node(b)
    precondition(x.cols == y.cols, "concatenate(rows:): \(x.shape) and \(y.shape) have different columns")
    return t.apply(.concatRows, a, b, shape: Shape(rows: x.rows + y.rows, cols: x.cols)) { out in
        t.backend.copy(x.data, out, count: x.count)
        t.backend.copy(y.data, out + x.count, count: y.count)
    }
}

/// a beside b ([r, ca] and [r, cb] → [r, ca + cb]).
public func concatenate(columns a: Variable, _ b: Variable) -> Variable {
    let t = a.tape, x = t.node(a), y = t.node(b)
    precondition(x.rows == y.rows, "concatenate(columns:): \(x.shape) and \(y.shape) have different rows")
    let w = x.cols + y.cols
    return t.apply(.concatColumns, a, b, shape: Shape(rows: x.rows, cols: w)) { out in
        for i in 0..<x.rows {
            t.backend.copy(x.data + i * x.cols, out + i * w, count: x.cols)
            t.backend.copy(y.data + i * y.cols, out + i * w + x.cols, count: y.cols)
        }
    }
}

extension GradientTape {
    func storeIndices<C: Collection>(_ indices: C, below limit: Int, _ what: String) -> Range<Int> where C.Element == Int32 {
        let start = ints.count
        // Through contiguous storage when the collection has it (arrays and slices): the generic
        // iteration is not specialised across modules and cost ~20% of a small step.
        if indices.withContiguousStorageIfAvailable({ ints.append(contentsOf: $0) }) == nil {
            ints.append(contentsOf: indices)
        }
        ints.withUnsafeBufferPointer { all in
            for k in start..<all.count where all[k] < 0 || Int(all[k]) >= limit {
                preconditionFailure("\(what): index \(all[k]) outside 0..<\(limit)")
            }
        }
        return start..<ints.count
    }
}

/// Rows `indices` of `table` ([V, d] → [indices.count, d]): an embedding lookup. Its gradient is
/// a scatter-add into the table's rows.
public func gather<C: Collection>(_ table: Variable, rows indices: C) -> Variable where C.Element == Int32 {
    let t = table.tape, n = t.node(table)
    let r = t.storeIndices(indices, below: n.rows, "gather")
    return t.apply(.gather, table, shape: Shape(rows: r.count, cols: n.cols), ints: r) { y in
        for (k, i) in t.ints[r].enumerated() { t.backend.copy(n.data + Int(i) * n.cols, y + k * n.cols, count: n.cols) }
    }
}

/// A [rows, d] matrix whose row i is the sum of the rows of `x` whose index is i (the adjoint of
/// `gather`).
public func scatterAdd<C: Collection>(_ x: Variable, rows indices: C, into rows: Int) -> Variable where C.Element == Int32 {
    let t = x.tape, n = t.node(x)
    precondition(indices.count == n.rows, "scatterAdd: \(indices.count) indices for \(n.rows) rows")
    let r = t.storeIndices(indices, below: rows, "scatterAdd")
    return t.apply(.scatterAdd, x, shape: Shape(rows: rows, cols: n.cols), ints: r) { y in
        t.backend.fill(0, y, count: rows * n.cols)
        for (k, i) in t.ints[r].enumerated() { t.backend.axpy(alpha: 1, n.data + k * n.cols, y + Int(i) * n.cols, count: n.cols) }
    }
}

extension GradientTape {
    /// One-hot rows for `labels` ([labels.count, classes]), not differentiated.
    public func oneHot<C: Collection>(_ labels: C, classes: Int) -> Variable where C.Element == Int32 {
        let r = storeIndices(labels, below: classes, "oneHot")
        let shape = Shape(rows: r.count, cols: classes)
        let y = output(shape)
        backend.fill(0, y, count: shape.elementCount)
        for (k, l) in ints[r].enumerated() { y[k * classes + Int(l)] = 1 }
        return record(Node(op: .leaf, shape: shape, data: y, requiresGrad: false, ints: r))
    }
}

// MARK: Comparisons and masks (not differentiated)

/// 1 where a ≥ b, else 0.
public func greaterOrEqual(_ a: Variable, _ b: Variable) -> Variable {
    let d = a.tape.binary(.sub, a, b)
    return a.tape.apply(.constantMask, d, shape: d.shape) { a.tape.backend.unary(.activation(.step), d.value.data, $0, count: d.value.count) }
}
/// 1 where a > b, else 0.
public func greater(_ a: Variable, _ b: Variable) -> Variable { 1 - greaterOrEqual(b, a) }
/// 1 where a < b, else 0.
public func less(_ a: Variable, _ b: Variable) -> Variable { greater(b, a) }
/// 1 where a ≤ b, else 0.
public func lessOrEqual(_ a: Variable, _ b: Variable) -> Variable { greaterOrEqual(b, a) }
/// 1 where a = b, else 0.
public func equal(_ a: Variable, _ b: Variable) -> Variable { greaterOrEqual(a, b) * greaterOrEqual(b, a) }

/// `a` where `mask` is 1, `b` where it is 0: mask·a + (1 − mask)·b (mask not differentiated).
public func select(_ mask: Variable, _ a: Variable, _ b: Variable) -> Variable {
    let t = a.tape, m = t.node(mask), x = t.node(a), y = t.node(b)
    precondition(m.count == x.count && x.count == y.count, "select: mask \(m.shape), \(x.shape), \(y.shape) must match")
    return t.apply(.select, a, b, mask, shape: x.shape) { out in
        t.backend.binary(.sub, x.data, y.data, .none, out, rows: 1, cols: x.count)       // a − b
        t.backend.binary(.mul, out, m.data, .none, out, rows: 1, cols: x.count)          // mask·(a − b)
        t.backend.binary(.add, out, y.data, .none, out, rows: 1, cols: x.count)          // + b
    }
}

// MARK: Fused primitives: the hand-written layers and loss, on the tape

/// f(x·w + b), the `Dense` layer as one primitive: one GEMM and one fused bias + activation
/// forward, its backward as `Dense.backward` (the derivative taken from the output; see
/// `Activation`). x [batch, in], w [in, out], b [out].
public func dense(_ x: Variable, weight w: Variable, bias b: Variable, activation f: Activation = .identity) -> Variable {
    let t = x.tape, xn = t.node(x), wn = t.node(w), bn = t.node(b)
    precondition(xn.cols == wn.rows && bn.count == wn.cols, "dense: x \(xn.shape), weight \(wn.shape), bias \(bn.shape) do not fit")
    let (rows, cols) = (xn.rows, wn.cols)
    return t.apply(.dense(f), x, w, b, shape: Shape(rows: rows, cols: cols)) { y in
        t.backend.gemm(.none, .none, m: rows, n: cols, k: xn.cols, alpha: 1, a: xn.data, lda: xn.cols, b: wn.data, ldb: cols,
                       beta: 0, c: y, ldc: cols)
        t.backend.biasActivation(f, y, bias: bn.data, y, rows: rows, cols: cols)
    }
}

/// Softmax cross-entropy of `logits` [batch, classes] against class indices, as one primitive:
/// −(1/B) Σ_i log softmax(z_i)_{y_i} (the sum without 1/B for `.sum`); its gradient is the fused
/// (softmax − one-hot)/B. A scalar.
public func softmaxCrossEntropy<C: Collection>(_ logits: Variable, labels: C, reduction: LossReduction = .mean) -> Variable
    where C.Element == Int32 {
    let t = logits.tape, z = t.node(logits)
    precondition(labels.count == z.rows, "softmaxCrossEntropy: \(labels.count) labels for \(z.rows) rows of logits")
    let r = t.storeIndices(labels, below: z.cols, "softmaxCrossEntropy")
    let i = t.nodes.count
    let lp = t.scratch(i, z.count)
    return t.apply(.softmaxCrossEntropy(reduction), logits, shape: [], ints: r) { y in
        t.backend.softmax(z.data, lp, rows: z.rows, cols: z.cols, log: true)
        var s: Float = 0
        for (k, l) in t.ints[r].enumerated() { s += lp[k * z.cols + Int(l)] }
        y[0] = -s * (reduction == .mean ? 1 / Float(z.rows) : 1)
    }
}

/// Mean squared error, mean((p − t)²), from primitives.
public func meanSquaredError(_ p: Variable, _ t: Variable) -> Variable { mean(square(p - t)) }

/// Binary cross-entropy from logits, mean(max(z, 0) − z·t + ln(1 + e^(−|z|))), from primitives.
public func binaryCrossEntropy(logits z: Variable, _ t: Variable) -> Variable {
    mean(relu(z) - z * t + log(1 + exp(-abs(z))))
}

/// Binary cross-entropy from probabilities, −mean(t·ln p + (1 − t)·ln(1 − p)), each log clamped
/// at ≥ −100 as PyTorch does, from primitives.
public func binaryCrossEntropy(probabilities p: Variable, _ t: Variable) -> Variable {
    -mean(t * maximum(log(p), -100) + (1 - t) * maximum(log(1 - p), -100))
}

/// The same value with no gradient flowing back through it (PyTorch's `detach`, TensorFlow's
/// `stop_gradient`): what truncated backpropagation through time does to a carried state.
public func detached(_ x: Variable) -> Variable {
    let t = x.tape, n = t.node(x)
    return t.record(GradientTape.Node(op: .leaf, shape: n.shape, data: n.data, requiresGrad: false))
}
