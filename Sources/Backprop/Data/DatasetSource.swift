import Foundation

/// Where training and test data come from, as named on the command line:
/// `fashion-mnist`, `idx:IMAGES,LABELS`, `csv:PATH`, or a synthetic set (`spiral`, `xor`,
/// `circles`, `moons`, `blobs`, `uat`).
public enum DatasetSource: Equatable, Sendable {
    /// Debian's `dataset-fashion-mnist`: 60 000 training and 10 000 test images, 28x28, 10 classes.
    case fashionMNIST(directory: String)
    case idx(images: String, labels: String)
    case csv(path: String)
    case synthetic(SyntheticDataset)

    public static let fashionMNISTDirectory = "/usr/share/datasets/fashion-mnist"

    public init(parsing s: String) throws {
        if s == "fashion-mnist" || s == "fashion_mnist" {
            self = .fashionMNIST(directory: Self.fashionMNISTDirectory)
        } else if s.hasPrefix("idx:") {
            let parts = s.dropFirst(4).split(separator: ",", omittingEmptySubsequences: false).map(String.init)
            guard parts.count == 2, !parts[0].isEmpty, !parts[1].isEmpty else {
                throw DataError("--dataset", "expected idx:IMAGES,LABELS, got '\(s)'")
            }
            self = .idx(images: parts[0], labels: parts[1])
        } else if s.hasPrefix("csv:") {
            guard s.count > 4 else { throw DataError("--dataset", "expected csv:PATH, got '\(s)'") }
            self = .csv(path: String(s.dropFirst(4)))
        } else if let syn = SyntheticDataset(rawValue: s) {
            self = .synthetic(syn)
        } else {
            throw DataError("--dataset", "unknown dataset '\(s)'; expected fashion-mnist, idx:IMAGES,LABELS, csv:PATH, "
                            + SyntheticDataset.allCases.map(\.rawValue).joined(separator: ", "))
        }
    }

    /// Whether targets are real values (regression) for this source and loss.
    public func isRegression(loss: LossKind) -> Bool {
        if case .synthetic(.uat) = self { return true }
        if case .csv = self { return loss == .mse }
        return false
    }

    /// (training set, test set). Sets without a separate test file hold out 20% (seeded).
    /// `classes` declares the class count of an IDX or CSV set (see `ClassLabels`);
    /// Fashion-MNIST has 10.
    public func load(loss: LossKind, seed: UInt64, classes: Int? = nil) throws -> (train: Dataset, test: Dataset) {
        switch self {
        case .fashionMNIST(let dir):
            func path(_ f: String) throws -> String {
                let p = dir + "/" + f
                guard FileManager.default.fileExists(atPath: p) else {
                    throw DataError(p, "no such file; install Debian's dataset-fashion-mnist (apt-get install dataset-fashion-mnist)")
                }
                return p
            }
            let train = try IDXReader.dataset(images: path("train-images-idx3-ubyte.gz"), labels: path("train-labels-idx1-ubyte.gz"),
                                              name: "fashion-mnist", classes: classes ?? 10)
            let test = try IDXReader.dataset(images: path("t10k-images-idx3-ubyte.gz"), labels: path("t10k-labels-idx1-ubyte.gz"),
                                             name: "fashion-mnist-test", classes: classes ?? 10)
            return (train, test)
        case .idx(let images, let labels):
            let all = try IDXReader.dataset(images: images, labels: labels, name: "idx", classes: classes)
            return holdOut(all, seed: seed)
        case .csv(let path):
            let all = try CSVReader.dataset(path, regression: isRegression(loss: loss), classes: classes)
            return holdOut(all, seed: seed)
        case .synthetic(let s):
            let n = s == .blobs ? 1500 : 1000
            return (s.make(count: n, seed: seed), s.make(count: n / 5, seed: seed &+ 1))
        }
    }

    private func holdOut(_ all: Dataset, seed: UInt64) -> (Dataset, Dataset) {
        var g = RandomGenerator(seed: seed &+ 17)
        return all.split(fraction: 0.2, generator: &g)
    }
}
