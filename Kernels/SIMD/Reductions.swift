import BackpropCore
import Foundation

/// Sums are accumulated in vector lanes over blocks of this many elements, and the block sums in
/// Double: the error then grows with the block length, not the array length.
let reductionBlock = 4096

extension SIMDKernels {
    /// Reduces n contiguous values. `mean` returns the sum (the caller divides).
    @inline(__always)
    static func reduceContiguous(_ op: ReduceOp, _ x: UnsafePointer<Float>, _ n: Int) -> Double {
        if op == .max {
            var m0 = Vec(repeating: -.infinity), m1 = m0
            var i = 0
            while i + 32 <= n {
                m0 = VectorMath.maxNaN(m0, VectorMemory.load(x + i))
                m1 = VectorMath.maxNaN(m1, VectorMemory.load(x + i + 16))
                i += 32
            }
            while i + 16 <= n { m0 = VectorMath.maxNaN(m0, VectorMemory.load(x + i)); i += 16 }
            if i < n { m1 = VectorMath.maxNaN(m1, VectorMemory.loadPartial(x + i, n - i, pad: -.infinity)) }
            let m = VectorMath.maxNaN(m0, m1)
            var r = m[0]
            for l in 1..<16 { let v = m[l]; if v.isNaN || r.isNaN { r = .nan } else if v > r { r = v } }
            return Double(r)
        }
        let squares = op == .sumOfSquares
        var total = 0.0
        var start = 0
        while start < n {
            let end = min(n, start + reductionBlock)
            var s0 = Vec(), s1 = Vec()
            var i = start
            if squares {
                while i + 32 <= end {
                    let a = VectorMemory.load(x + i), b = VectorMemory.load(x + i + 16)
                    s0 = s0.addingProduct(a, a); s1 = s1.addingProduct(b, b)
                    i += 32
                }
                while i + 16 <= end { let a = VectorMemory.load(x + i); s0 = s0.addingProduct(a, a); i += 16 }
                if i < end { let a = VectorMemory.loadPartial(x + i, end - i); s1 = s1.addingProduct(a, a) }
            } else {
                while i + 32 <= end {
                    s0 += VectorMemory.load(x + i); s1 += VectorMemory.load(x + i + 16)
                    i += 32
                }
                while i + 16 <= end { s0 += VectorMemory.load(x + i); i += 16 }
                if i < end { s1 += VectorMemory.loadPartial(x + i, end - i) }
            }
            total += Double((s0 + s1).sum())
            start = end
        }
        return total
    }

    public func reduce(_ op: ReduceOp, _ axis: ReduceAxis, _ x: UnsafePointer<Float>, rows: Int, cols: Int,
                       _ out: UnsafeMutablePointer<Float>) {
        let ftz = FlushToZero.enter()
        defer { FlushToZero.restore(ftz) }
        switch axis {
        case .all:
            let n = rows * cols
            if threads == 1 || n < parallelElementThreshold {
                let r = Self.reduceContiguous(op, x, n)
                out[0] = Float(op == .mean ? r / Double(n) : r)
                return
            }
            // The per-thread partials live on the stack (an array here was the one allocation per
            // step of two-thread training: the gradient clipping's norm).
            withUnsafeTemporaryAllocation(of: Double.self, capacity: threads) { partials in
                partials.initialize(repeating: op == .max ? -.infinity : 0)
                let pp = partials.baseAddress!
                pool.forParts(count: n, granule: reductionBlock) { t, r in
                    pp[t] = Self.reduceContiguous(op, x + r.lowerBound, r.count)
                }
                if op == .max {
                    var m = -Double.infinity
                    for v in partials { if v.isNaN || m.isNaN { m = .nan } else if v > m { m = v } }
                    out[0] = Float(m)
                } else {
                    let s = partials.reduce(0, +)
                    out[0] = Float(op == .mean ? s / Double(n) : s)
                }
            }
        case .rows where cols < 16:
            // Narrow rows (a loss over two classes, a [batch, 1] column): a vector horizontal sum
            // per row cost 10x the data; scalar, accumulated in Float64 like the wide path.
            parallelRows(rows, cols) { rr in Self.reduceNarrowRows(op, x, rows: rr, cols: cols, out) }
        case .rows:
            parallelRows(rows, cols) { rr in
                for i in rr {
                    let r = Self.reduceContiguous(op, x + i * cols, cols)
                    out[i] = Float(op == .mean ? r / Double(cols) : r)
                }
            }
        case .columns:
            reduceColumns(op, x, rows: rows, cols: cols, out)
        }
    }

    /// Row reductions of rows narrower than a vector, one scalar loop per row.
    private static func reduceNarrowRows(_ op: ReduceOp, _ x: UnsafePointer<Float>, rows: Range<Int>, cols: Int,
                                         _ out: UnsafeMutablePointer<Float>) {
        for i in rows {
            let xi = x + i * cols
            switch op {
            case .max:
                var r = xi[0]
                for j in 1..<max(cols, 1) { let v = xi[j]; if v.isNaN || r.isNaN { r = .nan } else if v > r { r = v } }
                out[i] = r
            case .sum, .mean, .sumOfSquares:
                var t = 0.0
                if op == .sumOfSquares {
                    for j in 0..<cols { let v = Double(xi[j]); t += v * v }
                } else {
                    for j in 0..<cols { t += Double(xi[j]) }
                }
                out[i] = Float(op == .mean ? t / Double(cols) : t)
            }
        }
    }

    /// Column reductions: each thread owns a band of columns and walks the rows, vector by vector.
    private func reduceColumns(_ op: ReduceOp, _ x: UnsafePointer<Float>, rows: Int, cols: Int, _ out: UnsafeMutablePointer<Float>) {
        // Closure literals passed straight to the call: a closure stored in a variable escapes
        // and allocates its context on every call (caught by the benchmarks' malloc counter).
        if threads == 1 || rows * cols < parallelElementThreshold || cols < 32 {
            Self.reduceColumnBand(op, x, rows: rows, cols: cols, out, band: 0..<cols)
        } else {
            pool.forRanges(count: cols, granule: 16) { band in Self.reduceColumnBand(op, x, rows: rows, cols: cols, out, band: band) }
        }
    }

    /// Column reductions over a band of columns. Accumulators stay in registers for all the rows
    /// (a load-add-store of the output per row measured ~3x slower on 1000x16 bias gradients).
    private static func reduceColumnBand(_ op: ReduceOp, _ x: UnsafePointer<Float>, rows: Int, cols: Int,
                                         _ out: UnsafeMutablePointer<Float>, band: Range<Int>) {
        switch op {
        case .sum, .mean: columnBand(SumCombine(), x, rows: rows, cols: cols, out, band: band)
        case .sumOfSquares: columnBand(SquareSumCombine(), x, rows: rows, cols: cols, out, band: band)
        case .max: columnBand(MaxCombine(), x, rows: rows, cols: cols, out, band: band)
        }
        if op == .mean {
            let inv = 1 / Float(rows)
            for j in band { out[j] *= inv }
        }
    }

    @inline(__always)
    private static func columnBand<C: ColumnCombine>(_ f: C, _ x: UnsafePointer<Float>, rows: Int, cols: Int,
                                                     _ out: UnsafeMutablePointer<Float>, band: Range<Int>) {
        if band.count < 16 && band.count == cols {
            narrowColumns(f, x, rows: rows, cols: cols, out)
            return
        }
        if cols >= 128 {
            // Wide rows: sweep row by row, accumulating into the band of `out` (in L1; a row
            // has ≥ 8 independent vectors, so the load-add-store chains overlap). Walking a
            // column chunk down all rows instead strides by a whole row per step: 64% of the
            // copy roof at 16384x1024, against ~100% this way.
            let o = band.lowerBound, w = band.count
            for j in band { out[j] = C.start }
            for i in 0..<rows { VectorMemory.apply(f, out + o, x + i * cols + o, out + o, w) }
            return
        }
        var j = band.lowerBound
        // Two vectors of columns at a time, then one, then a scalar tail; even and odd rows in
        // separate accumulators (two dependency chains). Every vector column is summed in the
        // same order whichever loop takes it, so results do not depend on the band split.
        while j + 32 <= band.upperBound {
            var a0 = Vec(repeating: C.start), a1 = a0, b0 = a0, b1 = a0
            var p = x + j
            var i = 0
            while i + 2 <= rows {
                a0 = f(a0, VectorMemory.load(p)); a1 = f(a1, VectorMemory.load(p + 16))
                b0 = f(b0, VectorMemory.load(p + cols)); b1 = f(b1, VectorMemory.load(p + cols + 16))
                p += 2 * cols
                i += 2
            }
            if i < rows { a0 = f(a0, VectorMemory.load(p)); a1 = f(a1, VectorMemory.load(p + 16)) }
            VectorMemory.store(f.merge(a0, b0), out + j); VectorMemory.store(f.merge(a1, b1), out + j + 16)
            j += 32
        }
        while j + 16 <= band.upperBound {
            var a0 = Vec(repeating: C.start), b0 = a0
            var p = x + j
            var i = 0
            while i + 2 <= rows {
                a0 = f(a0, VectorMemory.load(p)); b0 = f(b0, VectorMemory.load(p + cols))
                p += 2 * cols
                i += 2
            }
            if i < rows { a0 = f(a0, VectorMemory.load(p)) }
            VectorMemory.store(f.merge(a0, b0), out + j)
            j += 16
        }
        while j < band.upperBound {
            var a = C.start
            var p = x + j
            for _ in 0..<rows { a = f.scalar(a, p[0]); p += cols }
            out[j] = a
            j += 1
        }
    }

    /// Rows narrower than a vector (cols < 16), read as one contiguous array: 16 rows are `cols`
    /// whole vectors, and lane l of vector v always holds column (16·v + l) mod cols, so the
    /// vectors accumulate independently and are folded into columns at the end.
    @inline(__always)
    private static func narrowColumns<C: ColumnCombine>(_ f: C, _ x: UnsafePointer<Float>, rows: Int, cols: Int,
                                                        _ out: UnsafeMutablePointer<Float>) {
        withUnsafeTemporaryAllocation(of: Float.self, capacity: 16 * 16) { buffer in
            let acc = buffer.baseAddress!
            for v in 0..<cols { VectorMemory.store(Vec(repeating: C.start), acc + 16 * v) }
            let blocks = rows / 16
            var p = x
            for _ in 0..<blocks {
                for v in 0..<cols { VectorMemory.store(f(VectorMemory.load(acc + 16 * v), VectorMemory.load(p + 16 * v)), acc + 16 * v) }
                p += 16 * cols
            }
            for j in 0..<cols { out[j] = C.start }
            for e in 0..<(16 * cols) { out[e % cols] = f.mergeScalar(out[e % cols], acc[e]) }
            for _ in (blocks * 16)..<rows {
                for j in 0..<cols { out[j] = f.scalar(out[j], p[j]) }
                p += cols
            }
        }
    }

    /// Softmax of rows narrower than a vector (e.g. 2 or 10 classes). Sixteen rows at a time are
    /// transposed through a stack buffer, so that each vector holds one column of 16 rows: the
    /// maxima, exponentials, sums and logarithms are then whole-vector operations. (Per row, a
    /// scalar libm exp/log cost ~12% of a tiny-network step; a 16-lane exp with a horizontal sum
    /// per row was 8x slower still.) The last rows % 16 rows are scalar.
    static func softmaxNarrow(_ x: UnsafePointer<Float>, _ y: UnsafeMutablePointer<Float>, rows rr: Range<Int>, cols: Int, log: Bool) {
        var i = rr.lowerBound
        withUnsafeTemporaryAllocation(of: Float.self, capacity: 16 * 16) { buffer in
            let t = buffer.baseAddress!
            while i + 16 <= rr.upperBound {
                softmaxBlock(x + i * cols, y + i * cols, cols: cols, log: log, t)
                i += 16
            }
        }
        for r in i..<rr.upperBound {
            let xi = x + r * cols, yi = y + r * cols
            var m = xi[0]
            for j in 1..<cols { let v = xi[j]; if v.isNaN || m.isNaN { m = .nan } else if v > m { m = v } }
            for j in 0..<cols { yi[j] = xi[j] - m }
            var s: Float = 0
            if log {
                for j in 0..<cols { s += Foundation.exp(yi[j]) }
                let l = Foundation.log(s)
                for j in 0..<cols { yi[j] -= l }
            } else {
                for j in 0..<cols { yi[j] = Foundation.exp(yi[j]); s += yi[j] }
                let inv = 1 / s
                for j in 0..<cols { yi[j] *= inv }
            }
        }
    }

    /// Softmax of 16 rows of `cols` < 16 values, through the 16·cols-float buffer `t`. Two
    /// columns (binary classification) get their own copy with constant loop bounds: the scalar
    /// transposes with a run-time `cols` were a quarter of the block's time.
    @inline(never)
    static func softmaxBlock(_ x: UnsafePointer<Float>, _ y: UnsafeMutablePointer<Float>, cols: Int, log: Bool,
                             _ t: UnsafeMutablePointer<Float>) {
        if cols == 2 {
            softmaxBlockBody(x, y, cols: 2, log: log, t)
        } else {
            softmaxBlockBody(x, y, cols: cols, log: log, t)
        }
    }

    @inline(__always)
    static func softmaxBlockBody(_ x: UnsafePointer<Float>, _ y: UnsafeMutablePointer<Float>, cols: Int, log: Bool,
                                 _ t: UnsafeMutablePointer<Float>) {
        // The 16 rows inner (a constant trip count, unrolled): no loop overhead per element.
        for j in 0..<cols {
            let tj = t + 16 * j, xj = x + j
            for l in 0..<16 { tj[l] = xj[l * cols] }
        }
        var m = VectorMemory.load(t)
        for j in 1..<cols { m = VectorMath.maxNaN(m, VectorMemory.load(t + 16 * j)) }
        var s = Vec()
        for j in 0..<cols {
            let z = VectorMemory.load(t + 16 * j) - m
            let e = VectorMath.exp(z)
            s += e
            VectorMemory.store(log ? z : e, t + 16 * j)
        }
        if log {
            let l = VectorMath.log(s)
            for j in 0..<cols { VectorMemory.store(VectorMemory.load(t + 16 * j) - l, t + 16 * j) }
        } else {
            let inv = 1 / s
            for j in 0..<cols { VectorMemory.store(VectorMemory.load(t + 16 * j) * inv, t + 16 * j) }
        }
        for j in 0..<cols {
            let tj = t + 16 * j, yj = y + j
            for l in 0..<16 { yj[l * cols] = tj[l] }
        }
    }

    public func argmax(_ axis: ReduceAxis, _ x: UnsafePointer<Float>, rows: Int, cols: Int, _ out: UnsafeMutablePointer<Int32>) {
        // Scalar: argmax reads class scores (10 columns) for accuracy, far from any hot loop.
        func first(_ n: Int, _ stride: Int, _ p: UnsafePointer<Float>) -> Int32 {
            var best = 0
            var bv = p[0]
            if bv.isNaN { return 0 }
            for i in 1..<max(n, 1) {
                let v = p[i * stride]
                if v.isNaN { return Int32(i) }
                if v > bv { bv = v; best = i }
            }
            return Int32(best)
        }
        switch axis {
        case .all: out[0] = first(rows * cols, 1, x)
        case .rows: for i in 0..<rows { out[i] = first(cols, 1, x + i * cols) }
        case .columns: for j in 0..<cols { out[j] = first(rows, cols, x + j) }
        }
    }

    public func softmax(_ x: UnsafePointer<Float>, _ y: UnsafeMutablePointer<Float>, rows: Int, cols: Int, log: Bool) {
        let ftz = FlushToZero.enter()
        defer { FlushToZero.restore(ftz) }
        if cols < 16 {
            parallelRows(rows, cols) { rr in Self.softmaxNarrow(x, y, rows: rr, cols: cols, log: log) }
            return
        }
        // Passes over each row (in L1), each a specialised vector loop: written as one loop with
        // the exp inline, LLVM scalarised the exp (scalar FMAs in the profile, 4-5 GB/s).
        parallelRows(rows, cols) { rr in
            for i in rr {
                let xi = x + i * cols, yi = y + i * cols
                let m = Float(Self.reduceContiguous(.max, xi, cols))
                if log {
                    let s = VectorMemory.sum(ExpShiftMap(offset: -m), xi, cols, prefetching: cols)  // Σ e^(x − m)
                    VectorMemory.apply(ShiftTwiceMap(a: -m, b: -Foundation.log(s)), xi, yi, cols)   // (x − m) − log s
                } else {
                    let s = VectorMemory.applySum(ExpShiftMap(offset: -m), xi, yi, cols, prefetching: cols)   // e^(x − m), Σ
                    VectorMemory.apply(ScaleMap(alpha: 1 / s), yi, yi, cols)
                }
            }
        }
    }
}

/// How column reductions combine a row into their accumulators (a type, so the loops are
/// specialised and the combination inlined).
protocol ColumnCombine: VectorFunction2 {
    static var start: Float { get }
    func callAsFunction(_ acc: Vec, _ x: Vec) -> Vec
    func scalar(_ acc: Float, _ x: Float) -> Float
    /// Combines two partial accumulators.
    func merge(_ a: Vec, _ b: Vec) -> Vec
    func mergeScalar(_ a: Float, _ b: Float) -> Float
}

struct SumCombine: ColumnCombine {
    static var start: Float { 0 }
    @_transparent func callAsFunction(_ acc: Vec, _ x: Vec) -> Vec { acc + x }
    @_transparent func scalar(_ acc: Float, _ x: Float) -> Float { acc + x }
    @_transparent func merge(_ a: Vec, _ b: Vec) -> Vec { a + b }
    @_transparent func mergeScalar(_ a: Float, _ b: Float) -> Float { a + b }
}

struct SquareSumCombine: ColumnCombine {
    static var start: Float { 0 }
    @_transparent func callAsFunction(_ acc: Vec, _ x: Vec) -> Vec { acc.addingProduct(x, x) }
    @_transparent func scalar(_ acc: Float, _ x: Float) -> Float { acc.addingProduct(x, x) }
    @_transparent func merge(_ a: Vec, _ b: Vec) -> Vec { a + b }
    @_transparent func mergeScalar(_ a: Float, _ b: Float) -> Float { a + b }
}

struct MaxCombine: ColumnCombine {
    static var start: Float { -.infinity }
    @_transparent func callAsFunction(_ acc: Vec, _ x: Vec) -> Vec { VectorMath.maxNaN(acc, x) }
    @_transparent func scalar(_ acc: Float, _ x: Float) -> Float {
        if x.isNaN || acc.isNaN { return .nan }
        return x > acc ? x : acc
    }
    @_transparent func merge(_ a: Vec, _ b: Vec) -> Vec { VectorMath.maxNaN(a, b) }
    @_transparent func mergeScalar(_ a: Float, _ b: Float) -> Float { scalar(a, b) }
}
