/// The register-blocked GEMM microkernel: a 6x16 tile of C held in six `SIMD16<Float>`
/// accumulators (twelve AVX2 registers), updated by one broadcast of A and two FMAs per row and
/// per step of k. Measured here: this shape reaches OpenBLAS's single-thread speed, while the
/// same tile as twelve `SIMD8` accumulators spills registers and runs at 0.4x.
enum Microkernel {
    /// Rows of the tile (A panel height).
    static let mr = 6
    /// Columns of the tile (B panel width).
    static let nr = 16

    /// C[0..<mr, 0..<nr] = alpha · Ã·B̃ + beta · C for packed panels Ã (kc × 6, k-major) and
    /// B̃ (kc × 16, k-major, 64-byte aligned). C is not read when beta == 0.
    @inline(never)
    static func run(kc: Int, a: UnsafePointer<Float>, b: UnsafePointer<Float>,
                    c: UnsafeMutablePointer<Float>, ldc: Int, mr: Int, nr: Int,
                    alpha: Float, beta: Float) {
        var c0 = Vec(), c1 = Vec(), c2 = Vec(), c3 = Vec(), c4 = Vec(), c5 = Vec()
        var ap = a
        var bp = UnsafeRawPointer(b)
        for _ in 0..<kc {
            let bv = bp.load(as: Vec.self)
            c0 = c0.addingProduct(Vec(repeating: ap[0]), bv)
            c1 = c1.addingProduct(Vec(repeating: ap[1]), bv)
            c2 = c2.addingProduct(Vec(repeating: ap[2]), bv)
            c3 = c3.addingProduct(Vec(repeating: ap[3]), bv)
            c4 = c4.addingProduct(Vec(repeating: ap[4]), bv)
            c5 = c5.addingProduct(Vec(repeating: ap[5]), bv)
            ap += 6
            bp += 64
        }
        if mr == 6 && nr == 16 {
            store(c0, c, alpha, beta)
            store(c1, c + ldc, alpha, beta)
            store(c2, c + 2 * ldc, alpha, beta)
            store(c3, c + 3 * ldc, alpha, beta)
            store(c4, c + 4 * ldc, alpha, beta)
            store(c5, c + 5 * ldc, alpha, beta)
        } else {
            // Edge tile: write only the rows and columns inside C.
            withUnsafeTemporaryAllocation(of: Vec.self, capacity: 6) { acc in
                acc[0] = c0; acc[1] = c1; acc[2] = c2; acc[3] = c3; acc[4] = c4; acc[5] = c5
                for i in 0..<mr {
                    let row = c + i * ldc
                    for j in 0..<nr {
                        row[j] = beta == 0 ? alpha * acc[i][j] : (alpha * acc[i][j]).addingProduct(beta, row[j])
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
