import Foundation

/// Times several closures side by side: after a warm-up round, `rounds` rounds each run every
/// closure once (A B C A B C ...), so that drift on a shared, noisy machine hits all alike.
/// Each sample repeats its closure enough times to last ~`sampleSeconds`; the result is the
/// median seconds per call.
enum Interleaved {
    static func medians(_ bodies: [() -> Void], rounds: Int, sampleSeconds: Double = 0.02) -> [Double] {
        // Calibrate: calls per sample, from one timed call each (which is also the warm-up).
        let reps: [Int] = bodies.map { body in
            let t = time(body)
            return max(1, min(100_000, Int(sampleSeconds / max(t, 1e-9))))
        }
        var samples = [[Double]](repeating: [], count: bodies.count)
        for _ in 0..<rounds {
            for (i, body) in bodies.enumerated() {
                let n = reps[i]
                let t = time { for _ in 0..<n { body() } }
                samples[i].append(t / Double(n))
            }
        }
        return samples.map { s in s.sorted()[s.count / 2] }
    }

    static func time(_ body: () -> Void) -> Double {
        let t0 = DispatchTime.now().uptimeNanoseconds
        body()
        return Double(DispatchTime.now().uptimeNanoseconds - t0) * 1e-9
    }
}
