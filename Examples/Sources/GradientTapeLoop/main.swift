import Backprop
import Foundation

// The lecture's TensorFlow-style training loop, on Fashion-MNIST:
//
//     with tf.GradientTape() as tape:
//         loss = compute_loss(model(x), y)
//     grads = tape.gradient(loss, model.trainable_variables)
//     optimizer.apply_gradients(zip(grads, model.trainable_variables))
//
// The network is the notes' matrix form, written out: FC₁ = X·W₁ + b₁, A₁ = ReLU(FC₁), ...,
// softmax cross-entropy. The tape records it on the backend's kernels, back-propagates into the
// parameters' gradients, and Adam updates them. Run:
//     swift run -c release --package-path Examples GradientTapeLoop simd 2
func gradientTapeLoop() throws {
    let args = CommandLine.arguments.dropFirst()
    let backend = try Backends.make(args.first ?? "auto", threads: 2)
    let epochs = args.dropFirst().first.flatMap(Int.init) ?? 1
    let (train, test) = try DatasetSource.fashionMNIST(directory: DatasetSource.fashionMNISTDirectory)
        .load(loss: .crossEntropy, seed: 1)

    // The trainable variables: W₁ [784, 256], b₁, W₂ [256, 128], b₂, W₃ [128, 10], b₃ (He init).
    var g = RandomGenerator(seed: 42)
    let sizes = [784, 256, 128, 10]
    var named: [(name: String, parameter: Parameter)] = []
    for l in 0..<3 {
        let w = Parameter(name: "w\(l + 1)", shape: [sizes[l], sizes[l + 1]], isWeight: true)
        Initializer.heNormal.fill(w.value, fanIn: sizes[l], fanOut: sizes[l + 1], backend: backend, generator: &g)
        named += [(w.name, w), ("b\(l + 1)", Parameter(name: "b\(l + 1)", shape: [sizes[l + 1]], isWeight: false))]
    }
    let variables = ParameterArena(gathering: named)   // one buffer: the optimiser steps it at once
    let p = variables.parameters

    /// The model: logits for a batch, recorded on `t`.
    func model(_ t: GradientTape, _ x: TensorView) -> Variable {
        let a1 = relu(matmul(t.constant(x), t.watch(p[0])) + t.watch(p[1]))
        let a2 = relu(matmul(a1, t.watch(p[2])) + t.watch(p[3]))
        return matmul(a2, t.watch(p[4])) + t.watch(p[5])
    }

    let tape = GradientTape(backend)
    let optimizer = Adam(backend, learningRate: 1e-3)
    let batches = BatchIterator(train, batchSize: 128, targets: false)
    for epoch in 1...epochs {
        batches.shuffle(generator: g.derived(UInt64(epoch)))
        var total: Float = 0
        let start = Date()
        for i in 0..<batches.batchCount {
            let batch = batches.batch(i)
            // Record the forward pass; back-propagate the loss into the variables' gradients.
            let loss = try tape.valueAndGradient(wrt: p) { t in
                softmaxCrossEntropy(model(t, batch.x), labels: batch.labels!)
            }
            optimizer.step(variables)   // apply the gradients
            total += loss
        }
        print(String(format: "epoch %d: training loss %.4f (%.2f s)", epoch, total / Float(batches.batchCount), Date().timeIntervalSince(start)))
    }

    // Test accuracy: the model recorded without differentiating anything, argmax per row.
    var correct = 0
    let testBatches = BatchIterator(test, batchSize: 1000, targets: false)
    for i in 0..<testBatches.batchCount {
        let batch = testBatches.batch(i)
        tape.reset()
        let logits = model(tape, batch.x).value
        for (r, label) in batch.labels!.enumerated() {
            var best = 0
            for c in 1..<logits.cols where logits[r, c] > logits[r, best] { best = c }
            if best == Int(label) { correct += 1 }
        }
    }
    let accuracy = Double(correct) / Double(test.count)
    print(String(format: "test accuracy %.4f on %@", accuracy, backend.name))
    guard accuracy > 0.8 else { throw TrainingFailed(accuracy: accuracy) }
}

struct TrainingFailed: Error, CustomStringConvertible {
    var accuracy: Double
    var description: String { "test accuracy \(accuracy) is below 0.8: the tape loop did not train" }
}

do { try gradientTapeLoop() } catch { FileHandle.standardError.write(Data("GradientTapeLoop: \(error)\n".utf8)); exit(1) }
