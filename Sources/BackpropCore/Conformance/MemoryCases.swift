/// Memory, randomness and linear-algebra cases.
///
/// Fills, copies and random fills must be bit-identical to the reference (random fills also
/// from a generator part-way through its stream, and must advance it by the same count); solves
/// of diagonally dominant systems agree within NMSE 1e-8, and a singular system throws on both.
enum MemoryCases {
    static let counts = [1, 7, 8, 9, 15, 16, 17, 33, 127, 128, 129, 1000, 70_001]

    static func cases() -> [ConformanceCase] {
        var out: [ConformanceCase] = []
        for n in counts {
            out.append(ConformanceCase(.fill, "fill n=\(n)") { cand, ref, _ in
                let yC = GuardedBuffer(count: n), yR = GuardedBuffer(count: n)
                cand.fill(-1.25, yC.pointer, count: n)
                ref.fill(-1.25, yR.pointer, count: n)
                return CaseInputs.check(.exact, candidate: yC, reference: yR)
            })
            out.append(ConformanceCase(.copy, "copy n=\(n)") { cand, ref, rng in
                let x = CaseInputs.buffer(CaseInputs.values(n, &rng, variant: n > 8 ? .special : .normal))
                let yC = GuardedBuffer(count: n), yR = GuardedBuffer(count: n)
                cand.copy(x.pointer, yC.pointer, count: n)
                ref.copy(x.pointer, yR.pointer, count: n)
                return CaseInputs.check(.exact, candidate: yC, reference: yR)
            })
            for d in [Distribution.uniform(low: -2, high: 3), .normal(mean: 1, std: 0.5)] {
                let kind: OpKind = if case .uniform = d { .randomUniform } else { .randomNormal }
                out.append(ConformanceCase(kind, "\(kind.rawValue) n=\(n)") { cand, ref, rng in
                    let yC = GuardedBuffer(count: n), yR = GuardedBuffer(count: n)
                    var gC = RandomGenerator(seed: rng.seed, counter: 12345)
                    var gR = gC
                    cand.fillRandom(d, yC.pointer, count: n, generator: &gC)
                    ref.fillRandom(d, yR.pointer, count: n, generator: &gR)
                    if gC != gR { return CaseInputs.fail("generator advanced to \(gC.counter), expected \(gR.counter)") }
                    return CaseInputs.check(.exact, candidate: yC, reference: yR)
                })
            }
        }
        for n in [1, 2, 5, 17, 64] {
            for nrhs in [1, 3] {
                out.append(ConformanceCase(.solve, "solve n=\(n) nrhs=\(nrhs)") { cand, ref, rng in
                    var a = CaseInputs.values(n * n, &rng)
                    for i in 0..<n { a[i * n + i] += Float(n) }   // diagonally dominant: well conditioned
                    let b = CaseInputs.values(n * nrhs, &rng)
                    let aC = CaseInputs.buffer(a), aR = CaseInputs.buffer(a)
                    let xC = CaseInputs.buffer(b), xR = CaseInputs.buffer(b)
                    do {
                        try cand.solve(n: n, nrhs: nrhs, a: aC.pointer, b: xC.pointer)
                        try ref.solve(n: n, nrhs: nrhs, a: aR.pointer, b: xR.pointer)
                    } catch {
                        return CaseInputs.fail("threw \(error) on a non-singular system")
                    }
                    return CaseInputs.check(.nmse(1e-8), candidate: xC, reference: xR)
                })
            }
        }
        out.append(ConformanceCase(.solve, "solve singular n=4") { cand, _, _ in
            let a = GuardedBuffer(count: 16)
            a.set([1, 2, 3, 4, 2, 4, 6, 8, 0, 1, 0, 1, 1, 1, 1, 1])
            let b = GuardedBuffer(count: 4)
            b.set([1, 2, 3, 4])
            do {
                try cand.solve(n: 4, nrhs: 1, a: a.pointer, b: b.pointer)
                return CaseInputs.fail("did not report a singular matrix")
            } catch {
                return CaseInputs.pass
            }
        })
        return out
    }
}
