import BackpropCore
import XCTest

final class TensorViewTests: XCTestCase {
    /// A vector of n values is one row of n (it was read as an n×n matrix, past its buffer).
    func testAVectorIsOneRow() {
        let t = Tensor(shape: [97])
        XCTAssertEqual(t.rows, 1)
        XCTAssertEqual(t.cols, 97)
        let v = TensorView(t)
        XCTAssertEqual(v.rows, 1)
        XCTAssertEqual(v.cols, 97)
        XCTAssertEqual(v.count, 97)
        XCTAssertEqual(t.matrix.count, 97)
        let scalar = Tensor(shape: [])
        XCTAssertEqual([scalar.rows, scalar.cols, scalar.count], [1, 1, 1])
        XCTAssertEqual(Tensor(shape: [60, 28, 28]).cols, 784, "examples × the rest")
    }

    func testShapesAndStrides() {
        let t = Tensor(shape: [4, 6], values: (0..<24).map(Float.init))
        // Columns 1..<4 of each row: a strided view.
        let v = TensorView(t.data + 1, rows: 4, cols: 3, rowStride: 6, owner: t)
        XCTAssertFalse(v.isContiguous)
        XCTAssertEqual(v.array, [1, 2, 3, 7, 8, 9, 13, 14, 15, 19, 20, 21])
        XCTAssertEqual(v.rows(2..<4).array, [13, 14, 15, 19, 20, 21])
        XCTAssertEqual(v[3, 2], 21)
        let s: Shape = [2, 3, 4]
        XCTAssertEqual(s.elementCount, 24)
        XCTAssertEqual(s.replacingLast(7), [2, 3, 7])
        XCTAssertEqual(s.droppingFirst, [3, 4])
        XCTAssertEqual(s.description, "[2, 3, 4]")
    }

    /// Time-major sequence batches: step t is a contiguous [batch, features] matrix.
    func testSequenceSteps() {
        let t = Tensor(shape: [3, 2, 4], values: (0..<24).map(Float.init))    // time 3, batch 2, features 4
        let v = TensorView(t)
        XCTAssertEqual([v.time, v.batch, v.rows, v.cols], [3, 2, 6, 4])
        XCTAssertEqual(v.step(1).array, [8, 9, 10, 11, 12, 13, 14, 15])
        XCTAssertEqual(v.step(2).shape, [2, 4])
        XCTAssertEqual(v.reshaped([6, 4]).rows(5..<6).array, [20, 21, 22, 23])
    }

    func testAViewKeepsItsMemoryAlive() {
        var v: TensorView? = nil
        do {
            let t = Tensor(shape: [2, 2], values: [1, 2, 3, 4])
            v = TensorView(t)
        }
        XCTAssertEqual(v?.array, [1, 2, 3, 4])
        let owner = Tensor(shape: [8], values: (0..<8).map(Float.init))
        var view: Tensor? = Tensor(viewing: owner.data + 4, shape: [2, 2], owner: owner)
        XCTAssertEqual(view?.array, [4, 5, 6, 7])
        XCTAssertTrue(view?.storageOwner === owner)
        view = nil
        XCTAssertEqual(owner[7], 7, "a view does not free its owner's memory")
    }
}
