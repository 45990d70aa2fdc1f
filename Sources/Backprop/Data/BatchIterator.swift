/// Mini-batches of a dataset in a (seeded, optionally shuffled) order, gathered into reused
/// buffers: an epoch copies each example once into its batch and never copies the dataset.
///
/// Plain sets give [batch, d] features; sequence sets give time-major [time, batch, d] (step t
/// of every sequence of the batch is one contiguous matrix), per-step targets [time, batch, k]
/// and per-step labels time-major too (label t·batch + b is step t of sequence b).
///
/// For data-parallel training, `shard` (rank, count) makes batch b this rank's slice of global
/// batch b: `batchSize` stays the global batch, cut into `count` near-equal contiguous slices
/// (`Communicator.slice(of:)`), and every rank, shuffling with the same stream, sees its own.
public final class BatchIterator {
    /// One batch: features, dense targets (empty when not gathered), class labels, lengths.
    public struct Batch {
        public let x: TensorView
        public let y: TensorView
        public let labels: ArraySlice<Int32>?
        public let lengths: ArraySlice<Int32>?
    }

    public let dataset: Dataset
    public let batchSize: Int
    /// Whether batches carry the dense targets (classification can train on labels alone).
    public let gathersTargets: Bool
    /// This rank and the number of ranks (0, 1 without data parallelism).
    public let shard: (rank: Int, count: Int)
    public private(set) var order: [Int]
    private let x = Workspace(), y = Workspace()
    private var labelBuffer: [Int32]
    private var lengthBuffer: [Int32]
    /// Whether `order` is still 0, 1, 2, …: a whole-set batch is then a view, not a copy.
    private var inOrder = true

    public init(_ dataset: Dataset, batchSize: Int, targets: Bool = true, shard: (rank: Int, count: Int) = (0, 1)) {
        precondition(batchSize >= 1, "batch size must be ≥ 1")
        precondition(shard.count >= 1 && shard.rank >= 0 && shard.rank < shard.count, "shard \(shard.rank) of \(shard.count)")
        self.dataset = dataset
        self.batchSize = batchSize
        self.gathersTargets = targets
        self.shard = shard
        order = Array(0..<dataset.count)
        labelBuffer = [Int32](repeating: 0, count: batchSize * max(dataset.labelsPerExample, 1))
        lengthBuffer = [Int32](repeating: 0, count: batchSize)
    }

    /// Batches per epoch (the last one may be smaller).
    public var batchCount: Int { (dataset.count + batchSize - 1) / batchSize }

    /// Sets the order for the next epoch to a permutation drawn from `generator` (a stream of its
    /// own per epoch, so an epoch's order depends on the seed and the epoch only). A single
    /// batch holding the whole set is not shuffled: the order of its rows does not change the step.
    public func shuffle(generator: RandomGenerator) {
        if batchSize >= dataset.count { return }
        var g = generator
        order = Shuffle.permutation(dataset.count, generator: &g)
        inOrder = false
    }

    /// The rows of global batch `b` (all ranks together).
    public func globalRows(_ b: Int) -> Int { min(dataset.count, (b + 1) * batchSize) - b * batchSize }

    /// Batch `b` (this rank's slice of it).
    public func batch(_ b: Int) -> Batch {
        let globalStart = b * batchSize
        let base = globalRows(b) / shard.count, extra = globalRows(b) % shard.count
        let start = globalStart + shard.rank * base + min(shard.rank, extra)
        let rows = base + (shard.rank < extra ? 1 : 0)
        let d = dataset.featureCount, k = dataset.targetCount
        let f = dataset.features.data, t = dataset.targets.data
        if !dataset.isSequence {
            if inOrder && rows == dataset.count && shard.count == 1 {
                // Full-batch gradient descent: the set itself, no copy.
                return Batch(x: dataset.features.matrix, y: dataset.targets.matrix, labels: dataset.labels.map { $0[...] }, lengths: nil)
            }
            let xb = x.matrix(rows: rows, cols: d)
            for r in 0..<rows { (xb.data + r * d).update(from: f + order[start + r] * d, count: d) }
            var yb = y.matrix(rows: 0, cols: k)
            if gathersTargets {
                yb = y.matrix(rows: rows, cols: k)
                for r in 0..<rows { (yb.data + r * k).update(from: t + order[start + r] * k, count: k) }
            }
            guard let labels = dataset.labels else { return Batch(x: xb, y: yb, labels: nil, lengths: nil) }
            for r in 0..<rows { labelBuffer[r] = labels[order[start + r]] }
            return Batch(x: xb, y: yb, labels: labelBuffer[0..<rows], lengths: nil)
        }
        // Sequences: time-major gather, step by step.
        let steps = dataset.sequenceLength!
        let xb = x.view(Shape(steps, rows, d))
        for r in 0..<rows {
            let src = f + order[start + r] * steps * d
            for s in 0..<steps { (xb.data + (s * rows + r) * d).update(from: src + s * d, count: d) }
        }
        var yb = y.matrix(rows: 0, cols: k)
        if gathersTargets {
            if dataset.targets.shape.count == 3 {
                yb = y.view(Shape(steps, rows, k))
                for r in 0..<rows {
                    let src = t + order[start + r] * steps * k
                    for s in 0..<steps { (yb.data + (s * rows + r) * k).update(from: src + s * k, count: k) }
                }
            } else {
                yb = y.matrix(rows: rows, cols: k)
                for r in 0..<rows { (yb.data + r * k).update(from: t + order[start + r] * k, count: k) }
            }
        }
        var labelSlice: ArraySlice<Int32>? = nil
        if let labels = dataset.labels {
            let per = dataset.labelsPerExample
            for r in 0..<rows {
                let i = order[start + r]
                if per == 1 {
                    labelBuffer[r] = labels[i]
                } else {
                    for s in 0..<per { labelBuffer[s * rows + r] = labels[i * per + s] }
                }
            }
            labelSlice = labelBuffer[0..<(rows * per)]
        }
        var lengthSlice: ArraySlice<Int32>? = nil
        if let lengths = dataset.lengths {
            for r in 0..<rows { lengthBuffer[r] = lengths[order[start + r]] }
            lengthSlice = lengthBuffer[0..<rows]
        }
        return Batch(x: xb, y: yb, labels: labelSlice, lengths: lengthSlice)
    }
}
