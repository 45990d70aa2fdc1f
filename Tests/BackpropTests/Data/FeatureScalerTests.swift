import Backprop
import XCTest

final class FeatureScalerTests: XCTestCase {
    func testStandardAndMinMax() throws {
        try forEachBackend { backend in check(backend) }
    }

    func check<B: Backend>(_ backend: B) {
        // Columns: [1, 2, 3] (mean 2, σ √(2/3)), a constant 5, [0, 10, 20].
        let x = Tensor(shape: [3, 3], values: [1, 5, 0, 2, 5, 10, 3, 5, 20])
        let s = FeatureScaler.fit(.standard, to: x, backend: backend)
        XCTAssertEqual(s.shift.array, [2, 5, 10])
        XCTAssertEqual(s.scale[0], 1 / Float(2.0 / 3).squareRoot(), accuracy: 1e-5)
        XCTAssertEqual(s.scale[1], 1, "a constant column keeps scale 1")
        let t = x.copy()
        s.apply(to: t, backend: backend)
        XCTAssertEqual(t[0, 0], -Float(1.5).squareRoot(), accuracy: 1e-5)
        XCTAssertEqual(t[1, 1], 0)
        // Fitted on training data, applied unchanged to other data.
        let test = Tensor(shape: [1, 3], values: [4, 5, 30])
        s.apply(to: test, backend: backend)
        XCTAssertEqual(test[0, 2], 20 * s.scale[2], accuracy: 1e-4)
        let m = FeatureScaler.fit(.minMax, to: x, backend: backend)
        let u = x.copy()
        m.apply(to: u, backend: backend)
        XCTAssertEqual(u.array, [0, 0, 0, 0.5, 0, 0.5, 1, 0, 1])
    }
}
