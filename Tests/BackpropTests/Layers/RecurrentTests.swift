import Backprop
import XCTest

/// What RNN, LSTM and GRU share (`Recurrent`): stacked layers, a given initial state with its
/// gradient, the final state, stateful truncated BPTT, lengths for many-to-one over padded
/// batches, and token input — each against finite differences or the equivalent plain run, for
/// every cell on every backend.
final class RecurrentTests: XCTestCase {
    enum Cell: CaseIterable { case rnn, lstm, gru }

    func make(_ cell: Cell, _ b: RoutedBackend, inputs: Int, hidden: Int, layers: Int = 1, many: Bool = true, tokens: Bool = false,
              seed: UInt64 = 7) -> Recurrent<RoutedBackend> {
        var g = RandomGenerator(seed: seed)
        switch cell {
        case .rnn: return RNN(b, inputSize: inputs, hiddenSize: hidden, layers: layers, returnSequences: many, tokens: tokens, generator: &g)
        case .lstm: return LSTM(b, inputSize: inputs, hiddenSize: hidden, layers: layers, returnSequences: many, tokens: tokens, generator: &g)
        case .gru: return GRU(b, inputSize: inputs, hiddenSize: hidden, layers: layers, returnSequences: many, tokens: tokens, generator: &g)
        }
    }

    func testTwoStackedLayersMatchFiniteDifferences() throws {
        try forEachBackend { backend in
            for cell in Cell.allCases {
                for many in [true, false] {
                    let layer = make(cell, backend, inputs: 3, hidden: 4, layers: 2, many: many)
                    var g = RandomGenerator(seed: 2)
                    checkRecurrentGradients(layer, steps: 5, batch: 2, many: many, h: 1e-2, scale: 0.7,
                                            "\(backend.name) \(cell) 2 layers many=\(many)", generator: &g)
                }
            }
        }
    }

    /// From 64 rows (steps × batch) on, a forward transposes W_hh once for its steps and its
    /// backward reuses that W_hhᵀ; the step GEMMs get W_hh in both layouts (with AVX-512 the
    /// simd backend reads W_hhᵀ in place for ≥ 32 columns and k ≥ 16: the LSTM's 4H = 64 and the
    /// GRU's 3H = 48 here, forward and backward). Gradients through that path.
    func testTransposedRecurrentWeightsMatchFiniteDifferences() throws {
        try forEachBackend { backend in
            for cell in Cell.allCases {
                let layer = make(cell, backend, inputs: 3, hidden: 16)
                var g = RandomGenerator(seed: 4)
                checkRecurrentGradients(layer, steps: 8, batch: 8, many: true, h: 1e-2, scale: 0.7,
                                        "\(backend.name) \(cell) 8x8 rows", generator: &g)
            }
        }
    }

    /// ∂L/∂h₀ (and ∂L/∂c₀) of a given initial state against central differences on the state;
    /// the final state is the last step's output.
    func testInitialStateGradientAndFinalState() throws {
        try forEachBackend { backend in
            for cell in Cell.allCases {
                let (t, b, h) = (5, 2, 4)
                let layer = make(cell, backend, inputs: 3, hidden: h, layers: 2)
                var g = RandomGenerator(seed: 11)
                for p in layer.parameters { g.fill(.uniform(low: -0.7, high: 0.7), p.value.data, count: p.count) }
                let state = RecurrentState(hidden: randomTensor([2, b, h], &g), cell: cell == .lstm ? randomTensor([2, b, h], &g) : nil)
                layer.initialState = state
                let x = randomTensor([t, b, 3], &g), target = randomTensor([t * b, h], &g)
                let loss = MeanSquaredError(backend), dy = Tensor(shape: target.shape)
                func value(_ gradient: TensorView?) -> Float {
                    let y = layer.forward(TensorView(x), training: true)
                    return loss.compute(TensorView(y.data, rows: t * b, cols: h), TensorView(target), gradient: gradient)
                }
                _ = value(TensorView(dy))
                _ = layer.backward(TensorView(dy.data, shape: Shape(t, b, h)), needsInputGradient: false)
                let grad = try XCTUnwrap(layer.initialStateGradient)
                assertGradient(grad.hidden.array, numericGradient(state.hidden, h: 1e-2) { value(nil) }, "\(backend.name) \(cell) dh0")
                if let c = state.cell {
                    assertGradient(try XCTUnwrap(grad.cell).array, numericGradient(c, h: 1e-2) { value(nil) }, "\(backend.name) \(cell) dc0")
                }
                let y = layer.forward(TensorView(x), training: false).array
                let final = layer.finalState()
                XCTAssertEqual(final.hidden.shape, [2, b, h])
                XCTAssertEqual(Array(final.hidden.array[(b * h)...]), Array(y[((t - 1) * b * h)...]), "\(cell): h_T of the top layer")
                XCTAssertEqual(final.cell == nil, cell != .lstm)
            }
        }
    }

    /// Stateful: two halves in a row give the whole sequence's outputs, and the second half's
    /// gradients are those of a run from the first half's final state as a constant (detached).
    func testStatefulHalvesEqualTheWholeSequenceWithTruncatedGradients() throws {
        try forEachBackend { backend in
            for cell in Cell.allCases {
                let (t, b, d, h) = (6, 3, 2, 4)
                var g = RandomGenerator(seed: 5)
                let x = randomTensor([t, b, d], &g)
                let whole = make(cell, backend, inputs: d, hidden: h, layers: 2).forward(TensorView(x), training: false).array
                let stateful = make(cell, backend, inputs: d, hidden: h, layers: 2)
                stateful.isStateful = true
                let half = t / 2 * b * d
                let first = Tensor(shape: [t / 2, b, d]), second = Tensor(shape: [t / 2, b, d])
                first.data.update(from: x.data, count: half)
                second.data.update(from: x.data + half, count: half)
                let y1 = stateful.forward(TensorView(first), training: true).array
                let carried = stateful.finalState()
                let y2 = stateful.forward(TensorView(second), training: true).array
                XCTAssertLessThanOrEqual(zip(y1 + y2, whole).map { abs($0 - $1) }.max()!, 1e-6, "\(backend.name) \(cell) halves vs whole")
                let dy = randomTensor([t / 2, b, h], &g)
                for p in stateful.parameters { p.grad.data.update(repeating: 0, count: p.count) }
                _ = stateful.backward(TensorView(dy), needsInputGradient: false)
                let fromConstant = make(cell, backend, inputs: d, hidden: h, layers: 2)
                fromConstant.initialState = carried
                _ = fromConstant.forward(TensorView(second), training: true)
                _ = fromConstant.backward(TensorView(dy), needsInputGradient: false)
                for (p, q) in zip(stateful.parameters, fromConstant.parameters) {
                    XCTAssertLessThanOrEqual(relativeError(p.grad.array, q.grad.array), 1e-5, "\(backend.name) \(cell) d\(p.name)")
                }
                stateful.resetState()
                XCTAssertEqual(stateful.forward(TensorView(first), training: false).array, y1, "\(cell): reset starts from zeros")
            }
        }
    }

    /// Many to one with lengths: each row is its sequence's own last output, padding changes
    /// nothing, and the gradients (zero at the padding) match finite differences.
    func testLengthsPickEachSequencesLastStep() throws {
        try forEachBackend { backend in
            for cell in Cell.allCases {
                let (t, d, h, lengths) = (5, 3, 4, [5, 2, 4])
                let layer = make(cell, backend, inputs: d, hidden: h, many: false)
                layer.lengths = lengths
                var g = RandomGenerator(seed: 8)
                let x = randomTensor([t, lengths.count, d], &g)
                let y = layer.forward(TensorView(x), training: false).array
                for (r, n) in lengths.enumerated() {
                    let single = Tensor(shape: [n, 1, d])
                    for s in 0..<n { (single.data + s * d).update(from: x.data + (s * lengths.count + r) * d, count: d) }
                    let alone = make(cell, backend, inputs: d, hidden: h, many: false).forward(TensorView(single), training: false).array
                    XCTAssertLessThanOrEqual(zip(alone, y[(r * h)..<((r + 1) * h)]).map { abs($0 - $1) }.max()!, 1e-6,
                                             "\(backend.name) \(cell) sequence \(r)")
                }
                for s in 2..<t { (x.data + (s * lengths.count + 1) * d).update(repeating: 9, count: d) }   // new padding
                XCTAssertEqual(layer.forward(TensorView(x), training: false).array, y, "\(cell): padding is ignored")
                checkRecurrentGradients(layer, steps: t, batch: lengths.count, many: false, h: 1e-2, scale: 0.7,
                                        "\(backend.name) \(cell) lengths", generator: &g)
            }
        }
    }

    /// Token input is one-hot input without the multiplications by zero: same outputs, same
    /// gradients — over several chunks of backpropagation (max(1, 256 / 40) = 6 steps each), in
    /// which token input keeps only the current chunk's ∂Z.
    func testTokenInputEqualsOneHotRows() throws {
        try forEachBackend { backend in
            for cell in Cell.allCases {
                let (t, b, v, h) = (13, 40, 6, 5)
                let tokens = make(cell, backend, inputs: v, hidden: h, layers: 2, tokens: true)
                let dense = make(cell, backend, inputs: v, hidden: h, layers: 2)
                XCTAssertEqual(tokens.inputShape, [1])
                let ids = Tensor(shape: [t, b]), oneHot = Tensor(shape: [t, b, v])
                for i in 0..<(t * b) {
                    ids.data[i] = Float((i * 5 + 1) % v)
                    oneHot.data[i * v + (i * 5 + 1) % v] = 1
                }
                var g = RandomGenerator(seed: 3)
                let dy = randomTensor([t, b, h], &g)
                let y1 = tokens.forward(TensorView(ids), training: true).array
                let y2 = dense.forward(TensorView(oneHot), training: true).array
                XCTAssertLessThanOrEqual(zip(y1, y2).map { abs($0 - $1) }.max()!, 1e-6, "\(backend.name) \(cell) outputs")
                _ = tokens.backward(TensorView(dy), needsInputGradient: false)
                _ = dense.backward(TensorView(dy), needsInputGradient: false)
                for (p, q) in zip(tokens.parameters, dense.parameters) {
                    XCTAssertLessThanOrEqual(relativeError(p.grad.array, q.grad.array), 1e-5, "\(backend.name) \(cell) d\(p.name)")
                }
            }
        }
    }

    /// On two SIMD threads a batch of ≥ 32 rows runs as two bands of rows, each on its own thread
    /// for the whole sequence (`Backend.forEachPartition`): outputs, final state and every
    /// gradient (parameters, input, initial state) equal one thread's, for each cell, with
    /// feature and token input, many to many and many to one with lengths.
    func testBandsOfTheBatchOnTwoThreadsGiveTheOneThreadResults() throws {
        let one = try Backends.make("simd", threads: 1), two = try Backends.make("simd", threads: 2)
        XCTAssertEqual(two.partitionCount, 2)
        let (t, b, d, h, layers) = (6, 34, 5, 8, 2)
        for cell in Cell.allCases {
            for tokens in [false, true] {
                for many in [true, false] {
                    var g = RandomGenerator(seed: 11)
                    let x = tokens ? Tensor(shape: [t, b]) : randomTensor([t, b, d], &g)
                    if tokens { for i in 0..<(t * b) { x.data[i] = Float((i * 7 + i / 5) % d) } }
                    let dy = randomTensor(many ? [t, b, h] : [b, h], &g)
                    let state = RecurrentState(hidden: randomTensor([layers, b, h], &g),
                                               cell: cell == .lstm ? randomTensor([layers, b, h], &g) : nil)
                    let lengths = many ? nil : (0..<b).map { 1 + ($0 * 5) % t }
                    var results: [[[Float]]] = []
                    for backend in [one, two] {
                        let layer = make(cell, backend, inputs: d, hidden: h, layers: layers, many: many, tokens: tokens)
                        layer.initialState = state
                        layer.lengths = lengths
                        let y = layer.forward(TensorView(x), training: true).array
                        let dx = layer.backward(TensorView(dy), needsInputGradient: !tokens).array
                        let s = layer.initialStateGradient!, f = layer.finalState()
                        results.append([y, tokens ? [] : dx, s.hidden.array, s.cell?.array ?? [], f.hidden.array, f.cell?.array ?? []]
                                       + layer.parameters.map(\.grad.array))
                    }
                    for (i, (a, c)) in zip(results[0], results[1]).enumerated() {
                        XCTAssertEqual(a.count, c.count)
                        XCTAssertLessThanOrEqual(relativeError(a, c), 1e-6, "\(cell) tokens=\(tokens) many=\(many) result \(i)")
                    }
                }
            }
        }
    }
}
