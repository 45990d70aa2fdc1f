import Backprop
import XCTest

final class ScheduleAndClippingTests: XCTestCase {
    func testSchedules() {
        XCTAssertEqual(LearningRateSchedule.constant.rate(base: 0.1, epoch: 7), 0.1)
        XCTAssertEqual(LearningRateSchedule.step(every: 2, gamma: 0.5).rate(base: 0.1, epoch: 5), 0.025, accuracy: 1e-7)
        XCTAssertEqual(LearningRateSchedule.exponential(gamma: 0.9).rate(base: 1, epoch: 2), 0.81, accuracy: 1e-6)
        let cos = LearningRateSchedule.cosine(epochs: 10, minimum: 0)
        XCTAssertEqual(cos.rate(base: 1, epoch: 0), 1)
        XCTAssertEqual(cos.rate(base: 1, epoch: 5), 0.5, accuracy: 1e-6)
        XCTAssertEqual(cos.rate(base: 1, epoch: 10), 0, accuracy: 1e-6)
    }

    func testClipping() throws {
        try forEachBackend { backend in clip(backend) }
    }

    func clip<B: Backend>(_ backend: B) {
        let a = Parameter(name: "a", shape: [2], isWeight: true), b = Parameter(name: "b", shape: [1], isWeight: false)
        let arena = ParameterArena(gathering: [("a", a), ("b", b)])
        a.grad.data.update(from: [3, 0], count: 2)
        b.grad[0] = 4                                                  // global norm 5
        let norm = GradientClipping.norm(1).apply(arena, backend: backend)
        XCTAssertEqual(norm, 5, accuracy: 1e-6)
        XCTAssertEqual(a.grad.array, [0.6, 0])
        XCTAssertEqual(b.grad[0], 0.8, accuracy: 1e-6)
        GradientClipping.norm(10).apply(arena, backend: backend)     // under the limit: unchanged
        XCTAssertEqual(a.grad.array, [0.6, 0])
        a.grad.data.update(from: [-3, 0.5], count: 2)
        GradientClipping.value(1).apply(arena, backend: backend)
        XCTAssertEqual(a.grad.array, [-1, 0.5])
    }
}
