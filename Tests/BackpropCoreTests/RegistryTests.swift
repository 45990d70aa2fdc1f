import BackpropCore
import BackpropNaive
import XCTest

final class RegistryTests: XCTestCase {
    func testUnknownNameListsTheAvailableOnes() {
        let r = BackendRegistry()
        r.register(BackendEntry(name: "one", summary: "") { _ in NaiveBackend(name: "one") })
        r.register(BackendEntry(name: "two", summary: "") { _ in NaiveBackend(name: "two") })
        XCTAssertThrowsError(try r.make("nope")) { e in
            XCTAssertEqual("\(e)", "unknown backend 'nope'; available backends: one, two")
        }
        XCTAssertEqual(try r.make("two").name, "two")
    }

    func testThreadsMustBePositive() {
        let r = BackendRegistry()
        r.register(BackendEntry(name: "one", summary: "") { _ in NaiveBackend() })
        XCTAssertThrowsError(try r.make("one", options: BackendOptions(threads: 0)))
    }

    func testOptionWinsOverEnvironment() {
        XCTAssertEqual(BackendRegistry.selectedName(option: "blas", environment: ["BACKPROP_BACKEND": "naive"]), "blas")
        XCTAssertEqual(BackendRegistry.selectedName(option: nil, environment: ["BACKPROP_BACKEND": "naive"]), "naive")
        XCTAssertEqual(BackendRegistry.selectedName(option: nil, environment: [:]), "auto")
    }

    func testFallbackRoutesDeclinedOps() throws {
        let fb = FallbackBackend(name: "x", primary: FaultyBackend(nil, declining: [.fill]), secondary: NaiveBackend())
        var y: [Float] = [0, 0]
        fb.fill(3, &y, count: 2)
        XCTAssertEqual(y, [3, 3])
        XCTAssertEqual(fb.details.first { $0.key == "fallback" }?.value, "fill → naive")
    }

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

