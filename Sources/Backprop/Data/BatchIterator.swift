/// Mini-batches of a dataset in a (seeded, optionally shuffled) order, gathered into reused
/// buffers: an epoch copies each example once into its batch and never copies the dataset.
public final class BatchIterator {
    public let dataset: Dataset
    public let batchSize: Int
    private(set) var order: [Int]
    private let x = Workspace(), y = Workspace()
    private var labelBuffer: [Int32]

    public init(_ dataset: Dataset, batchSize: Int) {
        precondition(batchSize >= 1, "batch size must be ≥ 1")
        self.dataset = dataset
        self.batchSize = batchSize
        order = Array(0..<dataset.count)
        labelBuffer = [Int32](repeating: 0, count: batchSize)
    }

    /// Batches per epoch (the last one may be smaller).
    public var batchCount: Int { (dataset.count + batchSize - 1) / batchSize }

    /// Reshuffles the order for the next epoch. A single batch holding the whole set is not
    /// shuffled: the order of its rows does not change the step.
    public func shuffle(generator: inout RandomGenerator) {
        if batchSize >= dataset.count { return }
        Shuffle.shuffle(&order, generator: &generator)
        inOrder = false
    }

    /// Whether `order` is still 0, 1, 2, …: a whole-set batch is then a view, not a copy.
    private var inOrder = true

    /// Batch `b`: features, targets and (for classification) labels.
    public func batch(_ b: Int) -> (x: Matrix, y: Matrix, labels: ArraySlice<Int32>?) {
        let start = b * batchSize, end = min(dataset.count, start + batchSize)
        let rows = end - start
        let d = dataset.featureCount, k = dataset.targetCount
        if inOrder && rows == dataset.count {
            // Full-batch gradient descent: the set itself, no copy.
            return (Matrix(dataset.features), Matrix(dataset.targets), dataset.labels.map { $0[...] })
        }
        let xb = x.matrix(rows: rows, cols: d), yb = y.matrix(rows: rows, cols: k)
        let f = dataset.features.data, t = dataset.targets.data
        for r in 0..<rows {
            let i = order[start + r]
            (xb.data + r * d).update(from: f + i * d, count: d)
            (yb.data + r * k).update(from: t + i * k, count: k)
        }
        guard let labels = dataset.labels else { return (xb, yb, nil) }
        for r in 0..<rows { labelBuffer[r] = labels[order[start + r]] }
        return (xb, yb, labelBuffer[0..<rows])
    }
}
