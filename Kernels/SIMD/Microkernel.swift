import CIntrinsics
/// The register-blocked GEMM microkernel: a 6x16 tile of C held in six `SIMD16<Float>`
/// accumulators (twelve AVX2 registers), updated by one broadcast of A and two FMAs per row and
/// per step of k. Measured here: this shape reaches OpenBLAS's single-thread speed, while the
/// same tile as twelve `SIMD8` accumulators spills registers and runs at 0.4x.
enum Microkernel {
    /// Rows of the tile (A panel height).
    static let mr = 6
    /// Columns of the tile (B panel width).
    static let nr = 16
    /// Whether the driver runs two B panels at once (`Pair`, a 6x32 tile): in the AVX-512 build,
    /// where its twelve accumulators are twelve of 32 registers; with AVX2 they would be 24 of 16.
    #if BACKPROP_AVX512
    static let pairs = true
    #else
    static let pairs = false
    #endif

    /// C[0..<mr, 0..<nr] = alpha · Ã·B̃ + beta · C for packed panels Ã (kc × 6, k-major) and
    /// B̃ (kc × 16, k-major, 64-byte aligned). C is not read when beta == 0.
    @inline(never)
    static func run(kc: Int, a: UnsafePointer<Float>, b: UnsafePointer<Float>,
                    c: UnsafeMutablePointer<Float>, ldc: Int, mr: Int, nr: Int,
                    alpha: Float, beta: Float) {
        // Prefetch the C tile (BLIS does too): it is read and written after the k loop, and on
        // large GEMMs it is not in cache.
        if beta != 0 { prefetchTile(c, ldc: ldc, mr: mr) }
        var c0 = Vec(), c1 = Vec(), c2 = Vec(), c3 = Vec(), c4 = Vec(), c5 = Vec()
        var ap = a
        var bp = UnsafeRawPointer(b)
        @inline(__always) func step(_ ap: UnsafePointer<Float>, _ bp: UnsafeRawPointer) {
            let bv = bp.load(as: Vec.self)
            c0 = c0.addingProduct(Vec(repeating: ap[0]), bv)
            c1 = c1.addingProduct(Vec(repeating: ap[1]), bv)
            c2 = c2.addingProduct(Vec(repeating: ap[2]), bv)
            c3 = c3.addingProduct(Vec(repeating: ap[3]), bv)
            c4 = c4.addingProduct(Vec(repeating: ap[4]), bv)
            c5 = c5.addingProduct(Vec(repeating: ap[5]), bv)
        }
        var k = kc
        while k >= 4 {   // unrolled by 4: measured +2-3% at 1024-2048 (a quarter of the loop control)
            step(ap, bp); step(ap + 6, bp + 64); step(ap + 12, bp + 128); step(ap + 18, bp + 192)
            ap += 24
            bp += 256
            k -= 4
        }
        while k > 0 {
            step(ap, bp)
            ap += 6
            bp += 64
            k -= 1
        }
        writeTile(c0, c1, c2, c3, c4, c5, c: c, ldc: ldc, mr: mr, nr: nr, alpha: alpha, beta: beta)
    }

    /// As `run`, with A read in place from six rows of a row-major matrix (no packing): row r of
    /// the tile is `a + r·lda`, advancing one float per step of k. For the edge rows r ≥ mr,
    /// row 0 is read again and its results discarded. BLIS's "sup" idea: packing A does not pay
    /// when each of its elements is used by few B panels. With `transposedC`, the tile goes to Cᵀ.
    @inline(never)
    static func runRows(kc: Int, a: UnsafePointer<Float>, lda: Int, b: UnsafePointer<Float>,
                        c: UnsafeMutablePointer<Float>, ldc: Int, mr: Int, nr: Int,
                        alpha: Float, beta: Float, transposedC: Bool = false) {
        var c0 = Vec(), c1 = Vec(), c2 = Vec(), c3 = Vec(), c4 = Vec(), c5 = Vec()
        var a0 = a
        var a1 = mr > 1 ? a + lda : a, a2 = mr > 2 ? a + 2 * lda : a
        var a3 = mr > 3 ? a + 3 * lda : a, a4 = mr > 4 ? a + 4 * lda : a, a5 = mr > 5 ? a + 5 * lda : a
        var bp = UnsafeRawPointer(b)
        @inline(__always) func step(_ p: Int, _ bp: UnsafeRawPointer) {
            let bv = bp.load(as: Vec.self)
            c0 = c0.addingProduct(Vec(repeating: a0[p]), bv)
            c1 = c1.addingProduct(Vec(repeating: a1[p]), bv)
            c2 = c2.addingProduct(Vec(repeating: a2[p]), bv)
            c3 = c3.addingProduct(Vec(repeating: a3[p]), bv)
            c4 = c4.addingProduct(Vec(repeating: a4[p]), bv)
            c5 = c5.addingProduct(Vec(repeating: a5[p]), bv)
        }
        var k = kc
        while k >= 4 {
            step(0, bp); step(1, bp + 64); step(2, bp + 128); step(3, bp + 192)
            a0 += 4; a1 += 4; a2 += 4; a3 += 4; a4 += 4; a5 += 4
            bp += 256
            k -= 4
        }
        while k > 0 {
            step(0, bp)
            a0 += 1; a1 += 1; a2 += 1; a3 += 1; a4 += 1; a5 += 1
            bp += 64
            k -= 1
        }
        if transposedC {
            writeTileTransposed(c0, c1, c2, c3, c4, c5, c: c, ldc: ldc, mr: mr, nr: nr, alpha: alpha, beta: beta)
        } else {
            writeTile(c0, c1, c2, c3, c4, c5, c: c, ldc: ldc, mr: mr, nr: nr, alpha: alpha, beta: beta)
        }
    }

    /// As `run`, with a transposed A read in place: at step k the tile's six values of op(A) are
    /// six consecutive floats of row k of the stored A (`a + k·lda`), and the 16 of B are at
    /// `b + k·ldb` (ldb = 16 for a packed panel, B's row stride when B is read in place). Edge rows r ≥ mr read
    /// value 0 again (results discarded). With `transposedC`, the tile is written to Cᵀ
    /// (element (r, l) at `c + l·ldc + r`), for GEMMs computed as Cᵀ = op(B)ᵀ·op(A)ᵀ.
    @inline(never)
    static func runColumns(kc: Int, a: UnsafePointer<Float>, lda: Int, b: UnsafePointer<Float>, ldb: Int,
                           c: UnsafeMutablePointer<Float>, ldc: Int, mr: Int, nr: Int,
                           alpha: Float, beta: Float, transposedC: Bool) {
        var c0 = Vec(), c1 = Vec(), c2 = Vec(), c3 = Vec(), c4 = Vec(), c5 = Vec()
        let o1 = mr > 1 ? 1 : 0, o2 = mr > 2 ? 2 : 0, o3 = mr > 3 ? 3 : 0, o4 = mr > 4 ? 4 : 0, o5 = mr > 5 ? 5 : 0
        var ap = a
        var bp = UnsafeRawPointer(b)
        let bStep = ldb * 4   // bytes per step of k: 64 for a packed panel, a row of B in place
        @inline(__always) func step(_ ap: UnsafePointer<Float>, _ bp: UnsafeRawPointer) {
            let bv = bp.loadUnaligned(as: Vec.self)
            c0 = c0.addingProduct(Vec(repeating: ap[0]), bv)
            c1 = c1.addingProduct(Vec(repeating: ap[o1]), bv)
            c2 = c2.addingProduct(Vec(repeating: ap[o2]), bv)
            c3 = c3.addingProduct(Vec(repeating: ap[o3]), bv)
            c4 = c4.addingProduct(Vec(repeating: ap[o4]), bv)
            c5 = c5.addingProduct(Vec(repeating: ap[o5]), bv)
        }
        var k = kc
        while k >= 4 {
            step(ap, bp); step(ap + lda, bp + bStep); step(ap + 2 * lda, bp + 2 * bStep); step(ap + 3 * lda, bp + 3 * bStep)
            ap += 4 * lda
            bp += 4 * bStep
            k -= 4
        }
        while k > 0 {
            step(ap, bp)
            ap += lda
            bp += bStep
            k -= 1
        }
        if transposedC {
            writeTileTransposed(c0, c1, c2, c3, c4, c5, c: c, ldc: ldc, mr: mr, nr: nr, alpha: alpha, beta: beta)
        } else {
            writeTile(c0, c1, c2, c3, c4, c5, c: c, ldc: ldc, mr: mr, nr: nr, alpha: alpha, beta: beta)
        }
    }

    /// Cᵀ[0..<mr, 0..<nr] = alpha·acc + beta·Cᵀ: element (r, l) of the tile is `c[l·ldc + r]`.
    @inline(__always)
    static func writeTileTransposed(_ c0: Vec, _ c1: Vec, _ c2: Vec, _ c3: Vec, _ c4: Vec, _ c5: Vec,
                                    c: UnsafeMutablePointer<Float>, ldc: Int, mr: Int, nr: Int, alpha: Float, beta: Float) {
        if mr == 6 && nr == 16 {
            writeWholeTileTransposed(c0, c1, c2, c3, c4, c5, c: c, ldc: ldc, alpha: alpha, beta: beta)
        } else {
            writeEdgeTileTransposed(c0, c1, c2, c3, c4, c5, c: c, ldc: ldc, mr: mr, nr: nr, alpha: alpha, beta: beta)
        }
    }

    /// A partial tile (mr < 6 or nr < 16) to Cᵀ, element by element through a stack tile; out
    /// of line, so that the kernels inline only the whole-tile path.
    @inline(never)
    static func writeEdgeTileTransposed(_ c0: Vec, _ c1: Vec, _ c2: Vec, _ c3: Vec, _ c4: Vec, _ c5: Vec,
                                        c: UnsafeMutablePointer<Float>, ldc: Int, mr: Int, nr: Int, alpha: Float, beta: Float) {
        withUnsafeTemporaryAllocation(of: Float.self, capacity: 96) { buffer in
            let t = buffer.baseAddress!
            VectorMemory.store(c0, t); VectorMemory.store(c1, t + 16); VectorMemory.store(c2, t + 32)
            VectorMemory.store(c3, t + 48); VectorMemory.store(c4, t + 64); VectorMemory.store(c5, t + 80)
            for l in 0..<nr {
                let row = c + l * ldc
                if beta == 0 {
                    for r in 0..<mr { row[r] = alpha * t[16 * r + l] }
                } else {
                    for r in 0..<mr { row[r] = (alpha * t[16 * r + l]).addingProduct(beta, row[r]) }
                }
            }
        }
    }

    /// The whole 6x16 tile to Cᵀ (the recurrent steps' Cᵀ = W·hᵀ), transposed in registers: the
    /// six accumulators and two zero rows are an 8x16 block whose element (r, l) sits at bit
    /// pattern r₂r₁r₀l₃l₂l₁l₀; each round of `unshuffle` (the even and the odd lanes of two
    /// vectors) rotates that pattern right by one bit, so four rounds leave (r, l) at
    /// l₃l₂l₁l₀r₂r₁r₀: vector l/2 holds column l at lanes 0–5 (l even) or 8–13 (l odd). Each
    /// column is then six consecutive floats of Cᵀ, written as four and two. Every element gets
    /// the same arithmetic as the scalar edge path, fma(beta, old, alpha·acc), so results are
    /// bit-identical; it replaces 96 scalar read-modify-writes through a stack tile (~20% of
    /// the per-step GEMMs at k = 256).
    @_transparent
    static func writeWholeTileTransposed(_ c0: Vec, _ c1: Vec, _ c2: Vec, _ c3: Vec, _ c4: Vec, _ c5: Vec,
                                         c: UnsafeMutablePointer<Float>, ldc: Int, alpha: Float, beta: Float) {
        @inline(__always) func scaled(_ v: Vec) -> Vec { alpha == 1 ? v : v * alpha }
        var v0 = scaled(c0), v1 = scaled(c1), v2 = scaled(c2), v3 = scaled(c3), v4 = scaled(c4), v5 = scaled(c5)
        var v6 = Vec(), v7 = Vec()
        for _ in 0..<4 {
            let (e0, o0) = VectorMemory.unshuffle(v0, v1), (e1, o1) = VectorMemory.unshuffle(v2, v3)
            let (e2, o2) = VectorMemory.unshuffle(v4, v5), (e3, o3) = VectorMemory.unshuffle(v6, v7)
            (v0, v1, v2, v3, v4, v5, v6, v7) = (e0, e1, e2, e3, o0, o1, o2, o3)
        }
        @inline(__always) func column(_ v: SIMD8<Float>, _ l: Int) {
            let p = UnsafeMutableRawPointer(c + l * ldc)
            var head = v.lowHalf, tail = v.highHalf.lowHalf
            if beta != 0 {
                head = head.addingProduct(SIMD4(repeating: beta), p.loadUnaligned(as: SIMD4<Float>.self))
                tail = tail.addingProduct(SIMD2(repeating: beta), (p + 16).loadUnaligned(as: SIMD2<Float>.self))
            }
            p.storeBytes(of: head, as: SIMD4<Float>.self)
            (p + 16).storeBytes(of: tail, as: SIMD2<Float>.self)
        }
        @inline(__always) func columns(_ v: Vec, _ q: Int) {
            column(v.lowHalf, 2 * q)
            column(v.highHalf, 2 * q + 1)
        }
        columns(v0, 0); columns(v1, 1); columns(v2, 2); columns(v3, 3)
        columns(v4, 4); columns(v5, 5); columns(v6, 6); columns(v7, 7)
    }

    @inline(__always)
    static func prefetchTile(_ c: UnsafeMutablePointer<Float>, ldc: Int, mr: Int) {
        for r in 0..<mr {
            backprop_prefetch_write(UnsafeRawPointer(c + r * ldc))
            backprop_prefetch_write(UnsafeRawPointer(c + r * ldc + 15))
        }
    }

    /// C[0..<mr, 0..<nr] = alpha·acc + beta·C (C not read when beta == 0).
    @inline(__always)
    static func writeTile(_ c0: Vec, _ c1: Vec, _ c2: Vec, _ c3: Vec, _ c4: Vec, _ c5: Vec,
                          c: UnsafeMutablePointer<Float>, ldc: Int, mr: Int, nr: Int, alpha: Float, beta: Float) {
        if mr == 6 && nr == 16 {
            store(c0, c, alpha, beta)
            store(c1, c + ldc, alpha, beta)
            store(c2, c + 2 * ldc, alpha, beta)
            store(c3, c + 3 * ldc, alpha, beta)
            store(c4, c + 4 * ldc, alpha, beta)
            store(c5, c + 5 * ldc, alpha, beta)
        } else {
            // Edge tile: spill the accumulators to a stack tile with whole-vector stores (indexing
            // lanes of a SIMD value is slow), then write only the rows and columns inside C.
            withUnsafeTemporaryAllocation(of: Float.self, capacity: 96) { buffer in
                let t = buffer.baseAddress!
                VectorMemory.store(c0, t); VectorMemory.store(c1, t + 16); VectorMemory.store(c2, t + 32)
                VectorMemory.store(c3, t + 48); VectorMemory.store(c4, t + 64); VectorMemory.store(c5, t + 80)
                for i in 0..<mr {
                    let row = c + i * ldc, acc = t + 16 * i
                    if beta == 0 {
                        for j in 0..<nr { row[j] = alpha * acc[j] }
                    } else {
                        for j in 0..<nr { row[j] = (alpha * acc[j]).addingProduct(beta, row[j]) }
                    }
                }
            }
        }
    }

    @inline(__always)
    static func store(_ acc: Vec, _ c: UnsafeMutablePointer<Float>, _ alpha: Float, _ beta: Float) {
        let r = alpha == 1 ? acc : acc * alpha
        if beta == 0 {
            VectorMemory.store(r, c)
        } else {
            VectorMemory.store(r.addingProduct(Vec(repeating: beta), VectorMemory.load(c)), c)
        }
    }
}
