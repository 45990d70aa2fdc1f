/// How `Trainer.fit` trains. The defaults are the command line's: 10 epochs, batches of 128,
/// 10% of the training set held out for validation, seed 42. (The learning-rate schedule belongs
/// to the optimiser: constant unless set there; `backprop train` sets cosine.)
public struct FitOptions {
    public var epochs: Int
    /// Examples per step: the set's size for full-batch gradient descent, 1 for single-example SGD.
    public var batchSize: Int
    /// Reshuffle the training set every epoch (a permutation drawn from the seed and the epoch).
    public var shuffle: Bool
    /// A fraction of the training set held out (after a seeded shuffle) for validation,
    /// ignored when `validationData` is given.
    public var validationSplit: Double
    public var validationData: Dataset?
    /// L1/L2 penalties on the weights (a `PenaltyGradient` in the pipeline).
    public var penalty: Penalty
    /// Gradient clipping (a `ClipGradients` in the pipeline).
    public var clipping: GradientClipping?
    /// Micro-batches whose gradients are summed into one update (`GradientAccumulation`); 1 = none.
    public var accumulationSteps: Int
    /// More gradient transforms, run after accumulation, penalty and clipping.
    public var transforms: [any GradientTransform]
    public var callbacks: [any TrainingCallback]
    public var seed: UInt64
    /// Save a checkpoint every `checkpoint.every` epochs (and after the last), atomically.
    public var checkpoint: CheckpointPolicy?
    /// Stop this call after this many epochs of the run (the schedule still spans `epochs`); a
    /// checkpoint lets a later call resume.
    public var stopAfter: Int?
    /// The processes of a data-parallel run (nil: this process alone). `batchSize` stays the
    /// global batch; each rank trains on its slice and the gradients are all-reduced.
    public var communicator: (any Communicator)?

    public init(epochs: Int = 10, batchSize: Int = 128, shuffle: Bool = true, validationSplit: Double = 0.1,
                validationData: Dataset? = nil, penalty: Penalty = Penalty(), clipping: GradientClipping? = nil,
                accumulationSteps: Int = 1, transforms: [any GradientTransform] = [], callbacks: [any TrainingCallback] = [],
                seed: UInt64 = 42, checkpoint: CheckpointPolicy? = nil, stopAfter: Int? = nil,
                communicator: (any Communicator)? = nil) {
        self.epochs = epochs
        self.batchSize = batchSize
        self.shuffle = shuffle
        self.validationSplit = validationSplit
        self.validationData = validationData
        self.penalty = penalty
        self.clipping = clipping
        self.accumulationSteps = accumulationSteps
        self.transforms = transforms
        self.callbacks = callbacks
        self.seed = seed
        self.checkpoint = checkpoint
        self.stopAfter = stopAfter
        self.communicator = communicator
    }

    /// Full-batch gradient descent: every step sees the whole set, in order, none held out.
    public static func fullBatch(epochs: Int, size: Int) -> FitOptions {
        FitOptions(epochs: epochs, batchSize: max(size, 1), shuffle: false, validationSplit: 0)
    }

    /// The gradient pipeline these options ask for, in order: accumulation, the all-reduce of a
    /// data-parallel run, penalty, clipping, then `transforms`.
    public var pipeline: [any GradientTransform] {
        var p: [any GradientTransform] = []
        if accumulationSteps > 1 { p.append(GradientAccumulation(steps: accumulationSteps)) }
        if let c = communicator, c.size > 1 { p.append(AllReduceGradients(c)) }
        if !penalty.isZero { p.append(PenaltyGradient(penalty)) }
        if let clipping { p.append(ClipGradients(clipping)) }
        return p + transforms
    }
}
