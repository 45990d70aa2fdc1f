import Backprop
import Foundation

/// Training throughput.
/// - `train`: the Fashion-MNIST MLP 784-256-128-10 (ReLU, softmax cross-entropy, Adam, batch 128)
///   — the same model as the peers' scripts (../shared/peers). Median time per training step,
///   over steps on the real data (random data of the same shape when the dataset is not
///   installed); seconds per epoch = 469 steps (60 000 / 128).
/// - `train-tiny`: full-batch gradient descent (η = 0.5) on the 1000-point spiral with a
///   2-16-16-2 tanh MLP — the peers' spiral.py; optimiser steps per second.
enum BenchTrain {
    /// Fashion-MNIST's training set, or random data of its shape when it is not installed.
    static func fashionMNISTData() -> Dataset {
        if let d = try? DatasetSource.fashionMNIST(directory: DatasetSource.fashionMNISTDirectory).load(loss: .crossEntropy, seed: 1).train {
            return d
        }
        var g = RandomGenerator(seed: 1)
        let x = Tensor(shape: [60_000, 784])
        g.fill(.uniform(low: 0, high: 1), x.data, count: x.count)
        return Dataset.classification(name: "random", features: x, labels: (0..<60_000).map { Int32($0 % 10) }, classes: 10)
    }

    static func fashionMNIST(_ backends: [any Backend], rounds: Int) throws -> [BenchRow] {
        let data = fashionMNISTData()
        var steppers: [Stepper] = []
        for b in backends { steppers.append(open(b, data: data, sizes: [784, 256, 128, 10], activation: .relu, optimizer: .adam, lr: 1e-3, batch: 128)) }
        // naive needs ~0.2 s a step: time it on fewer steps.
        let t = Interleaved.medians(steppers.map { s in { s.step() } }, rounds: rounds, sampleSeconds: 0.2, spins: backends.map(\.leavesThreadsSpinning))
        return zip(backends, t).map { b, secs in
            var row = BenchRow(backend: b.name, op: "train", shape: "784-256-128-10 batch 128", threads: b.threads, seconds: secs)
            row.secondsPerEpoch = secs * 469
            row.samplesPerSecond = 128 / secs
            row.gflops = 128.8e6 / secs / 1e9   // 2·(784·256 + 256·128 + 128·10)·128·3 minus the first layer's dX
            return row
        }
    }

    static func tiny(_ backends: [any Backend], rounds: Int) throws -> [BenchRow] {
        let data = SyntheticDataset.spiral.make(count: 1000, seed: 0)
        let steppers = backends.map { open($0, data: data, sizes: [2, 16, 16, 2], activation: .tanh, optimizer: .sgd, lr: 0.5, batch: 1000) }
        let t = Interleaved.medians(steppers.map { s in { s.step() } }, rounds: rounds, sampleSeconds: 0.05, spins: backends.map(\.leavesThreadsSpinning))
        return zip(backends, t).map { b, secs in
            var row = BenchRow(backend: b.name, op: "train-tiny", shape: "2-16-16-2 tanh, 1000 points", threads: b.threads, seconds: secs)
            row.stepsPerSecond = 1 / secs
            return row
        }
    }

    /// One training step at a time, cycling through the batches of an epoch.
    final class Stepper {
        let step: () -> Void
        init(step: @escaping () -> Void) { self.step = step }
    }

    static func open(_ backend: any Backend, data: Dataset, sizes: [Int], activation: Activation, optimizer: OptimizerKind,
                     lr: Float, batch: Int) -> Stepper {
        func make<B: Backend>(_ b: B) -> Stepper {
            var g = RandomGenerator(seed: 7)
            let model = Sequential.mlp(b, sizes: sizes, activation: activation, generator: &g)
            let stepper = TrainingStep(model: model, loss: SoftmaxCrossEntropy(b), optimizer: optimizer.make(b, learningRate: lr))
            // As `Trainer.fit` runs it: class-index targets, the batch gathered each step.
            let batches = BatchIterator(data, batchSize: batch, targets: false)
            var i = 0
            return Stepper {
                let b = batches.batch(i % batches.batchCount)
                i += 1
                _ = stepper.run(b.x, .classes(b.labels!))
            }
        }
        return make(backend)
    }
}
