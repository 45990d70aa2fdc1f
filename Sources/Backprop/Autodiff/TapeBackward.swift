/// The vector-Jacobian product of every tape operation: given ∂L/∂y of node i, contribute ∂L/∂x
/// to the gradient buffer of each input that needs one. The first contribution to a buffer writes
/// it (`slot(_:)` says which: GEMMs with β = 0, results computed straight into it), later ones add
/// (the total derivative of a value used several times). Every product runs on the backend's
/// kernels; scratch buffers are the node's own and reused between steps.
extension GradientTape {
    func backward(_ i: Int, dy: UnsafeMutablePointer<Float>) {
        let n = nodes[i]
        let b = backend
        let x = n.a >= 0 ? nodes[n.a] : n
        let count = n.count
        switch n.op {
        case .leaf, .constantMask:
            return

        case .matmul(let ta, let tb):
            let y = nodes[n.b]
            let (m, ncols) = (n.rows, n.cols)
            let k = ta ? x.rows : x.cols
            if let (ga, first) = slot(n.a) {
                let beta: Float = first ? 0 : 1
                if !ta {   // dA [m, k] += dC · op(B)ᵀ
                    b.gemm(.none, tb ? .none : .transpose, m: m, n: k, k: ncols, alpha: 1, a: dy, lda: ncols,
                           b: y.data, ldb: y.cols, beta: beta, c: ga, ldc: k)
                } else {   // A stored [k, m]: dA += op(B) · dCᵀ
                    b.gemm(tb ? .transpose : .none, .transpose, m: k, n: m, k: ncols, alpha: 1, a: y.data, lda: y.cols,
                           b: dy, ldb: ncols, beta: beta, c: ga, ldc: m)
                }
            }
            if let (gb, first) = slot(n.b) {
                let beta: Float = first ? 0 : 1
                if !tb {   // dB [k, n] += op(A)ᵀ · dC
                    b.gemm(ta ? .none : .transpose, .none, m: k, n: ncols, k: m, alpha: 1, a: x.data, lda: x.cols,
                           b: dy, ldb: ncols, beta: beta, c: gb, ldc: ncols)
                } else {   // B stored [n, k]: dB += dCᵀ · op(A)
                    b.gemm(.transpose, ta ? .transpose : .none, m: ncols, n: k, k: m, alpha: 1, a: dy, lda: ncols,
                           b: x.data, ldb: x.cols, beta: beta, c: gb, ldc: k)
                }
            }

        case .binary(let op, let bc):
            let y = nodes[n.b]
            let (rows, cols) = (n.rows, n.cols)
            let s = scratch(i, count)
            if op == .max || op == .min {
                if let ga = zeroedSlot(n.a) {
                    maskWhereChosen(op, a: x.data, b: y.data, bc, rows: rows, cols: cols, first: true, dy: dy, into: ga, scratch: s)
                }
                if let (gb, first) = slot(n.b) {
                    b.fill(0, s, count: count)
                    maskWhereChosen(op, a: x.data, b: y.data, bc, rows: rows, cols: cols, first: false, dy: dy, into: s,
                                    scratch: scratch(i, count, slot: 1))
                    reduceBroadcast(s, bc, rows: rows, cols: cols, into: gb, first: first, scratch: i)
                }
                return
            }
            if let (ga, first) = slot(n.a) {
                switch op {
                case .add, .sub: put(dy, into: ga, count, first: first)
                case .mul, .div:   // dy · b, dy / b
                    b.binary(op, dy, y.data, bc, first ? ga : s, rows: rows, cols: cols)
                    if !first { put(s, into: ga, count, first: false) }
                case .max, .min: break
                }
            }
            if let (gb, first) = slot(n.b) {
                switch op {
                case .add, .sub:
                    reduceBroadcast(dy, bc, rows: rows, cols: cols, into: gb, first: first, scratch: i, sign: op == .add ? 1 : -1)
                case .mul:
                    b.binary(.mul, dy, x.data, .none, s, rows: 1, cols: count)
                    reduceBroadcast(s, bc, rows: rows, cols: cols, into: gb, first: first, scratch: i)
                case .div:   // −dy · a / b² = −dy · y / b
                    b.binary(.mul, dy, n.data, .none, s, rows: 1, cols: count)
                    b.binary(.div, s, y.data, bc, s, rows: rows, cols: cols)
                    reduceBroadcast(s, bc, rows: rows, cols: cols, into: gb, first: first, scratch: i, sign: -1)
                case .max, .min: break
                }
            }

        case .scalarRight(let op, let c):
            guard let (ga, first) = slot(n.a) else { return }
            switch op {
            case .add, .sub: put(dy, into: ga, count, first: first)
            case .mul: put(dy, alpha: c, into: ga, count, first: first)
            case .div: put(dy, alpha: 1 / c, into: ga, count, first: first)
            case .max, .min:
                // The gradient goes where x was chosen: x ≥ c for max (x ≤ c for min).
                let s = scratch(i, count)
                var v = c
                b.binary(.sub, x.data, &v, .scalar, s, rows: 1, cols: count)
                if op == .min { b.scale(alpha: -1, s, count: count) }
                b.unary(.activation(.step), s, s, count: count)
                b.binary(.mul, s, dy, .none, first ? ga : s, rows: 1, cols: count)
                if !first { put(s, into: ga, count, first: false) }
            }

        case .scalarLeft(let op, _):
            guard let (ga, first) = slot(n.a) else { return }
            switch op {
            case .sub: put(dy, alpha: -1, into: ga, count, first: first)
            case .div:   // y = c / x: dx = −dy · y / x
                let s = scratch(i, count)
                b.binary(.mul, dy, n.data, .none, s, rows: 1, cols: count)
                b.binary(.div, s, x.data, .none, s, rows: 1, cols: count)
                put(s, alpha: -1, into: ga, count, first: first)
            default: preconditionFailure("scalarLeft \(op)")
            }

        case .unary(let op):
            if op == .sign { _ = zeroedSlot(n.a); return }   // zero almost everywhere
            guard let (ga, first) = slot(n.a) else { return }
            if op == .negate { put(dy, alpha: -1, into: ga, count, first: first); return }
            let t = first ? ga : scratch(i, count)   // computed straight into ga on the first contribution
            switch op {
            case .activation(let f):
                b.activationGradient(f, x: x.data, y: n.data, dy: dy, dx: t, count: count)
            case .exp: b.binary(.mul, dy, n.data, .none, t, rows: 1, cols: count)
            case .log: b.binary(.div, dy, x.data, .none, t, rows: 1, cols: count)
            case .sqrt:
                b.binary(.div, dy, n.data, .none, t, rows: 1, cols: count)
                b.scale(alpha: 0.5, t, count: count)
            case .square:
                b.binary(.mul, dy, x.data, .none, t, rows: 1, cols: count)
                b.scale(alpha: 2, t, count: count)
            case .abs:
                b.unary(.sign, x.data, t, count: count)
                b.binary(.mul, t, dy, .none, t, rows: 1, cols: count)
            case .negate, .sign: break
            }
            if !first { put(t, into: ga, count, first: false) }

        case .power(let p):
            guard let (ga, first) = slot(n.a) else { return }
            let s = scratch(i, count)   // dy · p · y / x
            b.binary(.mul, dy, n.data, .none, s, rows: 1, cols: count)
            b.binary(.div, s, x.data, .none, s, rows: 1, cols: count)
            put(s, alpha: p, into: ga, count, first: first)

        case .softmax(let log):
            guard let (ga, first) = slot(n.a) else { return }
            let (rows, cols) = (n.rows, n.cols)
            let s = scratch(i, count + rows)
            let dots = s + count
            if log {
                // dx = dy − softmax(x) · Σ_j dy_ij
                b.reduce(.sum, .rows, dy, rows: rows, cols: cols, dots)
                b.unary(.exp, n.data, s, count: count)
                b.binary(.mul, s, dots, .column, s, rows: rows, cols: cols)
                if first {
                    b.binary(.sub, dy, s, .none, ga, rows: 1, cols: count)
                } else {
                    b.axpy(alpha: -1, s, ga, count: count)
                    b.axpy(alpha: 1, dy, ga, count: count)
                }
            } else {
                // dx = y ⊙ (dy − Σ_j dy_ij y_ij)
                b.binary(.mul, dy, n.data, .none, s, rows: 1, cols: count)
                b.reduce(.sum, .rows, s, rows: rows, cols: cols, dots)
                b.binary(.sub, dy, dots, .column, s, rows: rows, cols: cols)
                b.binary(.mul, s, n.data, .none, first ? ga : s, rows: 1, cols: count)
                if !first { put(s, into: ga, count, first: false) }
            }

        case .reduce(let op, let axis):
            guard let ga = zeroedSlot(n.a) else { return }
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
            if let (ga, first) = slot(n.a) { put(dy, into: ga, count, first: first) }

        case .transpose:
            guard let (ga, first) = slot(n.a) else { return }
            let t = first ? ga : scratch(i, count)
            b.transpose(dy, rows: n.rows, cols: n.cols, ldx: n.cols, t, ldy: n.rows)
            if !first { put(t, into: ga, count, first: false) }

        case .sliceRows(let start):
            if let ga = zeroedSlot(n.a) { b.axpy(alpha: 1, dy, ga + start * x.cols, count: count) }

        case .sliceColumns(let start):
            guard let ga = zeroedSlot(n.a) else { return }
            for r in 0..<n.rows { b.axpy(alpha: 1, dy + r * n.cols, ga + r * x.cols + start, count: n.cols) }

        case .concatRows:
            if let (ga, first) = slot(n.a) { put(dy, into: ga, x.count, first: first) }
            if let (gb, first) = slot(n.b) { put(dy + x.count, into: gb, nodes[n.b].count, first: first) }

        case .concatColumns:
            let y = nodes[n.b]
            let sa = slot(n.a), sb = slot(n.b)
            for r in 0..<n.rows {
                if let (ga, first) = sa { put(dy + r * n.cols, into: ga + r * x.cols, x.cols, first: first) }
                if let (gb, first) = sb { put(dy + r * n.cols + x.cols, into: gb + r * y.cols, y.cols, first: first) }
            }

        case .gather:
            guard let ga = zeroedSlot(n.a) else { return }
            for (k, row) in ints[n.ints].enumerated() { b.axpy(alpha: 1, dy + k * n.cols, ga + Int(row) * n.cols, count: n.cols) }

        case .scatterAdd:
            guard let (ga, first) = slot(n.a) else { return }
            for (k, row) in ints[n.ints].enumerated() { put(dy + Int(row) * n.cols, into: ga + k * n.cols, n.cols, first: first) }

        case .select:
            let mask = nodes[n.c].data
            let s = scratch(i, count)
            b.binary(.mul, dy, mask, .none, s, rows: 1, cols: count)   // dy · mask
            if let (ga, first) = slot(n.a) { put(s, into: ga, count, first: first) }
            if let (gb, first) = slot(n.b) {   // dy · (1 − mask) = dy − dy · mask
                if first {
                    b.binary(.sub, dy, s, .none, gb, rows: 1, cols: count)
                } else {
                    b.axpy(alpha: 1, dy, gb, count: count)
                    b.axpy(alpha: -1, s, gb, count: count)
                }
            }

        case .dense(let f):
            let w = nodes[n.b]
            let (rows, cols, inputs) = (n.rows, n.cols, x.cols)
            var dz = dy
            let s = scratch(i, count + cols)
            if f != .identity {
                b.activationGradient(f, x: n.data, y: n.data, dy: dy, dx: s, count: count)
                dz = s
            }
            if let (gw, first) = slot(n.b) {   // dW += xᵀ · dz
                b.gemm(.transpose, .none, m: inputs, n: cols, k: rows, alpha: 1, a: x.data, lda: inputs, b: dz, ldb: cols,
                       beta: first ? 0 : 1, c: gw, ldc: cols)
            }
            if let (gc, first) = slot(n.c) {   // db += Σ_rows dz
                if first {
                    b.reduce(.sum, .columns, dz, rows: rows, cols: cols, gc)
                } else {
                    b.reduce(.sum, .columns, dz, rows: rows, cols: cols, s + count)
                    b.axpy(alpha: 1, s + count, gc, count: cols)
                }
            }
            if let (ga, first) = slot(n.a) {   // dx += dz · Wᵀ
                b.gemm(.none, .transpose, m: rows, n: inputs, k: cols, alpha: 1, a: dz, lda: cols, b: w.data, ldb: cols,
                       beta: first ? 0 : 1, c: ga, ldc: inputs)
            }

        case .softmaxCrossEntropy(let reduction):
            guard let (ga, first) = slot(n.a) else { return }
            let cols = x.cols
            let lp = scratch(i, x.count)             // log softmax, from the forward pass
            let s = scratch(i, x.count, slot: 1)
            b.unary(.exp, lp, s, count: x.count)     // softmax
            for (k, l) in ints[n.ints].enumerated() { s[k * cols + Int(l)] -= 1 }
            put(s, alpha: dy[0] * (reduction == .mean ? 1 / Float(x.rows) : 1), into: ga, x.count, first: first)
        }
    }

    /// dst = α·src on the first contribution, dst += α·src after it.
    private func put(_ src: UnsafePointer<Float>, alpha: Float = 1, into dst: UnsafeMutablePointer<Float>, _ count: Int, first: Bool) {
        if !first {
            backend.axpy(alpha: alpha, src, dst, count: count)
        } else if alpha == 1 {
            backend.copy(src, dst, count: count)
        } else {
            var a = alpha
            backend.binary(.mul, src, &a, .scalar, dst, rows: 1, cols: count)
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

    /// Contributes `sign` · `s` ([rows, cols], an elementwise ∂/∂b) summed over the axes `b` was
    /// broadcast along to `gb`.
    private func reduceBroadcast(_ s: UnsafePointer<Float>, _ bc: Broadcast, rows: Int, cols: Int,
                                 into gb: UnsafeMutablePointer<Float>, first: Bool, scratch i: Int, sign: Float = 1) {
        let b = backend
        let axis: ReduceAxis
        let n: Int
        switch bc {
        case .none: put(s, alpha: sign, into: gb, rows * cols, first: first); return
        case .scalar: (axis, n) = (.all, 1)
        case .row: (axis, n) = (.columns, cols)
        case .column: (axis, n) = (.rows, rows)
        }
        if first {
            b.reduce(.sum, axis, s, rows: rows, cols: cols, gb)
            if sign != 1 { b.scale(alpha: sign, gb, count: n) }
        } else {
            let t = scratch(i, n, slot: 2)
            b.reduce(.sum, axis, s, rows: rows, cols: cols, t)
            b.axpy(alpha: sign, t, gb, count: n)
        }
    }
}
