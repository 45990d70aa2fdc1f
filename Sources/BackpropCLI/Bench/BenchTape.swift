import Backprop
import Foundation

/// The tape against the hand-written layers, per backend, all timed side by side in one
/// interleaved run:
/// - `train`: the Fashion-MNIST MLP 784-256-128-10 (ReLU, Adam, batch 128) by `TrainingStep`
///   (hand-written backward);
/// - `tape-dense`: the same model and step on a `GradientTape`, each layer the `dense`
///   primitive, the loss the `softmaxCrossEntropy` primitive;
/// - `tape-ops`: the same from raw ops: matmul + bias add + ReLU, −mean Σ one-hot ⊙ log-softmax;
/// - `train-tiny` / `tape-tiny-dense` / `tape-tiny-ops`: the 2-16-16-2 tanh spiral network,
///   full-batch gradient descent, hand-written, on the tape with the primitives, and from raw ops.
/// The `vs hand` column is the tape's time per step over the hand-written one's (≤ 1 is faster).
enum BenchTape {
    static func run(_ backends: [any Backend], rounds: Int) throws -> [BenchRow] {
        let data = BenchTrain.fashionMNISTData()
        let tiny = SyntheticDataset.spiral.make(count: 1000, seed: 0)
        var bodies: [() -> Void] = [], spins: [Bool] = [], labels: [(backend: any Backend, op: String, shape: String, hand: Int?)] = []
        for b in backends {
            let hand = bodies.count
            bodies.append(BenchTrain.open(b, data: data, sizes: [784, 256, 128, 10], activation: .relu, optimizer: .adam, lr: 1e-3, batch: 128).step)
            labels.append((b, "train", "784-256-128-10 b128", nil))
            bodies.append(tapeStepper(b, data: data, sizes: [784, 256, 128, 10], activation: .relu, fused: true, optimizer: .adam, lr: 1e-3, batch: 128))
            labels.append((b, "tape-dense", "784-256-128-10 b128", hand))
            bodies.append(tapeStepper(b, data: data, sizes: [784, 256, 128, 10], activation: .relu, fused: false, optimizer: .adam, lr: 1e-3, batch: 128))
            labels.append((b, "tape-ops", "784-256-128-10 b128", hand))
            let tinyHand = bodies.count
            bodies.append(BenchTrain.open(b, data: tiny, sizes: [2, 16, 16, 2], activation: .tanh, optimizer: .sgd, lr: 0.5, batch: 1000).step)
            labels.append((b, "train-tiny", "2-16-16-2 tanh", nil))
            bodies.append(tapeStepper(b, data: tiny, sizes: [2, 16, 16, 2], activation: .tanh, fused: true, optimizer: .sgd, lr: 0.5, batch: 1000))
            labels.append((b, "tape-tiny-dense", "2-16-16-2 tanh", tinyHand))
            bodies.append(tapeStepper(b, data: tiny, sizes: [2, 16, 16, 2], activation: .tanh, fused: false, optimizer: .sgd, lr: 0.5, batch: 1000))
            labels.append((b, "tape-tiny-ops", "2-16-16-2 tanh", tinyHand))
            spins += repeatElement(b.leavesThreadsSpinning, count: 6)
        }
        let t = Interleaved.medians(bodies, rounds: rounds, sampleSeconds: 0.2, spins: spins)
        return labels.enumerated().map { i, l in
            var row = BenchRow(backend: l.backend.name, op: l.op, shape: l.shape, threads: l.backend.threads, seconds: t[i])
            if l.op.contains("tiny") {
                row.stepsPerSecond = 1 / t[i]
            } else {
                row.secondsPerEpoch = t[i] * 469
                row.samplesPerSecond = 128 / t[i]
            }
            if let h = l.hand { row.timeVersusHandWritten = t[i] / t[h] }
            return row
        }
    }

    /// One tape training step at a time over the batches of an epoch: record the MLP's forward
    /// pass, back-propagate into the model's arena, step the optimiser.
    static func tapeStepper(_ backend: any Backend, data: Dataset, sizes: [Int], activation: Activation, fused: Bool,
                            optimizer: OptimizerKind, lr: Float, batch: Int) -> () -> Void {
        func make<B: Backend>(_ b: B) -> () -> Void {
            var g = RandomGenerator(seed: 7)
            let model = Sequential.mlp(b, sizes: sizes, activation: activation, generator: &g)
            let p = model.parameters.parameters
            let opt = optimizer.make(b, learningRate: lr)
            let tape = GradientTape(b)
            let batches = BatchIterator(data, batchSize: batch, targets: false)
            let classes = sizes[sizes.count - 1]
            var i = 0
            return {
                let bt = batches.batch(i % batches.batchCount)
                i += 1
                _ = try! tape.valueAndGradient(wrt: p) { t in
                    var h = t.constant(bt.x)
                    for l in 0..<(sizes.count - 1) {
                        let f = l == sizes.count - 2 ? Activation.identity : activation
                        if fused {
                            h = dense(h, weight: t.watch(p[2 * l]), bias: t.watch(p[2 * l + 1]), activation: f)
                        } else {
                            h = activationOp(f, matmul(h, t.watch(p[2 * l])) + t.watch(p[2 * l + 1]))
                        }
                    }
                    if fused { return softmaxCrossEntropy(h, labels: bt.labels!) }
                    return -mean(sum(logSoftmax(h) * t.oneHot(bt.labels!, classes: classes), .rows))
                }
                opt.step(model.parameters)
            }
        }
        return make(backend)
    }

    static func activationOp(_ f: Activation, _ x: Variable) -> Variable { f == .identity ? x : activation(f, x) }
}
