import Backprop

/// Elementwise maps, activations, reductions and softmax on arrays far larger than the caches
/// (4 Mi floats, 16 MiB each): GB/s of memory traffic (bytes read + written) against the copy
/// roof measured in the same run.
enum BenchElementwise {
    static let count = 1 << 24   // 64 MiB per array: twice the L3

    struct Case {
        let name: String
        /// Bytes moved per call.
        let bytes: Int
        let body: (any Backend, Tensor, Tensor, Tensor) -> Void
    }

    static func measure(_ backends: [any Backend], _ cases: [Case], shape: String, rounds: Int, roofs: Roofs) -> [BenchRow] {
        var rows: [BenchRow] = []
        for c in cases {
            let operands = backends.map { _ -> (Tensor, Tensor, Tensor) in
                let x = Tensor(shape: [count]), y = Tensor(shape: [count]), z = Tensor(shape: [count])
                var g = RandomGenerator(seed: 2)
                g.fill(.uniform(low: -4, high: 4), x.data, count: count)
                g.fill(.uniform(low: 0.5, high: 1), z.data, count: count)
                return (x, y, z)
            }
            let bodies = zip(backends, operands).map { b, o in { c.body(b, o.0, o.1, o.2) } }
            let t = Interleaved.medians(bodies, rounds: rounds, spins: backends.map(\.leavesThreadsSpinning))
            for (b, secs) in zip(backends, t) {
                var row = BenchRow(backend: b.name, op: c.name, shape: shape, threads: b.threads, seconds: secs)
                row.gbps = Double(c.bytes) / secs / 1e9
                row.percentOfRoof = 100 * row.gbps! / roofs.gbps
                rows.append(row)
            }
        }
        return rows
    }

    static func run(_ backends: [any Backend], rounds: Int, roofs: Roofs) -> [BenchRow] {
        let n = count, two = 2 * n * 4, three = 3 * n * 4
        let cols = 1024, r = n / cols
        let cases: [Case] = [
            Case(name: "copy", bytes: two) { b, x, y, _ in b.copy(x.data, y.data, count: n) },
            Case(name: "relu", bytes: two) { b, x, y, _ in b.unary(.activation(.relu), x.data, y.data, count: n) },
            Case(name: "sigmoid", bytes: two) { b, x, y, _ in b.unary(.activation(.sigmoid), x.data, y.data, count: n) },
            Case(name: "tanh", bytes: two) { b, x, y, _ in b.unary(.activation(.tanh), x.data, y.data, count: n) },
            Case(name: "elu", bytes: two) { b, x, y, _ in b.unary(.activation(.elu(alpha: 1)), x.data, y.data, count: n) },
            Case(name: "exp", bytes: two) { b, x, y, _ in b.unary(.exp, x.data, y.data, count: n) },
            Case(name: "relu_gradient", bytes: three) { b, x, y, z in
                b.activationGradient(.relu, x: x.data, y: x.data, dy: z.data, dx: y.data, count: n) },
            Case(name: "add", bytes: three) { b, x, y, z in b.binary(.add, x.data, z.data, .none, y.data, rows: 1, cols: n) },
            Case(name: "axpy", bytes: three) { b, x, y, _ in b.axpy(alpha: 0.5, x.data, y.data, count: n) },
            Case(name: "bias_relu", bytes: two) { b, x, y, z in b.biasActivation(.relu, x.data, bias: z.data, y.data, rows: r, cols: cols) },
        ]
        return measure(backends, cases, shape: "\(n)", rounds: rounds, roofs: roofs)
    }

    static func reductions(_ backends: [any Backend], rounds: Int, roofs: Roofs) -> [BenchRow] {
        let n = count, one = n * 4, cols = 1024, r = n / cols
        var out = [Float](repeating: 0, count: max(r, cols))
        let cases: [Case] = [
            Case(name: "sum", bytes: one) { b, x, _, _ in b.reduce(.sum, .all, x.data, rows: 1, cols: n, &out) },
            Case(name: "max", bytes: one) { b, x, _, _ in b.reduce(.max, .all, x.data, rows: 1, cols: n, &out) },
            Case(name: "sum_of_squares", bytes: one) { b, x, _, _ in b.reduce(.sumOfSquares, .all, x.data, rows: 1, cols: n, &out) },
            Case(name: "sum_rows", bytes: one) { b, x, _, _ in b.reduce(.sum, .rows, x.data, rows: r, cols: cols, &out) },
            Case(name: "sum_columns", bytes: one) { b, x, _, _ in b.reduce(.sum, .columns, x.data, rows: r, cols: cols, &out) },
        ]
        return measure(backends, cases, shape: "\(r)x\(cols)", rounds: rounds, roofs: roofs)
    }

    static func softmax(_ backends: [any Backend], rounds: Int, roofs: Roofs) -> [BenchRow] {
        let n = count
        var rows: [BenchRow] = []
        for cols in [10, 1000] {
            let r = n / cols
            let cases = [Case(name: "softmax", bytes: 2 * r * cols * 4) { b, x, y, _ in b.softmax(x.data, y.data, rows: r, cols: cols, log: false) },
                         Case(name: "log_softmax", bytes: 2 * r * cols * 4) { b, x, y, _ in b.softmax(x.data, y.data, rows: r, cols: cols, log: true) }]
            rows += measure(backends, cases, shape: "\(r)x\(cols)", rounds: rounds, roofs: roofs)
        }
        return rows
    }
}
