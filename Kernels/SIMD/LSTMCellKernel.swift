import CIntrinsics
/// The fused recurrent cells split their rows between threads from 4096 gate values on: each
/// value costs a sigmoid or tanh, so a step of a batch of 32 at hidden 256 (32 768 values, below
/// the memory-bound kernels' threshold) is worth two threads.
let cellParallelThreshold = 1 << 12

extension SIMDKernels {
    /// The fused LSTM step: per batch row, 16 hidden units at a time, the four gate activations,
    /// the cell update and h in registers — one read of z and cPrev, one write of each output.
    /// Rows are split across the pool for large batches.
    public func lstmCellForward(gates: UnsafeMutablePointer<Float>, cPrev: UnsafePointer<Float>, c: UnsafeMutablePointer<Float>,
                                tanhC: UnsafeMutablePointer<Float>, h: UnsafeMutablePointer<Float>, batch: Int, hidden: Int) {
        guard batch > 0, hidden > 0 else { return }
        let ftz = FlushToZero.enter()
        defer { FlushToZero.restore(ftz) }
        parallelRows(batch, 4 * hidden, threshold: cellParallelThreshold) { rows in
            for b in rows {
                let z = gates + b * 4 * hidden, k = b * hidden
                var j = 0
                while j < hidden {
                    let n = min(16, hidden - j)
                    let i = VectorMath.sigmoid(LSTMLanes.load(z + j, n))
                    let f = VectorMath.sigmoid(LSTMLanes.load(z + hidden + j, n))
                    let g = VectorMath.tanh(LSTMLanes.load(z + 2 * hidden + j, n))
                    let o = VectorMath.sigmoid(LSTMLanes.load(z + 3 * hidden + j, n))
                    let cNew = VectorMath.fma(f, LSTMLanes.load(cPrev + k + j, n), i * g)
                    let t = VectorMath.tanh(cNew)
                    LSTMLanes.store(i, z + j, n)
                    LSTMLanes.store(f, z + hidden + j, n)
                    LSTMLanes.store(g, z + 2 * hidden + j, n)
                    LSTMLanes.store(o, z + 3 * hidden + j, n)
                    LSTMLanes.store(cNew, c + k + j, n)
                    LSTMLanes.store(t, tanhC + k + j, n)
                    LSTMLanes.store(o * t, h + k + j, n)
                    j += 16
                }
            }
        }
    }

    /// The fused LSTM step's backward, 16 hidden units at a time (formulas in the protocol).
    public func lstmCellBackward(gates: UnsafePointer<Float>, cPrev: UnsafePointer<Float>, tanhC: UnsafePointer<Float>,
                                 dh: UnsafePointer<Float>, dc: UnsafeMutablePointer<Float>, dGates: UnsafeMutablePointer<Float>,
                                 batch: Int, hidden: Int) {
        guard batch > 0, hidden > 0 else { return }
        let ftz = FlushToZero.enter()
        defer { FlushToZero.restore(ftz) }
        parallelRows(batch, 4 * hidden, threshold: cellParallelThreshold) { rows in
            for b in rows {
                let a = gates + b * 4 * hidden, d = dGates + b * 4 * hidden, k = b * hidden
                // The activations of four rows ahead, a cache line of each stream per 16 units:
                // they were written a whole forward pass ago and come from memory, four gate
                // streams plus tanh c and cPrev, more than the hardware prefetcher keeps ahead.
                // Four rows rather than two: the character LSTM +2.9% on one Zen 4 thread (two
                // sets of six paired rounds, 10 of 12 faster); eight were no better than four.
                let ahead = b + 4 < rows.upperBound ? 4 * 4 * hidden : 0, aheadK = b + 4 < rows.upperBound ? 4 * hidden : 0
                var j = 0
                while j < hidden {
                    let n = min(16, hidden - j)
                    if ahead != 0 {
                        let p = UnsafeRawPointer(a + ahead + j)
                        backprop_prefetch_read(p); backprop_prefetch_read(p + 4 * hidden)
                        backprop_prefetch_read(p + 8 * hidden); backprop_prefetch_read(p + 12 * hidden)
                        backprop_prefetch_read(UnsafeRawPointer(tanhC + k + aheadK + j))
                        backprop_prefetch_read(UnsafeRawPointer(cPrev + k + aheadK + j))
                    }
                    let i = LSTMLanes.load(a + j, n), f = LSTMLanes.load(a + hidden + j, n)
                    let g = LSTMLanes.load(a + 2 * hidden + j, n), o = LSTMLanes.load(a + 3 * hidden + j, n)
                    let t = LSTMLanes.load(tanhC + k + j, n), dhv = LSTMLanes.load(dh + k + j, n)
                    let one = Vec(repeating: 1)
                    let dcTotal = VectorMath.fma(dhv * o, one - t * t, LSTMLanes.load(dc + k + j, n))
                    LSTMLanes.store(dcTotal * g * i * (one - i), d + j, n)
                    LSTMLanes.store(dcTotal * LSTMLanes.load(cPrev + k + j, n) * f * (one - f), d + hidden + j, n)
                    LSTMLanes.store(dcTotal * i * (one - g * g), d + 2 * hidden + j, n)
                    LSTMLanes.store(dhv * t * o * (one - o), d + 3 * hidden + j, n)
                    LSTMLanes.store(dcTotal * f, dc + k + j, n)
                    j += 16
                }
            }
        }
    }
}

/// Loads and stores of up to 16 lanes: whole vectors when they fit, the partial path at a row's end.
enum LSTMLanes {
    @inline(__always)
    static func load(_ p: UnsafePointer<Float>, _ n: Int) -> Vec { n == 16 ? VectorMemory.load(p) : VectorMemory.loadPartial(p, n) }

    @inline(__always)
    static func store(_ v: Vec, _ p: UnsafeMutablePointer<Float>, _ n: Int) {
        if n == 16 { VectorMemory.store(v, p) } else { VectorMemory.storePartial(v, p, n) }
    }
}
