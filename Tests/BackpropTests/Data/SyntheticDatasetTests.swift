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
}
