import Backprop
import XCTest

final class SyntheticDatasetTests: XCTestCase {
    func testShapesDeterminismAndBalance() {
        for s in SyntheticDataset.allCases {
            let a = s.make(count: 300, seed: 5), b = s.make(count: 300, seed: 5), c = s.make(count: 300, seed: 6)
            XCTAssertEqual(a.count, 300, s.rawValue)
            XCTAssertEqual(a.features.array, b.features.array, "\(s) is seeded")
            XCTAssertNotEqual(a.features.array, c.features.array, "\(s) depends on the seed")
            if let labels = a.labels {
                let counts = Dictionary(grouping: labels, by: { $0 }).mapValues(\.count)
                XCTAssertEqual(counts.count, a.classes, s.rawValue)
                XCTAssertTrue(counts.values.allSatisfy { Double($0) >= 0.85 * 300 / Double(a.classes!) }, "\(s) is balanced: \(counts)")
            }
        }
    }

    func testUATFollowsItsFormula() {
        let d = SyntheticDataset.uat.make(count: 50, seed: 1)
        for i in 0..<50 {
            let x = d.features[i]
            XCTAssertTrue(x >= 0 && x <= 3)
            XCTAssertEqual(d.targets[i], 2 * sin(x * x) + (5 * x).squareRoot(), accuracy: 1e-5)
        }
    }

    func testXORLabels() {
        let d = SyntheticDataset.xor.make(count: 100, seed: 2)
        for i in 0..<100 {
            XCTAssertEqual(d.labels![i], (d.features[i, 0] > 0) != (d.features[i, 1] > 0) ? 1 : 0)
        }
    }

    func testSplitAndBatchesCoverEveryExampleOnce() {
        let d = SyntheticDataset.blobs.make(count: 103, seed: 3)
        var g = RandomGenerator(seed: 1)
        let (train, val) = d.split(fraction: 0.2, generator: &g)
        XCTAssertEqual(val.count, 21)
        XCTAssertEqual(train.count, 82)
        let it = BatchIterator(train, batchSize: 16)
        it.shuffle(generator: g)
        XCTAssertEqual(it.batchCount, 6)
        var seen: [Float] = []
        for b in 0..<it.batchCount {
            let batch = it.batch(b)
            let x = batch.x
            XCTAssertEqual(batch.labels?.count, x.rows)
            for r in 0..<x.rows { seen.append(x[r, 0]) }
        }
        XCTAssertEqual(seen.sorted(), (0..<train.count).map { train.features[$0, 0] }.sorted())
    }

    /// Sequence sets batch time-major: step t of every sequence of the batch is one contiguous
    /// matrix; per-step labels follow the same order; lengths come along.
    func testSequenceBatchesAreTimeMajor() {
        // 3 sequences of 2 steps of 2 features: value = 100·sequence + 10·step + feature.
        var values: [Float] = []
        for s in 0..<3 { for t in 0..<2 { for f in 0..<2 { values.append(Float(100 * s + 10 * t + f)) } } }
        let x = Tensor(shape: [3, 2, 2], values: values)
        let labels: [Int32] = [0, 1, 1, 0, 0, 0]           // per step, example-major
        let d = Dataset.classification(name: "seq", features: x, labels: labels, classes: 2, lengths: [2, 1, 2])
        XCTAssertTrue(d.isSequence)
        XCTAssertEqual([d.count, d.sequenceLength!, d.featureCount, d.targetCount, d.labelsPerExample], [3, 2, 2, 2, 2])
        let it = BatchIterator(d, batchSize: 2)
        let b = it.batch(0)
        XCTAssertEqual(b.x.shape, [2, 2, 2])
        XCTAssertEqual(b.x.step(0).array, [0, 1, 100, 101])
        XCTAssertEqual(b.x.step(1).array, [10, 11, 110, 111])
        XCTAssertEqual(Array(b.labels!), [0, 1, 1, 0], "step 0 of sequences 0 and 1, then step 1")
        XCTAssertEqual(Array(b.lengths!), [2, 1])
        XCTAssertEqual(b.y.shape, [2, 2, 2])
        XCTAssertEqual(b.y.step(1).array, [0, 1, 1, 0], "one-hot of step 1's labels 1 and 0")
        let last = it.batch(1)
        XCTAssertEqual(last.x.shape, [2, 1, 2])
        XCTAssertEqual(last.x.array, [200, 201, 210, 211])
        let sub = d.subset([2, 0])
        XCTAssertEqual(sub.labels!, [0, 0, 0, 1])
        XCTAssertEqual(sub.lengths!, [2, 2])
    }
}
