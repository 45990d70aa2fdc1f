/// GEMM cases: shapes that break tails and blocking (1, 7, 8, 9, 15-17, 33, 127-129, K = 1, tall,
/// wide, narrow C (n ≤ 10), short A times wide Bᵀ (n ≥ 4m, k ≥ 64), one row times a wide Bᵀ (m = 1), and sizes past each cache block: k > KC = 256, m > MC = 168, n > NC = 4080), all four
/// transpose combinations, alpha/beta combinations (including alpha = 0, and beta = 0 over a C
/// full of NaN, which must not be read), padded leading dimensions (the row gaps are guarded),
/// and special, huge and tiny values; and A·Wᵀ from both layouts of the weights (`weightCases`).
///
/// Metric: every element within (k + 2)·ε·(|α|·(|A||B|)_ij + |β|·|C_ij|) + k·FLT_MIN of the
/// reference, which accumulates in Double — the classical bound for a length-k dot product.
enum GEMMCases {
    static let shapes: [(Int, Int, Int)] = [
        (1, 1, 1), (1, 17, 5), (17, 1, 5), (5, 7, 3), (7, 8, 9), (8, 9, 7), (9, 7, 8),
        (15, 16, 17), (16, 16, 16), (17, 17, 17), (33, 33, 33), (6, 16, 1), (100, 100, 1),
        (127, 128, 129), (129, 127, 128), (128, 10, 256), (10, 128, 10),
        (300, 7, 20), (7, 300, 20), (1, 1, 300),
        // Narrow C (n ≤ 4: dot products along k; 5-10: 12x8 tiles plus dot products) with row
        // and k tails, and Aᵀ·B computed as Cᵀ across several KC blocks (16x2, k = 300).
        (1000, 2, 16), (37, 3, 29), (9, 4, 8), (13, 1, 100), (16, 2, 300), (37, 9, 40), (100, 5, 33),
        // A·Bᵀ with a short A and a wide B, computed as Cᵀ = B·Aᵀ with B in place (a recurrent
        // step): row and column tails, and k across two KC blocks.
        (5, 130, 70), (13, 64, 300),
        // One row of A times a wide Bᵀ (a matrix-vector product: one sequence or example), with
        // k tails and across KC blocks.
        (1, 130, 70), (1, 1030, 300), (1, 9, 13),
    ]
    /// Unpadded shapes whose C rows are a multiple of 2 KB apart (n = 512, 1024): the flipped
    /// A·Bᵀ collects its Cᵀ tiles before writing them (SIMD `TransposedTiles`), here with row and
    /// column tails (m = 13, 37; n = 1024 = 170·6 + 4) and k across KC blocks.
    static let rowCollisions: [(Int, Int, Int)] = [(13, 512, 70), (37, 1024, 300)]
    static let large: [(Int, Int, Int)] = [(256, 256, 256), (300, 200, 300), (20, 4100, 17), (200, 130, 600), (32, 1024, 256)]
    static let scalars: [(Float, Float)] = [(1, 0), (-0.5, 1.5), (0, 2), (2, 1)]

    static func cases() -> [ConformanceCase] {
        var out: [ConformanceCase] = []
        for ta in Transpose.allCases {
            for tb in Transpose.allCases {
                for (i, s) in shapes.enumerated() {
                    for (alpha, beta) in scalars {
                        out.append(make(ta, tb, s, alpha, beta, pad: i % 2 == 0 ? 0 : 3, .normal))
                    }
                }
                for s in rowCollisions {
                    for (alpha, beta) in scalars { out.append(make(ta, tb, s, alpha, beta, pad: 0, .normal)) }
                }
                for s in large {
                    out.append(make(ta, tb, s, 1, 0, pad: 0, .normal))
                    out.append(make(ta, tb, s, -0.5, 1.5, pad: 5, .normal))
                }
                for v in [InputVariant.special, .huge, .tiny] {
                    out.append(make(ta, tb, (17, 33, 19), 1, 0, pad: 1, v))
                    out.append(make(ta, tb, (17, 33, 19), 0.5, 2, pad: 0, v))
                    out.append(make(ta, tb, (17, 2, 19), 0.5, 2, pad: 1, v))
                }
            }
        }
        return out + weightCases()
    }

    static func make(_ ta: Transpose, _ tb: Transpose, _ s: (Int, Int, Int), _ alpha: Float, _ beta: Float,
                     pad: Int, _ variant: InputVariant) -> ConformanceCase {
        let (m, n, k) = s
        let name = "gemm \(ta.rawValue)\(tb.rawValue) m=\(m) n=\(n) k=\(k) alpha=\(alpha) beta=\(beta) pad=\(pad)"
            + (variant == .normal ? "" : " \(variant.rawValue)")
        return ConformanceCase(.gemm, name) { cand, ref, rng in
            // Stored shapes: A is [m, k] or, transposed, [k, m]; B is [k, n] or [n, k].
            let (ar, ac) = ta == .none ? (m, k) : (k, m)
            let (br, bc) = tb == .none ? (k, n) : (n, k)
            let av = CaseInputs.values(ar * ac, &rng, variant: variant)
            let bv = CaseInputs.values(br * bc, &rng, variant: variant == .special ? .normal : variant)
            var cv = CaseInputs.values(m * n, &rng, variant: variant == .special ? .normal : variant)
            if beta == 0 { cv = [Float](repeating: .nan, count: m * n) }
            let a = CaseInputs.buffer(rows: ar, width: ac, ld: ac + pad, av)
            let b = CaseInputs.buffer(rows: br, width: bc, ld: bc + pad, bv)
            let cC = CaseInputs.buffer(rows: m, width: n, ld: n + pad, cv)
            let cR = CaseInputs.buffer(rows: m, width: n, ld: n + pad, cv)
            cand.gemm(ta, tb, m: m, n: n, k: k, alpha: alpha, a: a.pointer, lda: a.ld, b: b.pointer, ldb: b.ld,
                      beta: beta, c: cC.pointer, ldc: cC.ld)
            ref.gemm(ta, tb, m: m, n: n, k: k, alpha: alpha, a: a.pointer, lda: a.ld, b: b.pointer, ldb: b.ld,
                     beta: beta, c: cR.pointer, ldc: cR.ld)
            if a.values != av && !av.contains(where: \.isNaN) { return CaseInputs.fail("modified its input A") }
            return check(ta, tb, (m, n, k), alpha, beta, av, bv, cv, candidate: cC, reference: cR)
        }
    }

    /// The bound: scale_ij = |α|·Σ_p |op(A)_ip|·|op(B)_pj| + |β|·|C_ij|, times (k + 2)·ε.
    static func check(_ ta: Transpose, _ tb: Transpose, _ s: (Int, Int, Int), _ alpha: Float, _ beta: Float,
                      _ av: [Float], _ bv: [Float], _ cv: [Float],
                      candidate cC: GuardedBuffer, reference cR: GuardedBuffer) -> ConformanceResult.Outcome {
        let (m, n, k) = s
        var scale = [Double](repeating: 0, count: m * n)
        for i in 0..<m {
            for j in 0..<n {
                var s = 0.0
                if alpha != 0 {
                    for p in 0..<k {
                        let x = ta == .none ? av[i * k + p] : av[p * m + i]
                        let y = tb == .none ? bv[p * n + j] : bv[j * k + p]
                        s += Double(Swift.abs(x)) * Double(Swift.abs(y))
                    }
                }
                scale[i * n + j] = Double(Swift.abs(alpha)) * s + (beta == 0 ? 0 : Double(Swift.abs(beta * cv[i * n + j])))
            }
        }
        let limit = Double(k + 2) * Double(Float.ulpOfOne)
        return CaseInputs.check(.bounded(limit, scale: scale, floor: Double(k + 1) * Double(Float.leastNormalMagnitude)),
                                candidate: cC, reference: cR)
    }

    /// A·Wᵀ with the weights in both layouts (`gemm(m:n:k:...weights:...transposedWeights:...)`):
    /// recurrent-step shapes (a short A: 16, 32 rows; W 1024x256 and 256x1024), row and column
    /// tails of the in-place tiles (m = 5, 37; n = 130, 100, 33), k across KC blocks, a tall A past
    /// the short-A path (m = 300) and one row; padded rows. Against the reference's A·Wᵀ on W.
    static let weightShapes: [(Int, Int, Int)] = [
        (32, 1024, 256), (16, 256, 1024), (5, 130, 70), (37, 100, 300), (64, 33, 17), (300, 64, 40), (1, 64, 64),
    ]

    static func weightCases() -> [ConformanceCase] {
        var out: [ConformanceCase] = []
        for (i, s) in weightShapes.enumerated() {
            for (alpha, beta) in scalars { out.append(makeWeights(s, alpha, beta, pad: i % 2 == 0 ? 0 : 3)) }
        }
        return out
    }

    static func makeWeights(_ s: (Int, Int, Int), _ alpha: Float, _ beta: Float, pad: Int) -> ConformanceCase {
        let (m, n, k) = s
        return ConformanceCase(.gemm, "gemm weights m=\(m) n=\(n) k=\(k) alpha=\(alpha) beta=\(beta) pad=\(pad)") { cand, ref, rng in
            let av = CaseInputs.values(m * k, &rng, variant: .normal)
            let wv = CaseInputs.values(n * k, &rng, variant: .normal)
            var cv = CaseInputs.values(m * n, &rng, variant: .normal)
            if beta == 0 { cv = [Float](repeating: .nan, count: m * n) }
            var wtv = [Float](repeating: 0, count: k * n)
            for j in 0..<n { for p in 0..<k { wtv[p * n + j] = wv[j * k + p] } }
            let a = CaseInputs.buffer(rows: m, width: k, ld: k + pad, av)
            let w = CaseInputs.buffer(rows: n, width: k, ld: k + pad, wv)
            let wt = CaseInputs.buffer(rows: k, width: n, ld: n + pad, wtv)
            let cC = CaseInputs.buffer(rows: m, width: n, ld: n + pad, cv)
            let cR = CaseInputs.buffer(rows: m, width: n, ld: n + pad, cv)
            cand.gemm(m: m, n: n, k: k, alpha: alpha, a: a.pointer, lda: a.ld, weights: w.pointer, ldw: w.ld,
                      transposedWeights: wt.pointer, ldwt: wt.ld, beta: beta, c: cC.pointer, ldc: cC.ld)
            ref.gemm(.none, .transpose, m: m, n: n, k: k, alpha: alpha, a: a.pointer, lda: a.ld, b: w.pointer, ldb: w.ld,
                     beta: beta, c: cR.pointer, ldc: cR.ld)
            if w.values != wv || wt.values != wtv { return CaseInputs.fail("modified its weights") }
            return check(.none, .transpose, s, alpha, beta, av, wv, cv, candidate: cC, reference: cR)
        }
    }
}
