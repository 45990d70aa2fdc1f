extension SIMDKernels {
    /// The fused GRU step: per batch row, 16 hidden units at a time, r, z, n and h in registers —
    /// one read of both gate projections and hPrev, one write of the activations and h. Rows are
    /// split across the pool for large batches.
    public func gruCellForward(inputGates: UnsafeMutablePointer<Float>, hiddenGates: UnsafePointer<Float>, hPrev: UnsafePointer<Float>,
                               h: UnsafeMutablePointer<Float>, batch: Int, hidden: Int) {
        guard batch > 0, hidden > 0 else { return }
        let ftz = FlushToZero.enter()
        defer { FlushToZero.restore(ftz) }
        parallelRows(batch, 3 * hidden, threshold: cellParallelThreshold) { rows in
            for b in rows {
                let x = inputGates + b * 3 * hidden, g = hiddenGates + b * 3 * hidden, k = b * hidden
                var j = 0
                while j < hidden {
                    let n = min(16, hidden - j)
                    let r = VectorMath.sigmoid(LSTMLanes.load(x + j, n) + LSTMLanes.load(g + j, n))
                    let z = VectorMath.sigmoid(LSTMLanes.load(x + hidden + j, n) + LSTMLanes.load(g + hidden + j, n))
                    let c = VectorMath.tanh(VectorMath.fma(r, LSTMLanes.load(g + 2 * hidden + j, n), LSTMLanes.load(x + 2 * hidden + j, n)))
                    let hp = LSTMLanes.load(hPrev + k + j, n)
                    LSTMLanes.store(r, x + j, n)
                    LSTMLanes.store(z, x + hidden + j, n)
                    LSTMLanes.store(c, x + 2 * hidden + j, n)
                    LSTMLanes.store(VectorMath.fma(z, hp - c, c), h + k + j, n)
                    j += 16
                }
            }
        }
    }

    /// The fused GRU step's backward, 16 hidden units at a time (formulas in the protocol).
    public func gruCellBackward(gates: UnsafePointer<Float>, hiddenGates: UnsafePointer<Float>, hPrev: UnsafePointer<Float>,
                                dh: UnsafePointer<Float>, dInputGates: UnsafeMutablePointer<Float>,
                                dHiddenGates: UnsafeMutablePointer<Float>, dhPrev: UnsafeMutablePointer<Float>, batch: Int, hidden: Int) {
        guard batch > 0, hidden > 0 else { return }
        let ftz = FlushToZero.enter()
        defer { FlushToZero.restore(ftz) }
        parallelRows(batch, 3 * hidden, threshold: cellParallelThreshold) { rows in
            for b in rows {
                let a = gates + b * 3 * hidden, g = hiddenGates + b * 3 * hidden, k = b * hidden
                let dx = dInputGates + b * 3 * hidden, dg = dHiddenGates + b * 3 * hidden
                var j = 0
                while j < hidden {
                    let n = min(16, hidden - j)
                    let r = LSTMLanes.load(a + j, n), z = LSTMLanes.load(a + hidden + j, n), c = LSTMLanes.load(a + 2 * hidden + j, n)
                    let d = LSTMLanes.load(dh + k + j, n), hp = LSTMLanes.load(hPrev + k + j, n)
                    let one = Vec(repeating: 1)
                    let dn = d * (one - z) * (one - c * c)
                    let dz = d * (hp - c) * z * (one - z)
                    let dr = dn * LSTMLanes.load(g + 2 * hidden + j, n) * r * (one - r)
                    LSTMLanes.store(dr, dx + j, n)
                    LSTMLanes.store(dz, dx + hidden + j, n)
                    LSTMLanes.store(dn, dx + 2 * hidden + j, n)
                    LSTMLanes.store(dr, dg + j, n)
                    LSTMLanes.store(dz, dg + hidden + j, n)
                    LSTMLanes.store(dn * r, dg + 2 * hidden + j, n)
                    LSTMLanes.store(d * z, dhPrev + k + j, n)
                    j += 16
                }
            }
        }
    }
}
