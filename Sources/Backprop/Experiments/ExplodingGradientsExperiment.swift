import Foundation

/// The notes' exploding and vanishing products, measured: a deep linear network whose every
/// layer is W = c·I (10 units, no bias) maps x to c^L·x, and the gradient of ½‖y‖² reaching its
/// first layer is c^(2L−1)·x·xᵀ — with c = 1.5 both explode, with c = 0.5 both vanish, as 1.5ᴸ
/// and 0.5ᴸ. Then the remedy for the exploding half: a deep tanh network (1-32×`depth`-1) fitting
/// 2·sin(x²) + √(5x) on [0, 3] by plain SGD at a learning rate too large for it, with and without
/// clipping the gradients to global norm 1.
public struct ExplodingGradientsExperiment: Sendable {
    public var depths = [1, 5, 10, 15, 20, 25, 30]
    public var factors: [Float] = [1.5, 0.5]
    public var width = 10
    /// The training half: depth, steps, learning rate, seeds.
    public var trainDepth = 8
    public var trainSteps = 300
    public var learningRate: Float = 0.5
    public var seeds = 3

    public init() {}

    /// The version the tests run.
    public static var quick: ExplodingGradientsExperiment {
        var e = ExplodingGradientsExperiment()
        e.trainSteps = 150
        e.seeds = 2
        return e
    }

    /// Output and first-layer gradient norms of the c·I network of depth L, measured and predicted.
    public struct Product: Sendable {
        public var factor: Float
        public var depth: Int
        public var outputGain: Double, predictedOutputGain: Double
        public var firstLayerGradient: Double, predictedFirstLayerGradient: Double
    }

    /// One training run: final loss (nan/inf when it diverged) and the largest gradient norm seen.
    public struct Training: Sendable {
        public var clipped: Bool
        public var seed: Int
        public var finalLoss: Double
        public var largestGradientNorm: Double
        public var diverged: Bool { !finalLoss.isFinite || finalLoss > 1e3 }
    }

    public func products<B: Backend>(on backend: B) -> [Product] {
        var out: [Product] = []
        let d = width
        let x = Tensor(shape: [1, d])
        var g = RandomGenerator(seed: 3)
        g.fill(.uniform(low: -1, high: 1), x.data, count: d)
        var xx = 0.0
        for i in 0..<d { xx += Double(x.data[i]) * Double(x.data[i]) }
        for c in factors {
            for depth in depths {
                var layers: [any Layer<B>] = []
                for _ in 0..<depth {
                    let l = Dense(backend, inputs: d, outputs: d, generator: &g)
                    l.weight.value.data.update(repeating: 0, count: d * d)
                    for i in 0..<d { l.weight.value.data[i * d + i] = c }
                    l.bias.value.data.update(repeating: 0, count: d)
                    layers.append(l)
                }
                let model = Sequential(backend, layers: layers)
                let y = model.forward(TensorView(x), training: true)
                var yy = 0.0
                for i in 0..<d { yy += Double(y.data[i]) * Double(y.data[i]) }
                // L = ½‖y‖²: ∂L/∂y = y.
                let dy = Tensor(shape: [1, d])
                dy.data.update(from: y.data, count: d)
                model.zeroGradients()
                model.backward(TensorView(dy))
                let w1 = model.parameters.parameters[0].grad
                var gg = 0.0
                for i in 0..<(d * d) { gg += Double(w1.data[i]) * Double(w1.data[i]) }
                let cd = Double(c)
                out.append(Product(factor: c, depth: depth, outputGain: (yy / xx).squareRoot(), predictedOutputGain: pow(cd, Double(depth)),
                                   firstLayerGradient: gg.squareRoot(), predictedFirstLayerGradient: pow(cd, Double(2 * depth - 1)) * xx))
            }
        }
        return out
    }

    /// The training data: 256 points of 2·sin(x²) + √(5x) on [0, 3].
    public var trainingData: Dataset { SyntheticDataset.uat.make(count: 256, seed: 1) }

    /// The MSE of answering the mean target: what a net that learnt nothing scores.
    public var baselineMSE: Double {
        let t = trainingData.targets
        let m = (0..<t.count).reduce(0.0) { $0 + Double(t.data[$1]) } / Double(t.count)
        return (0..<t.count).reduce(0.0) { $0 + (Double(t.data[$1]) - m) * (Double(t.data[$1]) - m) } / Double(t.count)
    }

    public func training<B: Backend>(on backend: B) -> [Training] {
        var out: [Training] = []
        let data = trainingData
        for clipped in [false, true] {
            for seed in 0..<seeds {
                var g = RandomGenerator(seed: UInt64(40 + seed))
                let model = Sequential.mlp(backend, sizes: [1] + Array(repeating: 32, count: trainDepth) + [1], activation: .tanh, generator: &g)
                let clip = ClipGradients(.norm(1))
                let norms = GradientNormProbe()
                let step = TrainingStep(model: model, loss: MeanSquaredError(backend), optimizer: SGD(backend, learningRate: learningRate),
                                        transforms: clipped ? [norms, clip] : [norms])
                var last: Float = 0
                for _ in 0..<trainSteps { last = step.run(TensorView(data.features), TensorView(data.targets)).loss }
                out.append(Training(clipped: clipped, seed: seed, finalLoss: Double(last), largestGradientNorm: Double(norms.largest)))
            }
        }
        return out
    }
}

/// A gradient transform that only records the largest global gradient norm it has seen.
final class GradientNormProbe: GradientTransform {
    var largest: Float = 0
    func apply(_ context: inout GradientContext) -> Bool {
        var total: Float = 0
        context.backend.reduce(.sumOfSquares, .all, context.parameters.gradients.data, rows: 1, cols: context.parameters.count, &total)
        largest = max(largest, total.squareRoot())
        return true
    }
}
