/// Examples for supervised learning: features [n, d] and targets [n, k].
///
/// For classification, `labels` holds each example's class index and `targets` the one-hot rows
/// (k = classes), or a single 0/1 column for binary models (`binaryTargets()`). For regression,
/// `labels` is nil and `targets` holds the values.
public struct Dataset: @unchecked Sendable {
    public var name: String
    public var features: Tensor
    public var targets: Tensor
    public var labels: [Int32]?
    public var classes: Int?

    public init(name: String, features: Tensor, targets: Tensor, labels: [Int32]? = nil, classes: Int? = nil) {
        precondition(features.rows == targets.rows, "features and targets have different row counts")
        self.name = name
        self.features = features
        self.targets = targets
        self.labels = labels
        self.classes = classes
    }

    /// A classification set with one-hot targets.
    public static func classification(name: String, features: Tensor, labels: [Int32], classes: Int) -> Dataset {
        let t = Tensor(shape: [labels.count, classes])
        for (i, l) in labels.enumerated() { t[i, Int(l)] = 1 }
        return Dataset(name: name, features: features, targets: t, labels: labels, classes: classes)
    }

    public var count: Int { features.rows }
    public var featureCount: Int { features.cols }
    public var targetCount: Int { targets.cols }
    public var isClassification: Bool { labels != nil }

    /// For two classes: the same set with a single 0/1 target column (for sigmoid/BCE models).
    public func binaryTargets() -> Dataset {
        guard let labels, classes == 2 else { return self }
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
        return Dataset(name: name, features: gather(features), targets: gather(targets),
                       labels: labels.map { l in indices.map { l[$0] } }, classes: classes)
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

/// Seeded Fisher–Yates shuffles.
public enum Shuffle {
    /// A permutation of 0..<n.
    public static func permutation(_ n: Int, generator: inout RandomGenerator) -> [Int] {
        var p = Array(0..<n)
        shuffle(&p, generator: &generator)
        return p
    }

    /// Shuffles `p` in place.
    public static func shuffle(_ p: inout [Int], generator: inout RandomGenerator) {
        guard p.count > 1 else { return }
        for i in stride(from: p.count - 1, to: 0, by: -1) {
            p.swapAt(i, generator.nextInt(below: i + 1))
        }
    }
}
