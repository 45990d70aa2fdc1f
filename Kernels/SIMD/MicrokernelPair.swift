import CIntrinsics

extension Microkernel {
    /// The AVX-512 microkernel: a 6x32 tile of C — two 16-column B panels at once — in twelve
    /// `SIMD16<Float>` accumulators (twelve of the 32 zmm registers). Per step of k: two loads of
    /// B, six broadcasts of A, twelve FMAs. The 6x16 tile's six accumulators cannot cover the
    /// FMA latency of two 512-bit FMA ports (8 in flight): measured 68% of the AVX-512 peak
    /// with it on Zen 5. The second panel may be partial (`nr2` columns, ≤ 16; packed panels are
    /// zero-padded). Same summation order per element of C as the 6x16 kernels.
    ///
    /// The accumulators live in a struct updated by a mutating method, not in locals captured by
    /// a nested function: with twelve captured vectors the optimiser boxed them and checked
    /// exclusive access on every step (`swift_beginAccess`, ~5x slower).
    ///
    /// The k loops are unrolled by 2, not 4: LLVM schedules an unrolled group accumulator by
    /// accumulator, so at 4 each accumulator got four dependent FMAs back to back (16 cycles of
    /// latency in a row) and the out-of-order window had to find the other chains far ahead.
    /// Zen 4, the old and new builds run at once on the two cores (medians of 4 rounds):
    /// 1024³ 92.7 → 95.5 GFLOPS, 64³ 84.7 → 90.5, 128x784x256 92.4 → 95.3, 256x2048x114 TN
    /// 76.7 → 80.6; the character LSTM on one thread +1.4% (8 rounds, 7 faster). The 6x16
    /// kernels keep 4 (at 2 they measured 0.88-1.03x on the LSTM's 16-row bands).
    enum Pair {
        struct Tile {
            var c0 = Vec(), c1 = Vec(), c2 = Vec(), c3 = Vec(), c4 = Vec(), c5 = Vec()
            var d0 = Vec(), d1 = Vec(), d2 = Vec(), d3 = Vec(), d4 = Vec(), d5 = Vec()

            /// One step of k: rows r0...r5 of A (broadcast) times the two B vectors.
            @_transparent
            mutating func step(_ r0: Float, _ r1: Float, _ r2: Float, _ r3: Float, _ r4: Float, _ r5: Float,
                               _ bv: Vec, _ bw: Vec) {
                let a0 = Vec(repeating: r0), a1 = Vec(repeating: r1), a2 = Vec(repeating: r2)
                c0 = c0.addingProduct(a0, bv); d0 = d0.addingProduct(a0, bw)
                c1 = c1.addingProduct(a1, bv); d1 = d1.addingProduct(a1, bw)
                c2 = c2.addingProduct(a2, bv); d2 = d2.addingProduct(a2, bw)
                let a3 = Vec(repeating: r3), a4 = Vec(repeating: r4), a5 = Vec(repeating: r5)
                c3 = c3.addingProduct(a3, bv); d3 = d3.addingProduct(a3, bw)
                c4 = c4.addingProduct(a4, bv); d4 = d4.addingProduct(a4, bw)
                c5 = c5.addingProduct(a5, bv); d5 = d5.addingProduct(a5, bw)
            }

            @inline(__always)
            func write(c: UnsafeMutablePointer<Float>, c2: UnsafeMutablePointer<Float>, ldc: Int, mr: Int, nr2: Int,
                       alpha: Float, beta: Float, transposed: Bool) {
                if transposed {
                    writeTileTransposed(c0, c1, self.c2, c3, c4, c5, c: c, ldc: ldc, mr: mr, nr: 16, alpha: alpha, beta: beta)
                    writeTileTransposed(d0, d1, d2, d3, d4, d5, c: c2, ldc: ldc, mr: mr, nr: nr2, alpha: alpha, beta: beta)
                } else {
                    writeTile(c0, c1, self.c2, c3, c4, c5, c: c, ldc: ldc, mr: mr, nr: 16, alpha: alpha, beta: beta)
                    writeTile(d0, d1, d2, d3, d4, d5, c: c2, ldc: ldc, mr: mr, nr: nr2, alpha: alpha, beta: beta)
                }
            }
        }

        /// Packed A (kc × 6, k-major) times two packed B panels (`b`, `b2`; kc × 16 each).
        @inline(never)
        static func run(kc: Int, a: UnsafePointer<Float>, b: UnsafePointer<Float>, b2: UnsafePointer<Float>, ldb: Int,
                        c: UnsafeMutablePointer<Float>, ldc: Int, mr: Int, nr2: Int, alpha: Float, beta: Float) {
            if beta != 0 { prefetchTile(c, ldc: ldc, mr: mr); prefetchTile(c + 16, ldc: ldc, mr: mr) }
            var t = Tile()
            var ap = a
            var bp = UnsafeRawPointer(b), bq = UnsafeRawPointer(b2)
            var k = kc
            while k >= 2 {   // unrolled by 2, not 4: see `Pair`
                t.step(ap[0], ap[1], ap[2], ap[3], ap[4], ap[5], bp.load(as: Vec.self), bq.load(as: Vec.self))
                t.step(ap[6], ap[7], ap[8], ap[9], ap[10], ap[11], bp.load(fromByteOffset: 64, as: Vec.self), bq.load(fromByteOffset: 64, as: Vec.self))
                ap += 12
                bp += 128
                bq += 128
                k -= 2
            }
            while k > 0 {
                t.step(ap[0], ap[1], ap[2], ap[3], ap[4], ap[5], bp.load(as: Vec.self), bq.load(as: Vec.self))
                ap += 6
                bp += 64
                bq += 64
                k -= 1
            }
            t.write(c: c, c2: c + 16, ldc: ldc, mr: mr, nr2: nr2, alpha: alpha, beta: beta, transposed: false)
        }

        /// As `run`, with A read in place from six rows of a row-major matrix (`Microkernel.runRows`);
        /// with `transposedC`, the tiles go to Cᵀ.
        @inline(never)
        static func runRows(kc: Int, a: UnsafePointer<Float>, lda: Int, b: UnsafePointer<Float>, b2: UnsafePointer<Float>, ldb: Int,
                            c: UnsafeMutablePointer<Float>, ldc: Int, mr: Int, nr2: Int, alpha: Float, beta: Float,
                            transposedC: Bool = false) {
            var t = Tile()
            var a0 = a
            var a1 = mr > 1 ? a + lda : a, a2 = mr > 2 ? a + 2 * lda : a
            var a3 = mr > 3 ? a + 3 * lda : a, a4 = mr > 4 ? a + 4 * lda : a, a5 = mr > 5 ? a + 5 * lda : a
            var bp = UnsafeRawPointer(b), bq = UnsafeRawPointer(b2)
            var k = kc
            while k >= 2 {
                t.step(a0[0], a1[0], a2[0], a3[0], a4[0], a5[0], bp.load(as: Vec.self), bq.load(as: Vec.self))
                t.step(a0[1], a1[1], a2[1], a3[1], a4[1], a5[1], bp.load(fromByteOffset: 64, as: Vec.self), bq.load(fromByteOffset: 64, as: Vec.self))
                a0 += 2; a1 += 2; a2 += 2; a3 += 2; a4 += 2; a5 += 2
                bp += 128
                bq += 128
                k -= 2
            }
            while k > 0 {
                t.step(a0[0], a1[0], a2[0], a3[0], a4[0], a5[0], bp.load(as: Vec.self), bq.load(as: Vec.self))
                a0 += 1; a1 += 1; a2 += 1; a3 += 1; a4 += 1; a5 += 1
                bp += 64
                bq += 64
                k -= 1
            }
            t.write(c: c, c2: transposedC ? c + 16 * ldc : c + 16, ldc: ldc, mr: mr, nr2: nr2, alpha: alpha, beta: beta,
                    transposed: transposedC)
        }

        /// As `run`, with a transposed A read in place (`Microkernel.runColumns`); B's panels at
        /// `b` and `b2` advance `ldb` floats per step of k. With `transposedC`, the tiles go to Cᵀ
        /// at `c` and `c2`.
        @inline(never)
        static func runColumns(kc: Int, a: UnsafePointer<Float>, lda: Int, b: UnsafePointer<Float>, b2: UnsafePointer<Float>, ldb: Int,
                               c: UnsafeMutablePointer<Float>, c2: UnsafeMutablePointer<Float>, ldc: Int, mr: Int, nr2: Int,
                               alpha: Float, beta: Float, transposedC: Bool) {
            var t = Tile()
            let o1 = mr > 1 ? 1 : 0, o2 = mr > 2 ? 2 : 0, o3 = mr > 3 ? 3 : 0, o4 = mr > 4 ? 4 : 0, o5 = mr > 5 ? 5 : 0
            var ap = a
            var bp = UnsafeRawPointer(b), bq = UnsafeRawPointer(b2)
            let bStep = ldb * 4
            var k = kc
            while k > 0 {
                t.step(ap[0], ap[o1], ap[o2], ap[o3], ap[o4], ap[o5], bp.loadUnaligned(as: Vec.self), bq.loadUnaligned(as: Vec.self))
                ap += lda
                bp += bStep
                bq += bStep
                k -= 1
            }
            t.write(c: c, c2: c2, ldc: ldc, mr: mr, nr2: nr2, alpha: alpha, beta: beta, transposed: transposedC)
        }
    }
}
