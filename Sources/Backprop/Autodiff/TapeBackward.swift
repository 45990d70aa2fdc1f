/// The vector-Jacobian product of every tape operation: given ∂L/∂y of node i, add ∂L/∂x into
/// the gradient buffer of each input that needs one. Every product runs on the backend's kernels
/// (scratch buffers are the node's own and reused between steps).
extension GradientTape {
    func backward(_ i: Int, dy: UnsafeMutablePointer<Float>) {
        let n = nodes[i]
        let b = backend
        let ga = gradient(n.a), gb = gradient(n.b)
        let x = n.a >= 0 ? nodes[n.a] : n
        let count = n.count
        /// dst += src over `k` values.
        func add(_ src: UnsafePointer<Float>, into dst: UnsafeMutablePointer<Float>, _ k: Int) {
            b.axpy(alpha: 1, src, dst, count: k)
        }
        switch n.op {
        case .leaf, .constantMask:
            return

        case .matmul(let ta, let tb):
            let y = nodes[n.b]
            let (m, ncols) = (n.rows, n.cols)
            let k = ta ? x.rows : x.cols
            if let ga {
                if !ta {   // dA [m, k] += dC · op(B)ᵀ
                    b.gemm(.none, tb ? .none : .transpose, m: m, n: k, k: ncols, alpha: 1, a: dy, lda: ncols,
                           b: y.data, ldb: y.cols, beta: 1, c: ga, ldc: k)
                } else {   // A stored [k, m]: dA += op(B) · dCᵀ
                    b.gemm(tb ? .transpose : .none, .transpose, m: k, n: m, k: ncols, alpha: 1, a: y.data, lda: y.cols,
                           b: dy, ldb: ncols, beta: 1, c: ga, ldc: m)
                }
            }
            if let gb {
                if !tb {   // dB [k, n] += op(A)ᵀ · dC
                    b.gemm(ta ? .none : .transpose, .none, m: k, n: ncols, k: m, alpha: 1, a: x.data, lda: x.cols,
                           b: dy, ldb: ncols, beta: 1, c: gb, ldc: ncols)
                } else {   // B stored [n, k]: dB += dCᵀ · op(A)
                    b.gemm(.transpose, ta ? .transpose : .none, m: ncols, n: k, k: m, alpha: 1, a: dy, lda: ncols,
                           b: x.data, ldb: x.cols, beta: 1, c: gb, ldc: k)
                }
            }

        case .binary(let op, let bc):
            let y = nodes[n.b]
            let (rows, cols) = (n.rows, n.cols)
            let s = scratch(i, count)
            // The a-side contribution.
            if let ga {
                switch op {
                case .add, .sub: add(dy, into: ga, count)
                case .mul: b.binary(.mul, dy, y.data, bc, s, rows: rows, cols: cols); add(s, into: ga, count)
                case .div: b.binary(.div, dy, y.data, bc, s, rows: rows, cols: cols); add(s, into: ga, count)
                case .max, .min:
                    maskWhereChosen(op, a: x.data, b: y.data, bc, rows: rows, cols: cols, first: true, dy: dy, into: ga, scratch: s)
                }
            }
            if let gb {
                // ∂/∂b elementwise, then summed over the broadcast axes.
                switch op {
                case .add, .sub:
                    if bc == .none {
                        b.axpy(alpha: op == .add ? 1 : -1, dy, gb, count: count)
                    } else {
                        reduceBroadcast(dy, bc, rows: rows, cols: cols, into: gb, scratch: i, sign: op == .add ? 1 : -1)
                    }
                    return
                case .mul: b.binary(.mul, dy, x.data, .none, s, rows: 1, cols: count)
                case .div:   // −dy · a / b² = −dy · y / b
                    b.binary(.mul, dy, n.data, .none, s, rows: 1, cols: count)
                    b.binary(.div, s, y.data, bc, s, rows: rows, cols: cols)
                    b.scale(alpha: -1, s, count: count)
                case .max, .min:
                    b.fill(0, s, count: count)
                    maskWhereChosen(op, a: x.data, b: y.data, bc, rows: rows, cols: cols, first: false, dy: dy, into: s, scratch: scratch(i, count, slot: 1))
                }
                reduceBroadcast(s, bc, rows: rows, cols: cols, into: gb, scratch: i)
            }

        case .scalarRight(let op, let c):
            guard let ga else { return }
            let s = scratch(i, count)
            var v = c
            switch op {
            case .add, .sub: add(dy, into: ga, count)
            case .mul: b.axpy(alpha: c, dy, ga, count: count)
            case .div: b.axpy(alpha: 1 / c, dy, ga, count: count)
            case .max, .min:
                // The gradient goes where x was chosen: x ≥ c for max (x ≤ c for min).
                b.binary(.sub, x.data, &v, .scalar, s, rows: 1, cols: count)
                if op == .min { b.scale(alpha: -1, s, count: count) }
                b.unary(.activation(.step), s, s, count: count)
                b.binary(.mul, s, dy, .none, s, rows: 1, cols: count)
                add(s, into: ga, count)
            }

        case .scalarLeft(let op, _):
            guard let ga else { return }
            switch op {
            case .sub: b.axpy(alpha: -1, dy, ga, count: count)
            case .div:   // y = c / x: dx = −dy · y / x
                let s = scratch(i, count)
                b.binary(.mul, dy, n.data, .none, s, rows: 1, cols: count)
                b.binary(.div, s, x.data, .none, s, rows: 1, cols: count)
                b.axpy(alpha: -1, s, ga, count: count)
            default: preconditionFailure("scalarLeft \(op)")
            }

        case .unary(let op):
            guard let ga else { return }
            let s = scratch(i, count)
            switch op {
            case .activation(let f):
                b.activationGradient(f, x: x.data, y: n.data, dy: dy, dx: s, count: count)
            case .exp: b.binary(.mul, dy, n.data, .none, s, rows: 1, cols: count)
            case .log: b.binary(.div, dy, x.data, .none, s, rows: 1, cols: count)
            case .sqrt:
                b.binary(.div, dy, n.data, .none, s, rows: 1, cols: count)
                b.scale(alpha: 0.5, s, count: count)
            case .square:
                b.binary(.mul, dy, x.data, .none, s, rows: 1, cols: count)
                b.scale(alpha: 2, s, count: count)
            case .abs:
                b.unary(.sign, x.data, s, count: count)
                b.binary(.mul, s, dy, .none, s, rows: 1, cols: count)
            case .negate:
                b.axpy(alpha: -1, dy, ga, count: count)
                return
            case .sign:
                return
            }
            add(s, into: ga, count)

        case .power(let p):
            guard let ga else { return }
            let s = scratch(i, count)   // dy · p · y / x
            b.binary(.mul, dy, n.data, .none, s, rows: 1, cols: count)
            b.binary(.div, s, x.data, .none, s, rows: 1, cols: count)
            b.axpy(alpha: p, s, ga, count: count)

        case .softmax(let log):
            guard let ga else { return }
            let (rows, cols) = (n.rows, n.cols)
            let s = scratch(i, count + rows)
            let dots = s + count
            if log {
                // dx = dy − softmax(x) · Σ_j dy_ij
                b.reduce(.sum, .rows, dy, rows: rows, cols: cols, dots)
                b.unary(.exp, n.data, s, count: count)
                b.binary(.mul, s, dots, .column, s, rows: rows, cols: cols)
                b.axpy(alpha: -1, s, ga, count: count)
                add(dy, into: ga, count)
            } else {
                // dx = y ⊙ (dy − Σ_j dy_ij y_ij)
                b.binary(.mul, dy, n.data, .none, s, rows: 1, cols: count)
                b.reduce(.sum, .rows, s, rows: rows, cols: cols, dots)
                b.binary(.sub, dy, dots, .column, s, rows: rows, cols: cols)
                b.binary(.mul, s, n.data, .none, s, rows: 1, cols: count)
                add(s, into: ga, count)
            }

        case .reduce(let op, let axis):
            guard let ga else { return }
            let (rows, cols) = (x.rows, x.cols)
            switch op {
            case .sum, .mean:
                let bc: Broadcast = axis == .all ? .scalar : (axis == .rows ? .column : .row)
                if op == .sum {
                    b.binary(.add, ga, dy, bc, ga, rows: rows, cols: cols)
                } else {
                    let n = axis == .all ? rows * cols : (axis == .rows ? cols : rows)
                    let s = scratch(i, count)
                    b.copy(dy, s, count: count)
                    b.scale(alpha: 1 / Float(n), s, count: count)
                    b.binary(.add, ga, s, bc, ga, rows: rows, cols: cols)
                }
            case .max:
                // The gradient goes to the first largest element of each reduced group.
                let groups = axis.outputCount(rows: rows, cols: cols)
                if indexScratch.count < groups { indexScratch = [Int32](repeating: 0, count: groups) }
                indexScratch.withUnsafeMutableBufferPointer { idx in
                    b.argmax(axis, x.data, rows: rows, cols: cols, idx.baseAddress!)
                    for g in 0..<groups {
                        let at: Int
                        switch axis {
                        case .all: at = Int(idx[0])
                        case .rows: at = g * cols + Int(idx[g])
                        case .columns: at = Int(idx[g]) * cols + g
                        }
                        ga[at] += dy[g]
                    }
                }
            case .sumOfSquares:
                preconditionFailure("reduce sumOfSquares is not recorded")
            }

        case .reshape:
            if let ga { add(dy, into: ga, count) }

        case .transpose:
            guard let ga else { return }
            let s = scratch(i, count)
            b.transpose(dy, rows: n.rows, cols: n.cols, ldx: n.cols, s, ldy: n.rows)
            add(s, into: ga, count)

        case .sliceRows(let start):
            if let ga { add(dy, into: ga + start * x.cols, count) }

        case .sliceColumns(let start):
            guard let ga else { return }
            for r in 0..<n.rows { b.axpy(alpha: 1, dy + r * n.cols, ga + r * x.cols + start, count: n.cols) }

        case .concatRows:
            if let ga { add(dy, into: ga, x.count) }
            if let gb { add(dy + x.count, into: gb, nodes[n.b].count) }

        case .concatColumns:
            let y = nodes[n.b]
            for r in 0..<n.rows {
                if let ga { b.axpy(alpha: 1, dy + r * n.cols, ga + r * x.cols, count: x.cols) }
                if let gb { b.axpy(alpha: 1, dy + r * n.cols + x.cols, gb + r * y.cols, count: y.cols) }
            }

        case .gather:
            guard let ga else { return }
            for (k, row) in ints[n.ints].enumerated() { b.axpy(alpha: 1, dy + k * n.cols, ga + Int(row) * n.cols, count: n.cols) }

        case .scatterAdd:
            guard let ga else { return }
            for (k, row) in ints[n.ints].enumerated() { b.axpy(alpha: 1, dy + Int(row) * n.cols, ga + k * n.cols, count: n.cols) }

        case .select:
            let mask = nodes[n.c].data
            let s = scratch(i, count)
            b.binary(.mul, dy, mask, .none, s, rows: 1, cols: count)
            if let ga { add(s, into: ga, count) }
            if let gb {   // dy · (1 − mask) = dy − dy · mask
                add(dy, into: gb, count)
                b.axpy(alpha: -1, s, gb, count: count)
            }

        case .dense(let f):
            let w = nodes[n.b]
            let gc = gradient(n.c)
            let (rows, cols, inputs) = (n.rows, n.cols, x.cols)
            var dz = dy
            let s = scratch(i, count + cols)
            if f != .identity {
                b.activationGradient(f, x: n.data, y: n.data, dy: dy, dx: s, count: count)
                dz = s
            }
            if let gb {   // dW += xᵀ · dz
                b.gemm(.transpose, .none, m: inputs, n: cols, k: rows, alpha: 1, a: x.data, lda: inputs, b: dz, ldb: cols,
                       beta: 1, c: gb, ldc: cols)
            }
            if let gc {   // db += Σ_rows dz
                b.reduce(.sum, .columns, dz, rows: rows, cols: cols, s + count)
                add(s + count, into: gc, cols)
            }
            if let ga {   // dx += dz · Wᵀ
                b.gemm(.none, .transpose, m: rows, n: inputs, k: cols, alpha: 1, a: dz, lda: cols, b: w.data, ldb: cols,
                       beta: 1, c: ga, ldc: inputs)
            }

        case .softmaxCrossEntropy(let reduction):
            guard let ga else { return }
            let (rows, cols) = (x.rows, x.cols)
            let lp = scratch(i, x.count)             // log softmax, from the forward pass
            let s = scratch(i, x.count, slot: 1)
            b.unary(.exp, lp, s, count: x.count)     // softmax
            for (k, l) in ints[n.ints].enumerated() { s[k * cols + Int(l)] -= 1 }
            b.axpy(alpha: dy[0] * (reduction == .mean ? 1 / Float(rows) : 1), s, ga, count: x.count)
        }
    }

    /// Adds dy into `into` where `a` (first) or `b` (not first) was the chosen operand of max/min
    /// (ties go to `a`).
    private func maskWhereChosen(_ op: BinaryOp, a: UnsafePointer<Float>, b bData: UnsafePointer<Float>, _ bc: Broadcast,
                                 rows: Int, cols: Int, first: Bool, dy: UnsafePointer<Float>,
                                 into: UnsafeMutablePointer<Float>, scratch s: UnsafeMutablePointer<Float>) {
        let b = backend, count = rows * cols
        b.binary(.sub, a, bData, bc, s, rows: rows, cols: cols)            // a − b
        if op == .min { b.scale(alpha: -1, s, count: count) }
        b.unary(.activation(.step), s, s, count: count)                    // [a chosen]
        if !first {                                                         // [b chosen] = 1 − [a chosen]
            var one: Float = 1
            b.scale(alpha: -1, s, count: count)
            b.binary(.add, s, &one, .scalar, s, rows: 1, cols: count)
        }
        b.binary(.mul, s, dy, .none, s, rows: 1, cols: count)
        b.axpy(alpha: 1, s, into, count: count)
    }

    /// Sums `s` ([rows, cols], an elementwise ∂/∂b) over the axes `b` was broadcast along, into `gb`.
    private func reduceBroadcast(_ s: UnsafePointer<Float>, _ bc: Broadcast, rows: Int, cols: Int,
                                 into gb: UnsafeMutablePointer<Float>, scratch i: Int, sign: Float = 1) {
        let b = backend
        switch bc {
        case .none: b.axpy(alpha: sign, s, gb, count: rows * cols)
        case .scalar:
            var total: Float = 0
            b.reduce(.sum, .all, s, rows: rows, cols: cols, &total)
            b.axpy(alpha: sign, &total, gb, count: 1)
        case .row:
            let t = scratch(i, cols, slot: 2)
            b.reduce(.sum, .columns, s, rows: rows, cols: cols, t)
            b.axpy(alpha: sign, t, gb, count: cols)
        case .column:
            let t = scratch(i, rows, slot: 2)
            b.reduce(.sum, .rows, s, rows: rows, cols: cols, t)
            b.axpy(alpha: sign, t, gb, count: rows)
        }
    }
}
