/// Examples for supervised learning: features [n, d] and targets [n, k], or sequences.
///
/// For classification, `labels` holds each example's class index and `targets` the one-hot rows
/// (k = classes); `Trainer` trains classification sets on the class indices. For regression,
/// `labels` is nil and `targets` holds the values.
///
/// **Sequences.** Features of shape [n, time, d] make a sequence set: `BatchIterator` gives its
/// batches time-major, [time, batch, d] (see `TensorView`). Targets are then [n, k] (one per
/// sequence: many-to-one) or [n, time, k] (one per step: many-to-many), and labels one per
/// sequence (n) or one per step (n·time, example-major). `lengths` (optional) gives each
/// sequence's true length for variable-length, many-to-one sets (steps past it are padding).
public struct Dataset: @unchecked Sendable {
    public var name: String
    public var features: Tensor
    public var targets: Tensor
    public var labels: [Int32]?
    public var classes: Int?
    /// The length of each sequence (≤ `sequenceLength`), for variable-length sequence sets.
    public var lengths: [Int32]?

    public init(name: String, features: Tensor, targets: Tensor, labels: [Int32]? = nil, classes: Int? = nil,
                lengths: [Int32]? = nil) {
        precondition(features.rows == targets.rows, "features and targets have different example counts (\(features.rows), \(targets.rows))")
        precondition(features.shape.count <= 3, "features of shape \(features.shape): expected [n, d] or [n, time, d]")
        if let labels {
            let n = features.rows
            precondition(labels.count == n || (features.shape.count == 3 && labels.count == n * features.shape[1]),
                         "\(labels.count) labels for \(n) examples")
        }
        if let lengths { precondition(lengths.count == features.rows, "\(lengths.count) lengths for \(features.rows) sequences") }
        self.name = name
        self.features = features
        self.targets = targets
        self.labels = labels
        self.classes = classes
        self.lengths = lengths
    }

    /// A classification set with one-hot targets (per example, or per step for sequences with
    /// one label per step).
    public static func classification(name: String, features: Tensor, labels: [Int32], classes: Int,
                                      lengths: [Int32]? = nil) -> Dataset {
        let n = features.rows
        let perStep = labels.count != n
        let shape = perStep ? [n, labels.count / max(n, 1), classes] : [n, classes]
        let t = Tensor(shape: shape)
        for (i, l) in labels.enumerated() {
            precondition(l >= 0 && Int(l) < classes, "label \(l) at \(i) is outside 0..<\(classes)")
            t.data[i * classes + Int(l)] = 1
        }
        return Dataset(name: name, features: features, targets: t, labels: labels, classes: classes, lengths: lengths)
    }

    public var count: Int { features.rows }
    /// Whether the examples are sequences ([n, time, d] features).
    public var isSequence: Bool { features.shape.count == 3 }
    /// The steps of each sequence (nil for plain examples).
    public var sequenceLength: Int? { isSequence ? features.shape[1] : nil }
    /// The features of one example (of one step, for sequences).
    public var featureCount: Int { isSequence ? features.shape[2] : features.cols }
    /// The targets of one example (of one step, for per-step targets).
    public var targetCount: Int { targets.shape.count == 3 ? targets.shape[2] : targets.cols }
    public var isClassification: Bool { labels != nil }
    /// Labels per example: 1, or the sequence length for per-step labels.
    public var labelsPerExample: Int { labels.map { $0.count / max(count, 1) } ?? 0 }

    /// For two classes: the same set with a single 0/1 target column (for sigmoid/BCE models).
    public func binaryTargets() -> Dataset {
        guard let labels, classes == 2, !isSequence else { return self }
        let t = Tensor(shape: [labels.count, 1])
        for (i, l) in labels.enumerated() { t[i] = Float(l) }
        return Dataset(name: name, features: features, targets: t, labels: labels, classes: 2)
    }

    /// The examples at `indices`, copied.
    public func subset(_ indices: [Int]) -> Dataset {
        func gather(_ src: Tensor) -> Tensor {
            let c = src.cols
            let out = Tensor(shape: [indices.count] + Array(src.shape.dropFirst()).ifEmpty([c]))
            for (r, i) in indices.enumerated() { (out.data + r * c).update(from: src.data + i * c, count: c) }
            return out
        }
        let per = labelsPerExample
        return Dataset(name: name, features: gather(features), targets: gather(targets),
                       labels: labels.map { l in indices.flatMap { l[($0 * per)..<($0 * per + per)] } }, classes: classes,
                       lengths: lengths.map { l in indices.map { l[$0] } })
    }

    /// A seeded shuffle split: (the rest, a `fraction` of the examples).
    public func split(fraction: Double, generator: inout RandomGenerator) -> (Dataset, Dataset) {
        let order = Shuffle.permutation(count, generator: &generator)
        let k = Int((Double(count) * fraction).rounded())
        return (subset(Array(order[k...])), subset(Array(order[..<k])))
    }
}

extension Array {
    fileprivate func ifEmpty(_ other: [Element]) -> [Element] { isEmpty ? other : self }
}
