extension Microkernel {
    /// The AVX-512 microkernel for a short A times a B read in place: an 8x32 tile of C in
    /// sixteen `SIMD16<Float>` accumulators, eight rows of a row-major A (`a + r·lda`, broadcast)
    /// times 32 columns of a row-major B (`b + k·ldb`, two vectors per step of k, no packing).
    /// Per step of k: two loads of B, eight broadcasts of A, sixteen FMAs — one broadcast per two
    /// FMAs, as in the 6x32 kernel. For a recurrent step's [batch, H]·W (batch 16-32: two to four
    /// 8-row tiles, none wasted), where the 6x32 kernel needed the product flipped (B packed, C
    /// written transposed) and a 16-row band left it one panel wide. Each element of C sums k in
    /// order in the caller's KC blocks and is written as fma(beta, C, alpha·acc), like every path.
    enum Wide {
        /// Rows of A per tile.
        static let mr = 8
        /// The most rows of op(A) for which GEMM reads A and B in place with these tiles.
        static let maxRows = 256

        struct Tile {
            var c0 = Vec(), c1 = Vec(), c2 = Vec(), c3 = Vec(), c4 = Vec(), c5 = Vec(), c6 = Vec(), c7 = Vec()
            var d0 = Vec(), d1 = Vec(), d2 = Vec(), d3 = Vec(), d4 = Vec(), d5 = Vec(), d6 = Vec(), d7 = Vec()

            /// One step of k: the eight rows' values at offset `p` (broadcast) times `bv`, `bw`.
            @_transparent
            mutating func step(_ rows: Rows, _ p: Int, _ bv: Vec, _ bw: Vec) {
                let a0 = Vec(repeating: rows.a0[p]), a1 = Vec(repeating: rows.a1[p])
                c0 = c0.addingProduct(a0, bv); d0 = d0.addingProduct(a0, bw)
                c1 = c1.addingProduct(a1, bv); d1 = d1.addingProduct(a1, bw)
                let a2 = Vec(repeating: rows.a2[p]), a3 = Vec(repeating: rows.a3[p])
                c2 = c2.addingProduct(a2, bv); d2 = d2.addingProduct(a2, bw)
                c3 = c3.addingProduct(a3, bv); d3 = d3.addingProduct(a3, bw)
                let a4 = Vec(repeating: rows.a4[p]), a5 = Vec(repeating: rows.a5[p])
                c4 = c4.addingProduct(a4, bv); d4 = d4.addingProduct(a4, bw)
                c5 = c5.addingProduct(a5, bv); d5 = d5.addingProduct(a5, bw)
                let a6 = Vec(repeating: rows.a6[p]), a7 = Vec(repeating: rows.a7[p])
                c6 = c6.addingProduct(a6, bv); d6 = d6.addingProduct(a6, bw)
                c7 = c7.addingProduct(a7, bv); d7 = d7.addingProduct(a7, bw)
            }

            /// C[r, 0..<32] = alpha·acc + beta·C for the tile's first `mr` rows.
            @inline(__always)
            func write(c: UnsafeMutablePointer<Float>, ldc: Int, mr: Int, alpha: Float, beta: Float) {
                @inline(__always) func row(_ r: Int, _ cv: Vec, _ dv: Vec) {
                    guard r < mr else { return }
                    store(cv, c + r * ldc, alpha, beta)
                    store(dv, c + r * ldc + 16, alpha, beta)
                }
                row(0, c0, d0); row(1, c1, d1); row(2, c2, d2); row(3, c3, d3)
                row(4, c4, d4); row(5, c5, d5); row(6, c6, d6); row(7, c7, d7)
            }
        }

        /// The eight row pointers of A; rows past `mr` read row 0 again (results discarded).
        struct Rows {
            var a0, a1, a2, a3, a4, a5, a6, a7: UnsafePointer<Float>

            @inline(__always)
            init(_ a: UnsafePointer<Float>, lda: Int, mr: Int) {
                @inline(__always) func row(_ r: Int) -> UnsafePointer<Float> { r < mr ? a + r * lda : a }
                a0 = a; a1 = row(1); a2 = row(2); a3 = row(3); a4 = row(4); a5 = row(5); a6 = row(6); a7 = row(7)
            }

            @inline(__always)
            mutating func advance(_ n: Int) {
                a0 += n; a1 += n; a2 += n; a3 += n; a4 += n; a5 += n; a6 += n; a7 += n
            }
        }

        /// Whether GEMM takes these tiles for op(A)·B with op(A) [m, k] and B [k, n] not transposed.
        static func applies(m: Int, n: Int, k: Int) -> Bool { pairs && m <= maxRows && n >= 32 && k >= 16 }

        /// C[0..<mr, 0..<32] = alpha · A·B + beta · C for `mr` ≤ 8 rows of A and 32 whole columns
        /// of B, both read in place (C not read when beta == 0).
        @inline(never)
        static func run(kc: Int, a: UnsafePointer<Float>, lda: Int, b: UnsafePointer<Float>, ldb: Int,
                        c: UnsafeMutablePointer<Float>, ldc: Int, mr: Int, alpha: Float, beta: Float) {
            steps(kc: kc, a: a, rowStep: lda, kStep: 1, b: b, ldb: ldb, c: c, ldc: ldc, mr: mr, alpha: alpha, beta: beta)
        }

        /// As `run`, with a transposed A read in place: at step k the tile's eight values of op(A)
        /// are eight consecutive floats of row k of the stored A (`a + k·lda`; rows past `mr`
        /// read value 0 again, results discarded).
        @inline(never)
        static func runColumns(kc: Int, a: UnsafePointer<Float>, lda: Int, b: UnsafePointer<Float>, ldb: Int,
                               c: UnsafeMutablePointer<Float>, ldc: Int, mr: Int, alpha: Float, beta: Float) {
            steps(kc: kc, a: a, rowStep: 1, kStep: lda, b: b, ldb: ldb, c: c, ldc: ldc, mr: mr, alpha: alpha, beta: beta)
        }

        /// The k loop of both: row r of the tile at `a + r·rowStep`, step k at `+ k·kStep`.
        @inline(__always)
        static func steps(kc: Int, a: UnsafePointer<Float>, rowStep: Int, kStep: Int, b: UnsafePointer<Float>, ldb: Int,
                          c: UnsafeMutablePointer<Float>, ldc: Int, mr: Int, alpha: Float, beta: Float) {
            var t = Tile()
            var rows = Rows(a, lda: rowStep, mr: mr)
            var bp = UnsafeRawPointer(b)
            let bStep = 4 * ldb
            var k = kc
            while k >= 2 {
                t.step(rows, 0, bp.loadUnaligned(as: Vec.self), bp.loadUnaligned(fromByteOffset: 64, as: Vec.self))
                t.step(rows, kStep, (bp + bStep).loadUnaligned(as: Vec.self), (bp + bStep).loadUnaligned(fromByteOffset: 64, as: Vec.self))
                rows.advance(2 * kStep)
                bp += 2 * bStep
                k -= 2
            }
            if k > 0 { t.step(rows, 0, bp.loadUnaligned(as: Vec.self), bp.loadUnaligned(fromByteOffset: 64, as: Vec.self)) }
            t.write(c: c, ldc: ldc, mr: mr, alpha: alpha, beta: beta)
        }
    }
}
