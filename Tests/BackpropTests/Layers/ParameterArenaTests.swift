import Backprop
import XCTest

final class ParameterArenaTests: XCTestCase {
    func testGatheringMovesParametersIntoOneAlignedArena() {
        let a = Parameter(name: "a", shape: [3, 5], isWeight: true), b = Parameter(name: "b", shape: [7], isWeight: false)
        a.value.data.update(from: (0..<15).map(Float.init), count: 15)
        b.grad[2] = 9
        let oldView = a.value
        let arena = ParameterArena(gathering: [("x.a", a), ("x.b", b)])
        XCTAssertEqual(arena.entries.map(\.name), ["x.a", "x.b"])
        XCTAssertEqual(a.offset, 0)
        XCTAssertEqual(b.offset, 16, "each parameter starts on a 64-byte boundary")
        XCTAssertEqual(arena.count, 32)
        XCTAssertEqual(arena.parameterCount, 22)
        XCTAssertEqual(Int(bitPattern: arena.values.data) % 64, 0)
        XCTAssertEqual(Int(bitPattern: b.value.data) % 64, 0)
        XCTAssertEqual(a.value.array, (0..<15).map(Float.init), "values move with the parameter")
        XCTAssertEqual(b.grad[2], 9, "gradients too")
        XCTAssertEqual(a.value.data, arena.values.data)
        XCTAssertEqual(b.grad.data, arena.gradients.data + 16)
        XCTAssertTrue(a.arena === arena)
        XCTAssertEqual(oldView.array, (0..<15).map(Float.init), "an old view keeps the old memory")
        XCTAssertTrue(arena.parameter(named: "x.b") === b)
    }

    /// One fill clears every gradient, and backward passes add into them.
    func testGradientsAccumulateUntilZeroed() throws {
        try forEachBackend { backend in
            var g = RandomGenerator(seed: 3)
            let model = Sequential.mlp(backend, sizes: [3, 4, 2], activation: .tanh, generator: &g)
            let x = randomTensor([5, 3], &g), t = randomTensor([5, 2], &g)
            let loss = MeanSquaredError(backend), grad = Tensor(shape: [5, 2])
            _ = loss.compute(model.forward(TensorView(x), training: true), TensorView(t), gradient: TensorView(grad))
            model.zeroGradients()
            model.backward(TensorView(grad))
            let once = model.parameters.gradients.array
            _ = model.forward(TensorView(x), training: true)
            model.backward(TensorView(grad))
            let twice = model.parameters.gradients.array
            for (o, w) in zip(once, twice) { XCTAssertEqual(w, 2 * o, accuracy: 1e-6 * max(1, abs(w)), backend.name) }
            XCTAssertTrue(once.contains { $0 != 0 })
            model.zeroGradients()
            XCTAssertTrue(model.parameters.gradients.array.allSatisfy { $0 == 0 }, backend.name)
        }
    }
}
