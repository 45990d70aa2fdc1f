/// Transposes: exact (a transpose moves values, it computes nothing), over shapes that break 16x16
/// blocks and thread bands (1, 7, 16, 17, 33, 129, 300 and a tall and a wide one), packed and
/// strided source and destination, with special values; guard regions catch writes outside y
/// (and into the gaps of a strided y).
enum TransposeCases {
    static func cases() -> [ConformanceCase] {
        var out: [ConformanceCase] = []
        let shapes = [(1, 1), (1, 7), (7, 1), (16, 16), (17, 33), (33, 17), (129, 7), (300, 300), (2000, 3), (3, 2000), (300, 270)]
        for (rows, cols) in shapes {
            for pad in [0, 5] {
                out.append(ConformanceCase(.transpose, "transpose \(rows)x\(cols) pad=\(pad)") { cand, ref, rng in
                    let x = CaseInputs.values(rows * cols, &rng, variant: rows * cols > 8 ? .special : .normal)
                    let src = CaseInputs.buffer(rows: rows, width: cols, ld: cols + pad, x)
                    let yC = GuardedBuffer(rows: cols, width: rows, ld: rows + pad), yR = GuardedBuffer(rows: cols, width: rows, ld: rows + pad)
                    cand.transpose(src.pointer, rows: rows, cols: cols, ldx: cols + pad, yC.pointer, ldy: rows + pad)
                    ref.transpose(src.pointer, rows: rows, cols: cols, ldx: cols + pad, yR.pointer, ldy: rows + pad)
                    return CaseInputs.check(.exact, candidate: yC, reference: yR)
                })
            }
        }
        return out
    }
}
