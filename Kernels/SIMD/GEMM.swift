import CIntrinsics
import BackpropCore

/// Cache blocking for this machine class (BLIS's Haswell sgemm values): a KC×16 panel of B
/// stays in L1, an MC×KC block of A in L2, a KC×NC block of B in L3.
enum Blocking {
    static let mc = 168   // multiple of 6
    static let kc = 256
    static let nc = 4080  // multiple of 16
    /// Whether A is read in place instead of packed (see `Microkernel.runRows` and `runColumns`).
    /// Measured here (process-alternated medians): a non-transposed A in place is 1.2-3.8x
    /// faster up to 512³ multiply-adds and at the MLP shapes, 0.93x at 1024³, where packing pays.
    /// A transposed A (the rows of a tile are 6 floats of a row k of the stored A, a new cache line
    /// per step) pays off for less: 1.1-1.8x up to 64x1000x64, 0.95x at 256x128x128 and 0.91x
    /// at 784x128x256.
    static func unpackedA(_ trans: Transpose, size: Int) -> Bool {
        trans == .none ? size <= 512 * 512 * 512 : size < 1 << 22
    }

    /// 6x16 tiles covering an m×n C.
    static func tiles(_ m: Int, _ n: Int) -> Int { (m + 5) / 6 * ((n + 15) / 16) }

    /// Below this many multiply-adds (m·n·k) a GEMM runs on one thread.
    static let parallelThreshold = 64 * 64 * 64
}

/// Per-thread packing buffers; they grow to the largest problem seen and are then reused, so
/// steady-state GEMMs allocate nothing.
final class GEMMWorkspace: @unchecked Sendable {
    private(set) var packA: UnsafeMutablePointer<Float>
    private(set) var packB: UnsafeMutablePointer<Float>
    private var capacityB: Int
    /// Cᵀ tiles of one group, 32 rows × `TransposedTiles.group` columns (`TransposedTiles`).
    let tilesC: UnsafeMutablePointer<Float>

    init() {
        packA = AlignedMemory.allocate(Blocking.mc * Blocking.kc)
        capacityB = Blocking.kc * 16 * 16
        packB = AlignedMemory.allocate(capacityB)
        tilesC = AlignedMemory.allocate(2 * Microkernel.nr * TransposedTiles.group)
    }

    deinit {
        AlignedMemory.deallocate(packA)
        AlignedMemory.deallocate(packB)
        AlignedMemory.deallocate(tilesC)
    }

    func reserveB(_ count: Int) {
        if count > capacityB {
            AlignedMemory.deallocate(packB)
            capacityB = count
            packB = AlignedMemory.allocate(count)
        }
    }
}

extension SIMDKernels {
    public func gemm(_ transA: Transpose, _ transB: Transpose, m: Int, n: Int, k: Int, alpha: Float,
                     a: UnsafePointer<Float>, lda: Int, b: UnsafePointer<Float>, ldb: Int,
                     beta: Float, c: UnsafeMutablePointer<Float>, ldc: Int) {
        let ftz = FlushToZero.enter()
        defer { FlushToZero.restore(ftz) }
        if m == 0 || n == 0 { return }
        if k == 0 || alpha == 0 {
            for i in 0..<m {
                let row = c + i * ldc
                if beta == 0 { fill(0, row, count: n) } else if beta != 1 { scale(alpha: beta, row, count: n) }
            }
            return
        }
        // One row of A times a wide Bᵀ — a matrix-vector product: a recurrent step or a dense
        // layer on one sequence (sampling) or one example — is n dot products of A's row with
        // B's rows, all contiguous in k (`DotKernel`, every lane used); the 6x16 tiles of the
        // flipped A·Bᵀ would use one of their 16 lanes. Character LSTM sampling (H = 256): 10.8k
        // → 30.7k characters/s on one Zen 4 thread, 16.6k → 42.0k on two. The split over threads
        // is by rows of B, each dot product summed the same way whatever the split.
        let parallelRow = threads > 1 && n * k >= Blocking.parallelThreshold
        if m == 1 && transA == .none && transB == .transpose && k >= 8 && n > 4 {
            columnBands(n, granule: Microkernel.nr, parallel: parallelRow) { t, cols in
                DotKernel.gemm(.transpose, m: cols.count, n: 1, k: k, alpha: alpha, a: b + cols.lowerBound * ldb, lda: ldb,
                               b: a, ldb: lda, beta: beta, c: c + cols.lowerBound, ldc: 1, scratch: workspaces[t].packB)
            }
            return
        }
        // One row of A times B (not transposed): a vector times a matrix, B read in place a row
        // per step of k (`RowKernel`), where the 6x16 tiles would use one row in six and pack B.
        if m == 1 && transA == .none && transB == .none && n >= 16 {
            columnBands(n, granule: RowKernel.block, parallel: parallelRow) { _, cols in
                RowKernel.gemm(columns: cols, k: k, alpha: alpha, a: a, b: b, ldb: ldb, beta: beta, c: c)
            }
            return
        }
        // Threads split C into bands (of whole 16-column panels, or of whole 6-row panels when
        // C is narrow). Every element of C is summed in the same order whatever the split, so
        // the result does not depend on the thread count.
        if threads == 1 || m * n * k < Blocking.parallelThreshold {
            gemmBlocked(transA, transB, m: m, n: n, k: k, alpha: alpha, a: a, lda: lda, b: b, ldb: ldb,
                        beta: beta, c: c, ldc: ldc, workspace: workspaces[0])
            return
        }
        // A recurrent step's A·Bᵀ (a short A: the batch; a wide B: the weights), computed as
        // Cᵀ = B·Aᵀ: split by rows of C in whole 16-row panels — batch rows, the split the fused
        // cells use — so each thread's gates, states and gradients stay in its own core's
        // caches from one kernel to the next. Every band flips as the whole problem does.
        let flippedBands = transA == .none && transB == .transpose && k >= 64 && n >= 4 * m && m >= Microkernel.nr * threads
            && Blocking.unpackedA(.none, size: m * n * k)
        if flippedBands {
            pool.forParts(count: m, granule: Microkernel.nr) { t, rows in
                gemmBlocked(transA, transB, m: rows.count, n: n, k: k, alpha: alpha, a: a + rows.lowerBound * lda, lda: lda,
                            b: b, ldb: ldb, beta: beta, c: c + rows.lowerBound * ldc, ldc: ldc,
                            workspace: workspaces[t], problemSize: m * n * k)
            }
            return
        }
        let splitColumns = n >= 16 * threads && n >= m / 2
        if splitColumns {
            pool.forParts(count: n, granule: Microkernel.nr) { t, cols in
                let bOffset = transB == .none ? cols.lowerBound : cols.lowerBound * ldb
                gemmBlocked(transA, transB, m: m, n: cols.count, k: k, alpha: alpha, a: a, lda: lda,
                            b: b + bOffset, ldb: ldb, beta: beta, c: c + cols.lowerBound, ldc: ldc,
                            workspace: workspaces[t], problemSize: m * n * k)
            }
        } else {
            pool.forParts(count: m, granule: Microkernel.mr) { t, rows in
                let aOffset = transA == .none ? rows.lowerBound * lda : rows.lowerBound
                gemmBlocked(transA, transB, m: rows.count, n: n, k: k, alpha: alpha, a: a + aOffset, lda: lda,
                            b: b, ldb: ldb, beta: beta, c: c + rows.lowerBound * ldc, ldc: ldc,
                            workspace: workspaces[t], problemSize: m * n * k)
            }
        }
    }

    /// A·Wᵀ from whichever layout suits: with AVX-512 and a short A (a recurrent step's batch,
    /// 2 ≤ m ≤ `Microkernel.Wide.maxRows`) A·(Wᵀ) with Wᵀ read in place by 8x32 tiles
    /// (`Microkernel.Wide`), C written as it is; otherwise A·Wᵀ on W, which the 6x16 kernels take
    /// flipped (Cᵀ = W·Aᵀ, W in place, Aᵀ packed, C written transposed) — the faster of the two
    /// with AVX2 (Zen 4, AVX2 build: 32x256x1024 74 vs 102 GFLOPS) — or, for one row, as dot
    /// products. For m ≥ 2 both tile paths sum each element of C over k in the same order, so
    /// the choice does not change the result.
    public func gemm(m: Int, n: Int, k: Int, alpha: Float, a: UnsafePointer<Float>, lda: Int,
                     weights w: UnsafePointer<Float>, ldw: Int, transposedWeights wt: UnsafePointer<Float>, ldwt: Int,
                     beta: Float, c: UnsafeMutablePointer<Float>, ldc: Int) {
        if m > 1 && Microkernel.Wide.applies(m: m, n: n, k: k) {
            gemm(.none, .none, m: m, n: n, k: k, alpha: alpha, a: a, lda: lda, b: wt, ldb: ldwt, beta: beta, c: c, ldc: ldc)
        } else {
            gemm(.none, .transpose, m: m, n: n, k: k, alpha: alpha, a: a, lda: lda, b: w, ldb: ldw, beta: beta, c: c, ldc: ldc)
        }
    }

    /// `body(thread, columns)` over bands of `count` columns in whole granules, split between the
    /// pool's threads when `parallel`, else all on the calling thread (thread 0).
    private func columnBands(_ count: Int, granule: Int, parallel: Bool, _ body: (Int, Range<Int>) -> Void) {
        if parallel { pool.forParts(count: count, granule: granule, body) } else { body(0, 0..<count) }
    }

    /// The five BLIS loops around the microkernel, on one thread.
    ///
    /// Aᵀ·B (the weight gradients) reads A in place when the problem is small: step k of a tile
    /// takes six consecutive floats of row k of the stored A (`Microkernel.runColumns`), where
    /// packing would gather them with a stride. Aᵀ·B is symmetric in its operands
    /// (Cᵀ = Bᵀ·A), so when that needs fewer 6x16 tiles — a narrow C such as 16x2 — it is
    /// computed as Cᵀ and written transposed (`transposedC`).
    func gemmBlocked(_ transA: Transpose, _ transB: Transpose, m: Int, n: Int, k: Int, alpha: Float,
                     a: UnsafePointer<Float>, lda: Int, b: UnsafePointer<Float>, ldb: Int,
                     beta: Float, c: UnsafeMutablePointer<Float>, ldc: Int, workspace ws: GEMMWorkspace,
                     transposedC: Bool = false, problemSize: Int? = nil, tilesOnly: Bool = false) {
        // Paths are chosen from the whole problem's size, not a thread's band of it, so every band
        // takes the path the single-threaded call takes. (The 6x16 paths also all sum k in the
        // same KC blocks, and the narrow kernels are chosen from n and k only, which bands keep:
        // results do not depend on the thread count.)
        let size = problemSize ?? m * n * k
        let mr = Microkernel.mr, nr = Microkernel.nr
        if !transposedC && !tilesOnly && DotKernel.applies(transA, n: n, k: k) {
            if transB == .none { ws.reserveB(n * k) }
            DotKernel.gemm(transB, m: m, n: n, k: k, alpha: alpha, a: a, lda: lda, b: b, ldb: ldb, beta: beta,
                           c: c, ldc: ldc, scratch: ws.packB)
            return
        }
        if !transposedC && !tilesOnly && NarrowKernel.applies(transA, n: n, k: k) {
            ws.reserveB(max(n, 8) * k)
            NarrowKernel.gemm(transB, m: m, n: n, k: k, alpha: alpha, a: a, lda: lda, b: b, ldb: ldb, beta: beta,
                              c: c, ldc: ldc, packB: ws.packB)
            return
        }
        // A short op(A) times B, both read in place (AVX-512): 8x32 tiles (`Microkernel.Wide`)
        // over whole 32-column blocks of B, each block used by every 8-row tile of A while in
        // cache; A's rows, or for Aᵀ·B (weight gradients) eight consecutive floats of each row k.
        // A recurrent step [batch, H]·W_hhᵀ or ∂Z·W_hh: no packing of the 1 MB weights, C
        // written as it is (the 6x32 kernel needed it flipped, and a 16-row band left it one
        // panel wide). Zen 4, run at once on the two cores: 16x1024x256 105.7 vs 96.8 GFLOPS,
        // 32x256x1024 106.8 vs 102.7, 32x784x256 111.2 vs 85.9; Aᵀ·B 256³ 107.6 vs 99.4,
        // 32x2048x1024 68.2 vs 54.2, 48x4096x96 112.1 vs 94.3. The last columns (fewer than 32)
        // take the paths below. (With AVX2 the 6x16 kernel reading B in place measured slower
        // than packing it at 32x256x1024.)
        if !transposedC && transB == .none && Microkernel.Wide.applies(m: m, n: n, k: k) {
            let wide = n / 32 * 32
            for pc in stride(from: 0, to: k, by: Blocking.kc) {
                let kc = min(Blocking.kc, k - pc), betaHere: Float = pc == 0 ? beta : 1
                for jr in stride(from: 0, to: wide, by: 32) {
                    var ir = 0
                    while ir < m {
                        let rows = min(Microkernel.Wide.mr, m - ir)
                        if transA == .none {
                            Microkernel.Wide.run(kc: kc, a: a + ir * lda + pc, lda: lda, b: b + pc * ldb + jr, ldb: ldb,
                                                 c: c + ir * ldc + jr, ldc: ldc, mr: rows, alpha: alpha, beta: betaHere)
                        } else {
                            Microkernel.Wide.runColumns(kc: kc, a: a + pc * lda + ir, lda: lda, b: b + pc * ldb + jr, ldb: ldb,
                                                        c: c + ir * ldc + jr, ldc: ldc, mr: rows, alpha: alpha, beta: betaHere)
                        }
                        ir += rows
                    }
                }
            }
            if wide < n {
                // The tail on the 6x16/6x32 tiles, which sum as the 8x32 ones do (not the narrow
                // kernels: a thread's band may have another tail than the whole problem).
                gemmBlocked(transA, .none, m: m, n: n - wide, k: k, alpha: alpha, a: a, lda: lda, b: b + wide, ldb: ldb,
                            beta: beta, c: c + wide, ldc: ldc, workspace: ws, problemSize: size, tilesOnly: true)
            }
            return
        }
        let inPlaceA = Blocking.unpackedA(transA, size: size)
        // A·Bᵀ with a short A and a wide B (a recurrent step, [batch, hidden]·W_hhᵀ): packing B
        // would copy the whole weight matrix on every call. As Cᵀ = B·Aᵀ, B is read in place
        // (six rows at a time, `runRows`) and only the small A is packed; tiles go to Cᵀ.
        if transA == .none && transB == .transpose && !transposedC && k >= 64 && n >= 4 * m
            && Blocking.unpackedA(.none, size: size) {
            gemmBlocked(.none, .transpose, m: n, n: m, k: k, alpha: alpha, a: b, lda: ldb, b: a, ldb: lda,
                        beta: beta, c: c, ldc: ldc, workspace: ws, transposedC: true, problemSize: size)
            return
        }
        if transA == .transpose && transB == .none && inPlaceA && !transposedC && k >= 32
            && Blocking.tiles(n, m) < Blocking.tiles(m, n) {
            gemmBlocked(.transpose, .none, m: n, n: m, k: k, alpha: alpha, a: b, lda: ldb, b: a, ldb: lda,
                        beta: beta, c: c, ldc: ldc, workspace: ws, transposedC: true, problemSize: size)
            return
        }
        // Aᵀ·B with both operands in place: B's rows are read as they are when every panel is a
        // whole 16 columns (no packing). k keeps its KC blocks on every path, so every path sums
        // each element of C in the same order (and thread bands taking other paths agree).
        let inPlaceB = inPlaceA && transA == .transpose && transB == .none && n % nr == 0
        let kcBlock = Blocking.kc
        for jc in stride(from: 0, to: n, by: Blocking.nc) {
            let nc = min(Blocking.nc, n - jc)
            let ncPadded = (nc + nr - 1) / nr * nr
            if !inPlaceB { ws.reserveB(ncPadded * min(Blocking.kc, k)) }
            for pc in stride(from: 0, to: k, by: kcBlock) {
                let kc = min(kcBlock, k - pc)
                if !inPlaceB { Packing.packB(transB, b, ldb: ldb, p0: pc, j0: jc, kc: kc, nc: nc, ws.packB) }
                let betaHere: Float = pc == 0 ? beta : 1
                for ic in stride(from: 0, to: m, by: Blocking.mc) {
                    let mc = min(Blocking.mc, m - ic)
                    if !inPlaceA { Packing.packA(transA, a, lda: lda, i0: ic, p0: pc, mc: mc, kc: kc, ws.packA) }
                    var jr = 0
                    while jr < nc {
                        let bPanel = inPlaceB ? b + pc * ldb + jc + jr : UnsafePointer(ws.packB + (jr / nr) * kc * nr)
                        let bStride = inPlaceB ? ldb : nr
                        // With AVX-512 (32 registers), two B panels at once: a 6x32 tile in twelve
                        // accumulators covers the FMA latency that six cannot (Microkernel.Pair).
                        let pair = Microkernel.pairs && jr + nr < nc
                        let bPanel2 = inPlaceB ? bPanel + nr : bPanel + kc * nr
                        let nr2 = min(nr, nc - jr - nr)
                        #if !BACKPROP_AVX512
                        if transposedC && transA == .none {
                            // AVX2: tiles in their own layout to a buffer, which reaches C
                            // transposed 8x8 at a time (`TransposedTiles.addTransposed`).
                            let cPanel = c + (jc + jr) * ldc + ic
                            var g0 = 0
                            while g0 < mc {
                                let g1 = min(g0 + TransposedTiles.group, mc)
                                for ir in stride(from: g0, to: g1, by: mr) {
                                    Microkernel.runRows(kc: kc, a: a + (ic + ir) * lda + pc, lda: lda, b: bPanel,
                                                        c: ws.tilesC + (ir - g0) * nr, ldc: nr, mr: min(mr, mc - ir), nr: nr,
                                                        alpha: alpha, beta: 0)
                                }
                                TransposedTiles.addTransposed(ws.tilesC, rows: min(nr, nc - jr), cols: g1 - g0, to: cPanel + g0,
                                                              ldc: ldc, beta: betaHere)
                                g0 = g1
                            }
                            jr += nr
                            continue
                        }
                        #endif
                        if transposedC && transA == .none && TransposedTiles.applies(ldc: ldc) {
                            // Groups of tiles go to a small buffer, then to C a row at a time
                            // (`TransposedTiles`).
                            let rowsC = pair ? nr + nr2 : min(nr, nc - jr)
                            let cPanel = c + (jc + jr) * ldc + ic
                            var g0 = 0
                            while g0 < mc {
                                let g1 = min(g0 + TransposedTiles.group, mc)
                                for ir in stride(from: g0, to: g1, by: mr) {
                                    let rows = min(mr, mc - ir), tile = ws.tilesC + (ir - g0)
                                    if pair {
                                        Microkernel.Pair.runRows(kc: kc, a: a + (ic + ir) * lda + pc, lda: lda, b: bPanel, b2: bPanel2,
                                                                 ldb: bStride, c: tile, ldc: TransposedTiles.group, mr: rows, nr2: nr2,
                                                                 alpha: alpha, beta: 0, transposedC: true)
                                    } else {
                                        Microkernel.runRows(kc: kc, a: a + (ic + ir) * lda + pc, lda: lda, b: bPanel,
                                                            c: tile, ldc: TransposedTiles.group, mr: rows, nr: rowsC,
                                                            alpha: alpha, beta: 0, transposedC: true)
                                    }
                                }
                                TransposedTiles.add(ws.tilesC, rows: rowsC, cols: g1 - g0, to: cPanel + g0, ldc: ldc, beta: betaHere)
                                g0 = g1
                            }
                            jr += pair ? 2 * nr : nr
                            continue
                        }
                        for ir in stride(from: 0, to: mc, by: mr) {
                            let rows = min(mr, mc - ir)
                            if transposedC && transA == .none {
                                let cTile = c + (jc + jr) * ldc + ic + ir
                                if pair {
                                    Microkernel.Pair.runRows(kc: kc, a: a + (ic + ir) * lda + pc, lda: lda, b: bPanel, b2: bPanel2, ldb: bStride,
                                                             c: cTile, ldc: ldc, mr: rows, nr2: nr2, alpha: alpha, beta: betaHere,
                                                             transposedC: true)
                                } else {
                                    Microkernel.runRows(kc: kc, a: a + (ic + ir) * lda + pc, lda: lda, b: bPanel,
                                                        c: cTile, ldc: ldc, mr: rows, nr: min(nr, nc - jr),
                                                        alpha: alpha, beta: betaHere, transposedC: true)
                                }
                                continue
                            }
                            if transposedC {
                                let cTile = c + (jc + jr) * ldc + ic + ir
                                if pair {
                                    Microkernel.Pair.runColumns(kc: kc, a: a + pc * lda + ic + ir, lda: lda, b: bPanel, b2: bPanel2, ldb: bStride,
                                                                c: cTile, c2: cTile + nr * ldc, ldc: ldc, mr: rows, nr2: nr2,
                                                                alpha: alpha, beta: betaHere, transposedC: true)
                                } else {
                                    Microkernel.runColumns(kc: kc, a: a + pc * lda + ic + ir, lda: lda, b: bPanel, ldb: bStride,
                                                           c: cTile, ldc: ldc, mr: rows,
                                                           nr: min(nr, nc - jr), alpha: alpha, beta: betaHere, transposedC: true)
                                }
                                continue
                            }
                            let cTile = c + (ic + ir) * ldc + jc + jr
                            if inPlaceA && transA == .transpose {
                                if pair {
                                    Microkernel.Pair.runColumns(kc: kc, a: a + pc * lda + ic + ir, lda: lda, b: bPanel, b2: bPanel2, ldb: bStride,
                                                                c: cTile, c2: cTile + nr, ldc: ldc, mr: rows, nr2: nr2,
                                                                alpha: alpha, beta: betaHere, transposedC: false)
                                } else {
                                    Microkernel.runColumns(kc: kc, a: a + pc * lda + ic + ir, lda: lda, b: bPanel, ldb: bStride,
                                                           c: cTile, ldc: ldc, mr: rows, nr: min(nr, nc - jr),
                                                           alpha: alpha, beta: betaHere, transposedC: false)
                                }
                            } else if inPlaceA {
                                if pair {
                                    Microkernel.Pair.runRows(kc: kc, a: a + (ic + ir) * lda + pc, lda: lda, b: bPanel, b2: bPanel2, ldb: bStride,
                                                             c: cTile, ldc: ldc, mr: rows, nr2: nr2, alpha: alpha, beta: betaHere)
                                } else {
                                    Microkernel.runRows(kc: kc, a: a + (ic + ir) * lda + pc, lda: lda, b: bPanel,
                                                        c: cTile, ldc: ldc, mr: rows, nr: min(nr, nc - jr),
                                                        alpha: alpha, beta: betaHere)
                                }
                            } else if pair {
                                Microkernel.Pair.run(kc: kc, a: ws.packA + (ir / mr) * kc * mr, b: bPanel, b2: bPanel2, ldb: bStride,
                                                     c: cTile, ldc: ldc, mr: rows, nr2: nr2, alpha: alpha, beta: betaHere)
                            } else {
                                Microkernel.run(kc: kc, a: ws.packA + (ir / mr) * kc * mr, b: bPanel,
                                                c: cTile, ldc: ldc, mr: rows, nr: min(nr, nc - jr),
                                                alpha: alpha, beta: betaHere)
                            }
                        }
                        jr += pair ? 2 * nr : nr
                    }
                }
            }
        }
    }
}

/// Cᵀ tiles (the flipped A·Bᵀ, `transposedC` with A in place: the recurrent steps) collected
/// before they reach C. A 6x32 tile of Cᵀ is six floats in each of 32 rows of C; with C's rows
/// 4 KB apart (4H = 1024 gate columns) those 32 cache lines share one L1 set and evict each
/// other within the tile's own write, so the next tiles, which write the same lines, missed
/// again: the per-step GEMM ran ~15% slower at n = 1024 than at n = 1008 or 1040. Tiles now go
/// to a 32 × `group` buffer (alpha applied, beta 0), and each group reaches C a row at a time,
/// every line of C read and written once: out = fma(beta, C, alpha·acc), the arithmetic of the
/// direct write, so results are bit-identical. Only where the rows collide: with C's rows 1 KB
/// apart (32x1024x256:NT) the extra pass cost 3%.
enum TransposedTiles {
    /// Columns of C per group: eight 6-row tiles, three whole cache lines of each row.
    static let group = 48

    /// Whether C's rows are a multiple of 2 KB apart: 32 rows then fall in at most two L1 sets,
    /// more lines than their ways.
    static func applies(ldc: Int) -> Bool { ldc % 512 == 0 }

    /// C[l, r] = tiles[r, l] + beta · C[l, r] for l < rows, r < cols, from tiles stored in their
    /// own layout (`cols` rows of Cᵀ, 16 floats apart; C not read when beta == 0). The AVX2
    /// path: the 6x16 tile transposed in registers (`Microkernel.writeWholeTileTransposed`)
    /// needs twice AVX2's 16 registers and lane-crossing shuffles, slow on the first Zen cores
    /// (with the code around the k loop, ~7% of `runRows`' time in the LSTM on Zen 1); here
    /// whole 8x8 blocks use in-lane shuffles (`backprop_transpose8x8_add`), with the same
    /// fma(beta, C, tile) per element: the tile writes' share of a step fell by ~1%.
    @inline(never)
    static func addTransposed(_ tiles: UnsafePointer<Float>, rows: Int, cols: Int, to c: UnsafeMutablePointer<Float>,
                              ldc: Int, beta: Float) {
        let ld = Microkernel.nr
        @inline(__always) func one(_ l: Int, _ r: Int) {
            let v = tiles[r * ld + l], p = c + l * ldc + r
            p.pointee = beta == 0 ? v : v.addingProduct(beta, p.pointee)
        }
        // Eight rows of C at a time, across the whole group: with C's rows 4 KB apart, the
        // lines of eight rows are what one L1 set holds.
        let wholeCols = cols / 8 * 8
        var l0 = 0
        while l0 + 8 <= rows {
            var r0 = 0
            while r0 < wholeCols {
                backprop_transpose8x8_add(tiles + r0 * ld + l0, ld, c + l0 * ldc + r0, ldc, beta)
                r0 += 8
            }
            l0 += 8
        }
        for l in 0..<rows {
            for r in (l < l0 ? wholeCols : 0)..<cols { one(l, r) }
        }
    }

    /// C[r, 0..<cols] = tiles[r, 0..<cols] + beta · C[r, 0..<cols] (C not read when beta == 0).
    @inline(never)
    static func add(_ tiles: UnsafePointer<Float>, rows: Int, cols: Int, to c: UnsafeMutablePointer<Float>, ldc: Int,
                    beta: Float) {
        let bv = Vec(repeating: beta)
        for r in 0..<rows {
            let src = tiles + r * group, dst = c + r * ldc
            var j = 0
            while j + 16 <= cols {
                var v = VectorMemory.load(src + j)
                if beta != 0 { v = v.addingProduct(bv, VectorMemory.load(dst + j)) }
                VectorMemory.store(v, dst + j)
                j += 16
            }
            if j < cols {
                var v = VectorMemory.loadPartial(src + j, cols - j)
                if beta != 0 { v = v.addingProduct(bv, VectorMemory.loadPartial(dst + j, cols - j)) }
                VectorMemory.storePartial(v, dst + j, cols - j)
            }
        }
    }
}
