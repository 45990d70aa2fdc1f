/// GEMM for a single row of C with B not transposed, c = alpha·a·B + beta·c (a vector times a
/// matrix: a dense layer on one example, as when a language model samples one sequence).
///
/// The 6x16 tiles would use one of their six rows and pack B at every call (the whole weight
/// matrix: 256x114 for the character model's output layer). Here B is read in place, a row of
/// it per step of k, into four vectors of accumulators (64 columns of c) at a time: per step one
/// broadcast of a[p], four loads and four FMAs, every lane used. Each element of c sums its k
/// products in order, so the result does not depend on how columns are split between threads.
enum RowKernel {
    /// Columns of c per block of accumulators (four vectors).
    static let block = 64

    /// c[j] = alpha·Σ_p a[p]·B[p, j] + beta·c[j] for columns `columns` of B (row stride `ldb`).
    /// c is not read when beta == 0.
    static func gemm(columns: Range<Int>, k: Int, alpha: Float, a: UnsafePointer<Float>, b: UnsafePointer<Float>, ldb: Int,
                     beta: Float, c: UnsafeMutablePointer<Float>) {
        var j = columns.lowerBound
        while j + block <= columns.upperBound {
            wholeBlock(j, k: k, alpha: alpha, a: a, b: b, ldb: ldb, beta: beta, c: c)
            j += block
        }
        if j < columns.upperBound { edgeBlock(j, count: columns.upperBound - j, k: k, alpha: alpha, a: a, b: b, ldb: ldb, beta: beta, c: c) }
    }

    @inline(never)
    static func wholeBlock(_ j: Int, k: Int, alpha: Float, a: UnsafePointer<Float>, b: UnsafePointer<Float>, ldb: Int,
                           beta: Float, c: UnsafeMutablePointer<Float>) {
        var c0 = Vec(), c1 = Vec(), c2 = Vec(), c3 = Vec()
        var row = b + j
        for p in 0..<k {
            let av = Vec(repeating: a[p])
            c0 = c0.addingProduct(av, VectorMemory.load(row))
            c1 = c1.addingProduct(av, VectorMemory.load(row + 16))
            c2 = c2.addingProduct(av, VectorMemory.load(row + 32))
            c3 = c3.addingProduct(av, VectorMemory.load(row + 48))
            row += ldb
        }
        let out = c + j
        write(c0, out, 16, alpha: alpha, beta: beta)
        write(c1, out + 16, 16, alpha: alpha, beta: beta)
        write(c2, out + 32, 16, alpha: alpha, beta: beta)
        write(c3, out + 48, 16, alpha: alpha, beta: beta)
    }

    /// The last block, narrower than 64 columns: up to three whole vectors and one partial one.
    @inline(never)
    static func edgeBlock(_ j: Int, count: Int, k: Int, alpha: Float, a: UnsafePointer<Float>, b: UnsafePointer<Float>,
                          ldb: Int, beta: Float, c: UnsafeMutablePointer<Float>) {
        let whole = count / 16, rest = count % 16
        var c0 = Vec(), c1 = Vec(), c2 = Vec(), cr = Vec()
        var row = b + j
        for p in 0..<k {
            let av = Vec(repeating: a[p])
            if whole > 0 { c0 = c0.addingProduct(av, VectorMemory.load(row)) }
            if whole > 1 { c1 = c1.addingProduct(av, VectorMemory.load(row + 16)) }
            if whole > 2 { c2 = c2.addingProduct(av, VectorMemory.load(row + 32)) }
            if rest > 0 { cr = cr.addingProduct(av, VectorMemory.loadPartial(row + 16 * whole, rest)) }
            row += ldb
        }
        let out = c + j
        if whole > 0 { write(c0, out, 16, alpha: alpha, beta: beta) }
        if whole > 1 { write(c1, out + 16, 16, alpha: alpha, beta: beta) }
        if whole > 2 { write(c2, out + 32, 16, alpha: alpha, beta: beta) }
        if rest > 0 { write(cr, out + 16 * whole, rest, alpha: alpha, beta: beta) }
    }

    /// out = alpha·acc + beta·out (out not read when beta == 0), `n` lanes of it.
    @inline(__always)
    static func write(_ acc: Vec, _ out: UnsafeMutablePointer<Float>, _ n: Int, alpha: Float, beta: Float) {
        var v = acc * alpha
        if beta != 0 {
            let old = n == 16 ? VectorMemory.load(out) : VectorMemory.loadPartial(out, n)
            v = VectorMath.fma(Vec(repeating: beta), old, v)
        }
        if n == 16 { VectorMemory.store(v, out) } else { VectorMemory.storePartial(v, out, n) }
    }
}
