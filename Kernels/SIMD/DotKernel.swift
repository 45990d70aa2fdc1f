import BackpropCore

/// GEMM for a very narrow C (n ≤ 4 columns, e.g. the 2 outputs of a tiny network), vectorised
/// along k instead of along the columns of C.
///
/// The 6x16 microkernel puts the columns of C in vector lanes: with n = 2 it wastes 14 of every
/// 16 lanes. Here each element of C is a dot product of a row of A with a column of B, both
/// contiguous in k (B is transposed into the workspace once, or read in place when the caller
/// passes Bᵀ), accumulated in `SIMD8` lanes and summed across the lanes at the end. Tiles of
/// 5 rows × 2 columns (2 × 5 for n = 3, 4) keep ten accumulators in registers: per 8 values of
/// k, 7 loads and 10 FMAs with every lane used.
/// Measured here (one thread, against the 6x16 path): 128x128·128x2 4.6x faster (3.4x OpenBLAS),
/// 128x128·128x4 1.9x, 1000x16·16x2 1.8x. At n = 7…10 the lane sums at the end of each tile
/// cost more than the wasted lanes (n = 10: 0.93x; n = 7: 0.68x): there `NarrowKernel` takes
/// the first 8 columns and this kernel only the rest.
enum DotKernel {
    typealias V8 = SIMD8<Float>

    /// Whether C = op(A)·op(B) should take this path. It does not depend on m, so every band of
    /// rows of a multithreaded GEMM takes the same path.
    static func applies(_ transA: Transpose, n: Int, k: Int) -> Bool {
        transA == .none && n <= 4 && k >= 8
    }

    /// C = alpha·A·op(B) + beta·C for a row-major A (m×k): a transposed B is read in place (its
    /// rows are the columns of op(B), contiguous in k); otherwise op(B)ᵀ is written to
    /// `scratch` (n·k floats) first.
    static func gemm(_ transB: Transpose, m: Int, n: Int, k: Int, alpha: Float, a: UnsafePointer<Float>, lda: Int,
                     b: UnsafePointer<Float>, ldb: Int, beta: Float, c: UnsafeMutablePointer<Float>, ldc: Int,
                     scratch: UnsafeMutablePointer<Float>) {
        if transB == .transpose {
            gemm(m: m, n: n, k: k, alpha: alpha, a: a, lda: lda, bt: b, ldbt: ldb, beta: beta, c: c, ldc: ldc)
            return
        }
        for p in 0..<k {
            let row = b + p * ldb
            for j in 0..<n { scratch[j * k + p] = row[j] }
        }
        gemm(m: m, n: n, k: k, alpha: alpha, a: a, lda: lda, bt: scratch, ldbt: k, beta: beta, c: c, ldc: ldc)
    }

    /// C = alpha·A·Bᵀ + beta·C for a row-major A (m×k) and `bt` = Bᵀ (n×k, row-major).
    static func gemm(m: Int, n: Int, k: Int, alpha: Float, a: UnsafePointer<Float>, lda: Int,
                     bt: UnsafePointer<Float>, ldbt: Int, beta: Float, c: UnsafeMutablePointer<Float>, ldc: Int) {
        if n <= 2 {
            var i = 0
            while i < m {
                tile5x2(k: k, a: a + i * lda, lda: lda, rows: min(5, m - i), bt: bt, ldbt: ldbt, cols: n,
                        alpha: alpha, beta: beta, c: c + i * ldc, ldc: ldc)
                i += 5
            }
        } else {
            var i = 0
            while i < m {
                var j = 0
                while j < n {
                    tile2x5(k: k, a: a + i * lda, lda: lda, rows: min(2, m - i), bt: bt + j * ldbt, ldbt: ldbt,
                            cols: min(5, n - j), alpha: alpha, beta: beta, c: c + i * ldc + j, ldc: ldc)
                    j += 5
                }
                i += 2
            }
        }
    }

    /// The first n < 8 floats at p, the other lanes 0 (both operands of a k tail are padded with
    /// zeros, so the padding adds 0·0 and no Inf·0).
    @inline(__always)
    static func loadTail(_ p: UnsafePointer<Float>, _ n: Int) -> V8 {
        withUnsafeTemporaryAllocation(of: Float.self, capacity: 8) { b in
            let t = b.baseAddress!
            UnsafeMutableRawPointer(t).storeBytes(of: V8(), as: V8.self)
            for i in 0..<n { t[i] = p[i] }
            return UnsafeRawPointer(t).load(as: V8.self)
        }
    }

    @inline(__always)
    static func load(_ p: UnsafePointer<Float>) -> V8 { UnsafeRawPointer(p).loadUnaligned(as: V8.self) }

    @inline(__always)
    static func put(_ v: Float, _ c: UnsafeMutablePointer<Float>, _ alpha: Float, _ beta: Float) {
        c.pointee = beta == 0 ? alpha * v : (alpha * v).addingProduct(beta, c.pointee)
    }

    /// Rows i..<i+rows (≤ 2) × columns j..<j+cols (≤ 5). Missing rows and columns repeat the
    /// first one and are not written.
    @inline(never)
    static func tile2x5(k: Int, a: UnsafePointer<Float>, lda: Int, rows: Int, bt: UnsafePointer<Float>, ldbt: Int,
                        cols: Int, alpha: Float, beta: Float, c: UnsafeMutablePointer<Float>, ldc: Int) {
        let a0 = a, a1 = rows > 1 ? a + lda : a
        let b0 = bt, b1 = cols > 1 ? bt + ldbt : bt, b2 = cols > 2 ? bt + 2 * ldbt : bt
        let b3 = cols > 3 ? bt + 3 * ldbt : bt, b4 = cols > 4 ? bt + 4 * ldbt : bt
        var s00 = V8(), s01 = V8(), s02 = V8(), s03 = V8(), s04 = V8()
        var s10 = V8(), s11 = V8(), s12 = V8(), s13 = V8(), s14 = V8()
        @inline(__always) func step(_ x0: V8, _ x1: V8, _ y0: V8, _ y1: V8, _ y2: V8, _ y3: V8, _ y4: V8) {
            s00 = s00.addingProduct(x0, y0); s01 = s01.addingProduct(x0, y1); s02 = s02.addingProduct(x0, y2)
            s03 = s03.addingProduct(x0, y3); s04 = s04.addingProduct(x0, y4)
            s10 = s10.addingProduct(x1, y0); s11 = s11.addingProduct(x1, y1); s12 = s12.addingProduct(x1, y2)
            s13 = s13.addingProduct(x1, y3); s14 = s14.addingProduct(x1, y4)
        }
        var p = 0
        while p + 8 <= k {
            step(load(a0 + p), load(a1 + p), load(b0 + p), load(b1 + p), load(b2 + p), load(b3 + p), load(b4 + p))
            p += 8
        }
        if p < k {
            let r = k - p
            step(loadTail(a0 + p, r), loadTail(a1 + p, r), loadTail(b0 + p, r), loadTail(b1 + p, r),
                 loadTail(b2 + p, r), loadTail(b3 + p, r), loadTail(b4 + p, r))
        }
        let x = SIMD4(s00.sum(), s01.sum(), s02.sum(), s03.sum()), y = SIMD4(s04.sum(), s10.sum(), s11.sum(), s12.sum()), z = SIMD2(s13.sum(), s14.sum())
        let r0 = [x[0], x[1], x[2], x[3], y[0]] as InlineArray<5, Float>
        let r1 = [y[1], y[2], y[3], z[0], z[1]] as InlineArray<5, Float>
        for j in 0..<cols { put(r0[j], c + j, alpha, beta) }
        if rows > 1 { for j in 0..<cols { put(r1[j], c + ldc + j, alpha, beta) } }
    }

    /// Rows i..<i+rows (≤ 5) × columns 0..<cols (≤ 2).
    @inline(never)
    static func tile5x2(k: Int, a: UnsafePointer<Float>, lda: Int, rows: Int, bt: UnsafePointer<Float>, ldbt: Int,
                        cols: Int, alpha: Float, beta: Float, c: UnsafeMutablePointer<Float>, ldc: Int) {
        let a0 = a, a1 = rows > 1 ? a + lda : a, a2 = rows > 2 ? a + 2 * lda : a
        let a3 = rows > 3 ? a + 3 * lda : a, a4 = rows > 4 ? a + 4 * lda : a
        let b0 = bt, b1 = cols > 1 ? bt + ldbt : bt
        var s00 = V8(), s10 = V8(), s20 = V8(), s30 = V8(), s40 = V8()
        var s01 = V8(), s11 = V8(), s21 = V8(), s31 = V8(), s41 = V8()
        @inline(__always) func step(_ x0: V8, _ x1: V8, _ x2: V8, _ x3: V8, _ x4: V8, _ y0: V8, _ y1: V8) {
            s00 = s00.addingProduct(x0, y0); s10 = s10.addingProduct(x1, y0); s20 = s20.addingProduct(x2, y0)
            s30 = s30.addingProduct(x3, y0); s40 = s40.addingProduct(x4, y0)
            s01 = s01.addingProduct(x0, y1); s11 = s11.addingProduct(x1, y1); s21 = s21.addingProduct(x2, y1)
            s31 = s31.addingProduct(x3, y1); s41 = s41.addingProduct(x4, y1)
        }
        var p = 0
        while p + 8 <= k {
            step(load(a0 + p), load(a1 + p), load(a2 + p), load(a3 + p), load(a4 + p), load(b0 + p), load(b1 + p))
            p += 8
        }
        if p < k {
            let r = k - p
            step(loadTail(a0 + p, r), loadTail(a1 + p, r), loadTail(a2 + p, r), loadTail(a3 + p, r),
                 loadTail(a4 + p, r), loadTail(b0 + p, r), loadTail(b1 + p, r))
        }
        let x = SIMD4(s00.sum(), s10.sum(), s20.sum(), s30.sum()), y = SIMD4(s40.sum(), s01.sum(), s11.sum(), s21.sum()), z = SIMD2(s31.sum(), s41.sum())
        let c0 = [x[0], x[1], x[2], x[3], y[0]] as InlineArray<5, Float>
        let c1 = [y[1], y[2], y[3], z[0], z[1]] as InlineArray<5, Float>
        for i in 0..<rows {
            put(c0[i], c + i * ldc, alpha, beta)
            if cols > 1 { put(c1[i], c + i * ldc + 1, alpha, beta) }
        }
    }
}
