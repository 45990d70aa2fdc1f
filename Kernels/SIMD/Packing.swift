import BackpropCore

/// Packing of GEMM operands into contiguous micro-panels (BLIS): A into panels of 6 rows stored
/// k-major (6 values per step of k), B into panels of 16 columns stored k-major (16 values per
/// step). Edges are padded with zeros, so the microkernel always runs a full tile. Transposes are
/// resolved here: the microkernel only ever sees op(A) and op(B).
enum Packing {
    /// Packs op(A)[i0..<i0+mc, p0..<p0+kc] into ⌈mc/6⌉ panels of kc·6 floats at `dst`.
    static func packA(_ trans: Transpose, _ a: UnsafePointer<Float>, lda: Int, i0: Int, p0: Int,
                      mc: Int, kc: Int, _ dst: UnsafeMutablePointer<Float>) {
        let mr = Microkernel.mr
        var panel = dst
        var start = 0
        if trans == .transpose && mc >= mr {
            let panels = mc / mr
            packTransposedPanels(a + p0 * lda + i0, lda: lda, panels: panels, kc: kc, dst)
            start = panels * mr
            panel += panels * kc * mr
        }
        for ir in stride(from: start, to: mc, by: mr) {
            let rows = min(mr, mc - ir)
            if trans == .none && rows == mr {
                // k outer, the six rows inner: the panel is written contiguously and the six
                // source rows stay in L1 (row-by-row writes with a 24-byte stride swept the
                // whole panel six times: measured ~4% of a 1024³ GEMM).
                let r0 = a + (i0 + ir) * lda + p0
                let r1 = r0 + lda, r2 = r1 + lda, r3 = r2 + lda, r4 = r3 + lda, r5 = r4 + lda
                var d = panel
                for p in 0..<kc {
                    d[0] = r0[p]; d[1] = r1[p]; d[2] = r2[p]; d[3] = r3[p]; d[4] = r4[p]; d[5] = r5[p]
                    d += mr
                }
            } else if trans == .none {
                let r0 = a + (i0 + ir) * lda + p0
                var d = panel
                for p in 0..<kc {
                    d[0] = r0[p]
                    d[1] = rows > 1 ? r0[lda + p] : 0; d[2] = rows > 2 ? r0[2 * lda + p] : 0
                    d[3] = rows > 3 ? r0[3 * lda + p] : 0; d[4] = rows > 4 ? r0[4 * lda + p] : 0; d[5] = 0
                    d += mr
                }
            } else {
                var src = a + p0 * lda + i0 + ir
                var d = panel
                for _ in 0..<kc {
                    d[0] = src[0]
                    d[1] = rows > 1 ? src[1] : 0; d[2] = rows > 2 ? src[2] : 0
                    d[3] = rows > 3 ? src[3] : 0; d[4] = rows > 4 ? src[4] : 0; d[5] = 0
                    src += lda
                    d += mr
                }
            }
            panel += kc * mr
        }
    }

    /// The whole 6-row panels of a transposed A: step k of a panel is six consecutive floats of
    /// row k of the stored A. Blocks of 8 steps: the 8 stored rows' pieces (8 × 6·panels floats)
    /// stay in L1 — rows 4 KB apart share an L1 set, so more of them would contend for its ways;
    /// 16 measured no better — while each panel's 48 floats are written front to back with vector
    /// moves: 8-float loads and stores that spill two floats into the next step's slot, which is
    /// written after them (exact 4 + 2 moves for the last panel, whose spill would read past the
    /// block, and for the last step, whose spill would land on the next panel). The scalar
    /// version walked the stored A down a column of cache lines with a whole row's stride, and a
    /// version writing every panel at each step made each store a miss: ~14% of the LSTM's
    /// weight-gradient GEMM (m = 4H, k = T·B) either way, ~11% now.
    @inline(never)
    static func packTransposedPanels(_ a: UnsafePointer<Float>, lda: Int, panels: Int, kc: Int,
                                     _ dst: UnsafeMutablePointer<Float>) {
        let mr = Microkernel.mr, panelSize = kc * mr
        var p0 = 0
        while p0 < kc {
            let pe = min(p0 + 8, kc)
            // Steps p0..<wide take the spilling 8-float moves; the last step of A is exact.
            let wide = pe == kc ? kc - 1 : pe
            for q in 0..<panels {
                var s = a + p0 * lda + q * mr, d = dst + q * panelSize + p0 * mr
                var p = p0
                if q + 1 < panels {
                    while p < wide {
                        let v = UnsafeRawPointer(s).loadUnaligned(as: SIMD8<Float>.self)
                        UnsafeMutableRawPointer(d).storeBytes(of: v, as: SIMD8<Float>.self)
                        s += lda; d += mr; p += 1
                    }
                }
                while p < pe {
                    let lo = UnsafeRawPointer(s).loadUnaligned(as: SIMD4<Float>.self)
                    let hi = UnsafeRawPointer(s + 4).loadUnaligned(as: SIMD2<Float>.self)
                    UnsafeMutableRawPointer(d).storeBytes(of: lo, as: SIMD4<Float>.self)
                    UnsafeMutableRawPointer(d + 4).storeBytes(of: hi, as: SIMD2<Float>.self)
                    s += lda; d += mr; p += 1
                }
            }
            p0 = pe
        }
    }

    /// Packs op(B)[p0..<p0+kc, j0..<j0+nc] into ⌈nc/16⌉ panels of kc·16 floats at `dst`.
    static func packB(_ trans: Transpose, _ b: UnsafePointer<Float>, ldb: Int, p0: Int, j0: Int,
                      kc: Int, nc: Int, _ dst: UnsafeMutablePointer<Float>) {
        let nr = Microkernel.nr
        var panel = dst
        for jr in stride(from: 0, to: nc, by: nr) {
            let cols = min(nr, nc - jr)
            if trans == .none {
                for p in 0..<kc {
                    let src = b + (p0 + p) * ldb + j0 + jr
                    let d = panel + p * nr
                    if cols == nr {
                        VectorMemory.store(VectorMemory.load(src), d)
                    } else {
                        VectorMemory.store(VectorMemory.loadPartial(src, cols), d)
                    }
                }
            } else {
                // k outer, the 16 columns (rows of the stored B) inner: contiguous writes.
                let src = b + (j0 + jr) * ldb + p0
                if cols == nr {
                    // 16x16 blocks transposed in registers, then the k tail with a constant
                    // trip count (unrolled: no loop overhead per element).
                    var p = 0
                    while p + 16 <= kc {
                        VectorMemory.transpose16(src + p, ldb, panel + p * nr, nr)
                        p += 16
                    }
                    for q in p..<kc {
                        let d = panel + q * nr, s = src + q
                        for c in 0..<16 { d[c] = s[c * ldb] }
                    }
                } else {
                    for p in 0..<kc {
                        let d = panel + p * nr
                        VectorMemory.store(Vec(), d)
                        for c in 0..<cols { d[c] = src[c * ldb + p] }
                    }
                }
            }
            panel += kc * nr
        }
    }
}
