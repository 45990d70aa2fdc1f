extension SIMDKernels {
    /// y = xᵀ in 16x16 blocks, transposed in registers (`VectorMemory.transpose16`; edge blocks
    /// element by element): each block's 16 source rows stay in L1 while its 16 columns are
    /// written as rows, so neither side is swept with a stride through the whole matrix. Bands of
    /// source rows are split across the pool for large matrices.
    public func transpose(_ x: UnsafePointer<Float>, rows: Int, cols: Int, ldx: Int, _ y: UnsafeMutablePointer<Float>, ldy: Int) {
        guard rows > 0, cols > 0 else { return }
        let block = 16
        @inline(__always) func band(_ r: Range<Int>) {
            var i0 = r.lowerBound
            while i0 < r.upperBound {
                let i1 = min(i0 + block, r.upperBound)
                var j0 = 0
                while j0 < cols {
                    let j1 = min(j0 + block, cols)
                    if i1 - i0 == block && j1 - j0 == block {
                        VectorMemory.transpose16(x + i0 * ldx + j0, ldx, y + j0 * ldy + i0, ldy)
                    } else {
                        for j in j0..<j1 {
                            let dst = y + j * ldy
                            for i in i0..<i1 { dst[i] = x[i * ldx + j] }
                        }
                    }
                    j0 = j1
                }
                i0 = i1
            }
        }
        if threads == 1 || rows * cols < parallelElementThreshold {
            band(0..<rows)
        } else {
            pool.forRanges(count: rows, granule: block) { band($0) }
        }
    }
}
