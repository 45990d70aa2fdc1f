import Backprop

/// GEMM throughput: square sizes 32…2048 and the shapes of the Fashion-MNIST MLP's training step
/// (batch 128), each on every backend, interleaved. naive runs only up to 256 (it needs seconds
/// per call beyond).
enum BenchGEMM {
    struct Shape {
        let m: Int, k: Int, n: Int
        var transA = Transpose.none, transB = Transpose.none

        init(m: Int, k: Int, n: Int, transA: Transpose = .none, transB: Transpose = .none) {
            self.m = m; self.k = k; self.n = n; self.transA = transA; self.transB = transB
        }

        /// `MxKxN` or `MxKxN:TN`.
        init(parsing s: String) throws {
            let parts = s.split(separator: ":")
            let dims = parts[0].split(separator: "x").compactMap { Int($0) }
            let t = parts.count == 2 ? Array(parts[1]) : ["N", "N"]
            guard dims.count == 3, dims.allSatisfy({ $0 >= 1 && $0 <= 65536 }), parts.count <= 2, t.count == 2,
                  let ta = Transpose(rawValue: String(t[0])), let tb = Transpose(rawValue: String(t[1])) else {
                throw CLIError("--shape: '\(s)' is not MxKxN or MxKxN:TN (e.g. 128x784x256 or 784x128x256:TN)")
            }
            self.init(m: dims[0], k: dims[1], n: dims[2], transA: ta, transB: tb)
        }
        var label: String {
            "\(m)x\(k)x\(n)" + (transA == .none && transB == .none ? "" : " \(transA.rawValue)\(transB.rawValue)")
        }
    }

    static let squares = [32, 64, 128, 256, 512, 1024, 2048]
    /// Forward X·W of each layer; backward dW = Xᵀ·dZ of layer 1, dX = dZ·Wᵀ of layers 1 and 3.
    static let mlp: [Shape] = [
        Shape(m: 128, k: 784, n: 256), Shape(m: 128, k: 256, n: 128), Shape(m: 128, k: 128, n: 10),
        Shape(m: 784, k: 128, n: 256, transA: .transpose), Shape(m: 128, k: 256, n: 784, transB: .transpose),
        Shape(m: 128, k: 10, n: 128, transB: .transpose),
    ]

    static func run(_ backends: [any Backend], only: Shape?, rounds: Int, roofs: Roofs) -> [BenchRow] {
        let shapes = only.map { [$0] } ?? (squares.map { Shape(m: $0, k: $0, n: $0) } + mlp)
        var rows: [BenchRow] = []
        for s in shapes {
            let runners = backends.filter { $0.name != "naive" || s.m * s.n * s.k <= 256 * 256 * 256 }
                .map { Operands(backend: $0, shape: s) }
            let t = Interleaved.medians(runners.map { r in { r.run() } }, rounds: rounds, spins: runners.map { $0.backend.leavesThreadsSpinning })
            for (r, secs) in zip(runners, t) {
                var row = BenchRow(backend: r.backend.name, op: "gemm", shape: s.label, threads: r.backend.threads, seconds: secs)
                row.gflops = 2 * Double(s.m * s.n * s.k) / secs / 1e9
                row.percentOfRoof = 100 * row.gflops! / roofs.gflops
                rows.append(row)
            }
            if only != nil && !runners.contains(where: { $0.backend.name == "naive" }),
               let naive = backends.first(where: { $0.name == "naive" }) {
                // Still report naive, at 256.
                rows += run([naive], only: Shape(m: 256, k: 256, n: 256), rounds: min(rounds, 3), roofs: roofs)
            }
        }
        return rows
    }

    /// The operands of one GEMM, allocated and filled once.
    final class Operands {
        let backend: any Backend
        let s: Shape
        let a: Tensor, b: Tensor, c: Tensor

        init(backend: any Backend, shape: Shape) {
            self.backend = backend
            s = shape
            a = Tensor(shape: [shape.m * shape.k]); b = Tensor(shape: [shape.k * shape.n]); c = Tensor(shape: [shape.m * shape.n])
            var g = RandomGenerator(seed: 1)
            g.fill(.uniform(low: -1, high: 1), a.data, count: a.count)
            g.fill(.uniform(low: -1, high: 1), b.data, count: b.count)
        }

        func run() {
            backend.gemm(s.transA, s.transB, m: s.m, n: s.n, k: s.k, alpha: 1,
                         a: a.data, lda: s.transA == .none ? s.k : s.m, b: b.data, ldb: s.transB == .none ? s.n : s.k,
                         beta: 0, c: c.data, ldc: s.n)
        }
    }
}
