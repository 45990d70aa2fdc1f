import BackpropCore
import XCTest

final class RandomGeneratorTests: XCTestCase {
    func testRandomStreamsSplitAnywhere() {
        var whole = [Float](repeating: 0, count: 10), parts = whole
        var g1 = RandomGenerator(seed: 9)
        g1.fill(.normal(mean: 0, std: 1), &whole, count: 10)
        var g2 = RandomGenerator(seed: 9)
        parts.withUnsafeMutableBufferPointer { p in
            g2.fill(.normal(mean: 0, std: 1), p.baseAddress!, count: 3)
            g2.fill(.normal(mean: 0, std: 1), p.baseAddress! + 3, count: 7)
        }
        XCTAssertEqual(whole, parts)
        XCTAssertEqual(g1, g2)
    }

    func testRandomMomentsAreRight() {
        var g = RandomGenerator(seed: 4)
        var v = [Float](repeating: 0, count: 100_000)
        g.fill(.normal(mean: 2, std: 3), &v, count: v.count)
        let mean = v.reduce(0, +) / Float(v.count)
        let sd = (v.map { ($0 - mean) * ($0 - mean) }.reduce(0, +) / Float(v.count)).squareRoot()
        XCTAssertEqual(mean, 2, accuracy: 0.05)
        XCTAssertEqual(sd, 3, accuracy: 0.05)
        g.fill(.uniform(low: -1, high: 1), &v, count: v.count)
        XCTAssertTrue(v.allSatisfy { $0 >= -1 && $0 < 1 })
        XCTAssertEqual(v.reduce(0, +) / Float(v.count), 0, accuracy: 0.01)
    }
}

