import Backprop
import XCTest

/// The tape's worked examples (the notes' own numbers), its chain-rule bookkeeping (fan-out,
/// unused branches, accumulation), agreement with the hand-written layers, and its errors.
final class GradientTapeTests: XCTestCase {
    func scalar(_ v: Float) -> Tensor {
        let t = Tensor(shape: [1])
        t[0] = v
        return t
    }

    /// f(x, y, z) = (x + y)·z at x = −2, y = 5, z = −4: f = −12, ∂f/∂x = ∂f/∂y = z = −4, ∂f/∂z = x + y = 3.
    func testTheNotesWorkedExample() throws {
        try forEachBackend { backend in
            let tape = GradientTape(backend)
            let x = tape.input(scalar(-2)), y = tape.input(scalar(5)), z = tape.input(scalar(-4))
            let f = (x + y) * z
            XCTAssertEqual(f.scalar, -12)
            try tape.gradient(of: f)
            XCTAssertEqual(tape.grad(of: x)?.array, [-4], backend.name)
            XCTAssertEqual(tape.grad(of: y)?.array, [-4], backend.name)
            XCTAssertEqual(tape.grad(of: z)?.array, [3], backend.name)
        }
    }

    /// A value used several times receives the sum of its gradients: d/dx (x·x + 3x) = 2x + 3.
    func testFanOutSumsTheGradients() throws {
        try forEachBackend { backend in
            let tape = GradientTape(backend)
            let t = Tensor(shape: [3])
            for (i, v) in [Float(-1), 0.5, 2].enumerated() { t[i] = v }
            let x = tape.input(t)
            try tape.gradient(of: sum(x * x + 3 * x))
            XCTAssertEqual(tape.grad(of: x)?.array, [1, 4, 7], backend.name)
        }
    }

    /// A branch that does not reach the loss does no backward work and leaves its parameter's
    /// gradient alone.
    func testAnUnusedBranchCostsNothing() throws {
        let backend = try Backends.make("simd")
        let used = Parameter(name: "used", shape: [2, 2], isWeight: true)
        let unused = Parameter(name: "unused", shape: [2, 2], isWeight: true)
        for i in 0..<4 { used.value[i] = Float(i + 1); unused.value[i] = 1 }
        let tape = GradientTape(backend)
        let loss = try tape.valueAndGradient(wrt: [used]) { t in
            let a = t.watch(used), b = t.watch(unused)
            _ = exp(matmul(b, b)) + 1          // recorded, off the path
            return sum(a * a)                   // on the path: mul, sum
        }
        XCTAssertEqual(loss, 30)
        XCTAssertEqual(used.grad.array, [2, 4, 6, 8])
        XCTAssertEqual(unused.grad.array, [0, 0, 0, 0])
        XCTAssertEqual(tape.backwardCount, 2, "only the mul and the sum run backward")
    }

    func testGradientsAccumulateIntoTheArenaWhenAsked() throws {
        let backend = try Backends.make("naive")
        let p = Parameter(name: "w", shape: [3], isWeight: true)
        for i in 0..<3 { p.value[i] = Float(i) }
        let tape = GradientTape(backend)
        let f: (GradientTape) -> Variable = { t in sum(square(t.watch(p))) }
        try tape.valueAndGradient(wrt: [p], f)
        XCTAssertEqual(p.grad.array, [0, 2, 4])
        try tape.valueAndGradient(wrt: [p], accumulate: true, f)
        XCTAssertEqual(p.grad.array, [0, 4, 8], "accumulated")
        try tape.valueAndGradient(wrt: [p], f)
        XCTAssertEqual(p.grad.array, [0, 2, 4], "zeroed first by default")
    }

    /// The notes' two-layer net in matrix form, FC = X·W₁ + b₁, A = ReLU(FC), Y = A·W₂ + b₂, softmax
    /// cross-entropy: the tape's gradients (from raw ops, and from the fused primitives) equal the
    /// hand-written Dense path's: ≤ 1e-6 relative on naive, ≤ 1e-5 on simd and blas (other summation
    /// orders and the polynomial exp).
    func testTheTwoLayerNetMatchesTheHandWrittenLayers() throws {
        try forEachBackend { backend in
            var g = RandomGenerator(seed: 7)
            let model = Sequential.mlp(backend, sizes: [6, 5, 3], activation: .relu, generator: &g)
            let x = randomTensor([8, 6], &g)
            let labels: [Int32] = [0, 2, 1, 1, 0, 2, 2, 1]
            // Hand-written.
            model.zeroGradients()
            let out = model.forward(TensorView(x), training: true)
            let dy = Tensor(shape: [8, 3])
            let ce = SoftmaxCrossEntropy(backend)
            let lossHand = ce.compute(out, .classes(labels[...]), gradient: TensorView(dy))
            model.backward(TensorView(dy))
            let hand = model.parameters.gradients.array
            let p = model.parameters.entries.map(\.parameter)   // w1, b1, w2, b2
            let tolerance = backend.name == "naive" ? 1e-6 : 1e-5
            for fused in [false, true] {
                let tape = GradientTape(backend)
                let loss = try tape.valueAndGradient(wrt: p) { t in
                    let (w1, b1, w2, b2) = (t.watch(p[0]), t.watch(p[1]), t.watch(p[2]), t.watch(p[3]))
                    let xv = t.constant(x)
                    if fused {
                        let a = dense(xv, weight: w1, bias: b1, activation: .relu)
                        return softmaxCrossEntropy(dense(a, weight: w2, bias: b2), labels: labels)
                    }
                    let a = relu(matmul(xv, w1) + b1)
                    return -mean(sum(logSoftmax(matmul(a, w2) + b2) * t.oneHot(labels, classes: 3), .rows))
                }
                XCTAssertEqual(loss, lossHand, accuracy: 1e-5 * abs(lossHand), "\(backend.name) fused \(fused)")
                let rel = relativeError(model.parameters.gradients.array, hand)
                XCTAssertLessThanOrEqual(rel, tolerance, "\(backend.name) fused \(fused)")
                print("two-layer net, \(backend.name), fused \(fused): gradient relative error \(rel)")
            }
        }
    }

    /// Logistic regression, a = σ(x·w + b), L = BCE(a, y) averaged over N examples: the derivation
    /// gives ∂L/∂w = −(1/N) Σₙ (yₙ − aₙ) xₙ and ∂L/∂b = −(1/N) Σₙ (yₙ − aₙ).
    func testLogisticRegressionGradientIsTheDerivedFormula() throws {
        try forEachBackend { backend in
            var g = RandomGenerator(seed: 11)
            let (n, d) = (10, 4)
            let x = randomTensor([n, d], &g), y = Tensor(shape: [n, 1])
            for i in 0..<n { y[i] = Float(i % 3 == 0 ? 1 : 0) }
            let w = Parameter(name: "w", shape: [d, 1], isWeight: true), b = Parameter(name: "b", shape: [1], isWeight: false)
            g.fill(.uniform(low: -1, high: 1), w.value.data, count: d)
            b.value[0] = 0.2
            // The formula, in Float64.
            var dw = [Double](repeating: 0, count: d), db = 0.0
            for i in 0..<n {
                var z = Double(b.value[0])
                for j in 0..<d { z += Double(x[i, j]) * Double(w.value[j]) }
                let a = 1 / (1 + Foundation.exp(-z))
                for j in 0..<d { dw[j] -= (Double(y[i]) - a) * Double(x[i, j]) / Double(n) }
                db -= (Double(y[i]) - a) / Double(n)
            }
            for logits in [true, false] {
                let tape = GradientTape(backend)
                try tape.valueAndGradient(wrt: [w, b]) { t in
                    let z = matmul(t.constant(x), t.watch(w)) + t.watch(b)
                    return logits ? binaryCrossEntropy(logits: z, t.constant(y)) : binaryCrossEntropy(probabilities: sigmoid(z), t.constant(y))
                }
                XCTAssertLessThanOrEqual(relativeError(w.grad.array, dw.map(Float.init)), 1e-5, "\(backend.name) logits \(logits) dw")
                XCTAssertEqual(Double(b.grad[0]), db, accuracy: 1e-6, "\(backend.name) db")
            }
        }
    }

    func testAGradientWithRespectToAValueNotOnTheTapeIsAnError() throws {
        let backend = try Backends.make("naive")
        let watched = Parameter(name: "w", shape: [2], isWeight: true)
        let stranger = Parameter(name: "stranger", shape: [2], isWeight: true)
        let tape = GradientTape(backend)
        XCTAssertThrowsError(try tape.valueAndGradient(wrt: [watched, stranger]) { t in sum(t.watch(watched)) }) { e in
            XCTAssertEqual("\(e)", "gradient: parameter 'stranger' (shape [2]) was not watched on this tape")
        }
        tape.reset()
        let c = tape.constant(Tensor(shape: [2]))
        XCTAssertThrowsError(try tape.gradient(of: sum(c))) { e in
            XCTAssertTrue("\(e)".contains("does not depend on any watched parameter or input"), "\(e)")
        }
    }

    /// With `checksFiniteness`, the first op whose output is not finite is named (forward: log of a
    /// negative number; backward: sqrt's derivative at 0).
    func testAnomalyDetectionNamesTheFirstNonFiniteOp() throws {
        let backend = try Backends.make("simd")
        let p = Parameter(name: "w", shape: [3], isWeight: true)
        for (i, v) in [Float(1), -2, 3].enumerated() { p.value[i] = v }
        let tape = GradientTape(backend)
        tape.checksFiniteness = true
        XCTAssertThrowsError(try tape.valueAndGradient(wrt: [p]) { t in sum(exp(log(t.watch(p)))) }) { e in
            XCTAssertEqual(e as? TapeError, .nonFinite("op 1 (log, shape [3]) produced NaN at element 1"), "\(e)")
        }
        p.value[1] = 0
        XCTAssertThrowsError(try tape.valueAndGradient(wrt: [p]) { t in sum(sqrt(t.watch(p))) }) { e in
            XCTAssertTrue("\(e)".contains("the backward pass of op 1 (sqrt"), "\(e)")
        }
        tape.checksFiniteness = false
        XCTAssertNoThrow(try tape.valueAndGradient(wrt: [p]) { t in sum(sqrt(t.watch(p))) }, "off by default")
    }

    /// A second recording of the same computation reuses every buffer of the first.
    func testARecordingReusesTheBuffersOfThePreviousOne() throws {
        let backend = try Backends.make("simd")
        let w = Parameter(name: "w", shape: [4, 3], isWeight: true)
        let x = Tensor(shape: [5, 4])
        let tape = GradientTape(backend)
        var pointers: [[UnsafeMutablePointer<Float>]] = []
        for _ in 0..<2 {
            var seen: [UnsafeMutablePointer<Float>] = []
            try tape.valueAndGradient(wrt: [w]) { t in
                let h = tanh(matmul(t.constant(x), t.watch(w)))
                let l = mean(square(h))
                seen = [h.value.data, l.value.data]
                return l
            }
            pointers.append(seen)
        }
        XCTAssertEqual(pointers[0], pointers[1])
    }

    /// The tape trains: logistic regression on a linearly separable set by plain gradient descent,
    /// the parameters in an arena and updated by an optimiser.
    func testATapeLoopTrains() throws {
        let backend = try Backends.make("simd")
        var g = RandomGenerator(seed: 1)
        let x = randomTensor([200, 2], &g), y = Tensor(shape: [200, 1])
        for i in 0..<200 { y[i] = x[i, 0] - 0.5 * x[i, 1] > 0 ? 1 : 0 }
        let w = Parameter(name: "w", shape: [2, 1], isWeight: true), b = Parameter(name: "b", shape: [1], isWeight: false)
        let arena = ParameterArena(gathering: [("w", w), ("b", b)])
        let tape = GradientTape(backend)
        let sgd = SGD(backend, learningRate: 1)
        var first: Float = 0, last: Float = 0
        for step in 0..<200 {
            last = try tape.valueAndGradient(wrt: arena.parameters) { t in
                binaryCrossEntropy(logits: matmul(t.constant(x), t.watch(w)) + t.watch(b), t.constant(y))
            }
            if step == 0 { first = last }
            sgd.step(arena)
        }
        XCTAssertLessThan(last, first * 0.5, "loss \(first) → \(last)")
        XCTAssertGreaterThan(w.value[0], 0)
        XCTAssertLessThan(w.value[1], 0)
    }
}
