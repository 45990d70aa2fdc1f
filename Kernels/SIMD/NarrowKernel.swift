import BackpropCore

/// GEMM for a C of 5 to 10 columns (e.g. the 10 classes of an output layer), with A read in place.
///
/// The 6x16 microkernel wastes 6 of every 16 lanes on n = 10. Here the first 8 columns use a
/// 12x8 tile — twelve `SIMD8` accumulators, one `SIMD8` of B and a broadcast: 14 of the 16 AVX2
/// registers, every lane used — and the remaining n − 8 ≤ 4 columns go to `DotKernel`.
/// Measured here (one thread, process-alternated medians, against the 6x16 path): 128x128·128x10
/// 1.16x faster (1.34x OpenBLAS), n = 8 1.35x, 500x64·64x7 1.43x, 60000x784·784x10 1.5x. The
/// k loop is not unrolled: unrolled by 4 it ran 1.4x slower (out of registers).
enum NarrowKernel {
    typealias V8 = SIMD8<Float>

    /// Whether C = op(A)·op(B) should take this path (the choice does not depend on m, so every
    /// band of rows of a multithreaded GEMM takes the same path).
    static func applies(_ transA: Transpose, n: Int, k: Int) -> Bool {
        transA == .none && n >= 5 && n <= 10 && k >= 8
    }

    /// C = alpha·A·op(B) + beta·C. `packB` holds at least max(n, 8)·k floats.
    static func gemm(_ transB: Transpose, m: Int, n: Int, k: Int, alpha: Float, a: UnsafePointer<Float>, lda: Int,
                     b: UnsafePointer<Float>, ldb: Int, beta: Float, c: UnsafeMutablePointer<Float>, ldc: Int,
                     packB: UnsafeMutablePointer<Float>) {
        // The first min(n, 8) columns of op(B), k-major, 8 floats per step (zero-padded).
        let w = min(n, 8)
        for p in 0..<k {
            let d = packB + 8 * p
            for j in 0..<8 { d[j] = j < w ? (transB == .none ? b[p * ldb + j] : b[j * ldb + p]) : 0 }
        }
        var i = 0
        while i < m {
            tile12x8(k: k, a: a + i * lda, lda: lda, rows: min(12, m - i), b: packB, cols: w,
                     alpha: alpha, beta: beta, c: c + i * ldc, ldc: ldc)
            i += 12
        }
        if n > 8 {
            // Columns 8..<n as dot products along k (op(B)'s columns 8… are B's rows 8… when B
            // is transposed, else columns 8… of B).
            let rest = b + (transB == .none ? 8 : 8 * ldb)
            DotKernel.gemm(transB, m: m, n: n - 8, k: k, alpha: alpha, a: a, lda: lda, b: rest, ldb: ldb,
                           beta: beta, c: c + 8, ldc: ldc, scratch: packB + 8 * k)
        }
    }

    /// C[0..<rows, 0..<cols] = alpha·A·B̃ + beta·C for 12 rows of A in place (rows ≥ `rows` read
    /// row 0 again; results discarded) and B̃ packed k-major, 8 floats per step.
    @inline(never)
    static func tile12x8(k kc: Int, a: UnsafePointer<Float>, lda: Int, rows: Int, b: UnsafePointer<Float>, cols: Int,
                         alpha: Float, beta: Float, c: UnsafeMutablePointer<Float>, ldc: Int) {
        @inline(__always) func row(_ r: Int) -> UnsafePointer<Float> { rows > r ? a + r * lda : a }
        let a0 = row(0), a1 = row(1), a2 = row(2), a3 = row(3), a4 = row(4), a5 = row(5)
        let a6 = row(6), a7 = row(7), a8 = row(8), a9 = row(9), a10 = row(10), a11 = row(11)
        var s0 = V8(), s1 = V8(), s2 = V8(), s3 = V8(), s4 = V8(), s5 = V8()
        var s6 = V8(), s7 = V8(), s8 = V8(), s9 = V8(), s10 = V8(), s11 = V8()
        var bp = UnsafeRawPointer(b)
        for p in 0..<kc {
            let bv = bp.loadUnaligned(as: V8.self)
            s0 = s0.addingProduct(V8(repeating: a0[p]), bv); s1 = s1.addingProduct(V8(repeating: a1[p]), bv)
            s2 = s2.addingProduct(V8(repeating: a2[p]), bv); s3 = s3.addingProduct(V8(repeating: a3[p]), bv)
            s4 = s4.addingProduct(V8(repeating: a4[p]), bv); s5 = s5.addingProduct(V8(repeating: a5[p]), bv)
            s6 = s6.addingProduct(V8(repeating: a6[p]), bv); s7 = s7.addingProduct(V8(repeating: a7[p]), bv)
            s8 = s8.addingProduct(V8(repeating: a8[p]), bv); s9 = s9.addingProduct(V8(repeating: a9[p]), bv)
            s10 = s10.addingProduct(V8(repeating: a10[p]), bv); s11 = s11.addingProduct(V8(repeating: a11[p]), bv)
            bp += 32
        }
        withUnsafeTemporaryAllocation(of: Float.self, capacity: 96) { buffer in
            let t = UnsafeMutableRawPointer(buffer.baseAddress!)
            t.storeBytes(of: s0, as: V8.self); (t + 32).storeBytes(of: s1, as: V8.self)
            (t + 64).storeBytes(of: s2, as: V8.self); (t + 96).storeBytes(of: s3, as: V8.self)
            (t + 128).storeBytes(of: s4, as: V8.self); (t + 160).storeBytes(of: s5, as: V8.self)
            (t + 192).storeBytes(of: s6, as: V8.self); (t + 224).storeBytes(of: s7, as: V8.self)
            (t + 256).storeBytes(of: s8, as: V8.self); (t + 288).storeBytes(of: s9, as: V8.self)
            (t + 320).storeBytes(of: s10, as: V8.self); (t + 352).storeBytes(of: s11, as: V8.self)
            let acc = buffer.baseAddress!
            for r in 0..<rows {
                let cr = c + r * ldc, ar = acc + 8 * r
                if cols == 8 {
                    let v = UnsafeRawPointer(ar).load(as: V8.self) * alpha
                    let raw = UnsafeMutableRawPointer(cr)
                    if beta == 0 {
                        raw.storeBytes(of: v, as: V8.self)
                    } else {
                        raw.storeBytes(of: v.addingProduct(V8(repeating: beta), raw.loadUnaligned(as: V8.self)), as: V8.self)
                    }
                } else if beta == 0 {
                    for j in 0..<cols { cr[j] = alpha * ar[j] }
                } else {
                    for j in 0..<cols { cr[j] = (alpha * ar[j]).addingProduct(beta, cr[j]) }
                }
            }
        }
    }
}
