import Backprop
import XCTest

/// The first three steps of every optimiser on w = [1, −2] with gradients g₁ = [0.5, 0.1],
/// g₂ = [−0.25, 0.3], g₃ = [0.125, −0.2], against values computed independently from each
/// optimiser's documented formula (a scalar Python transcription in Double; e.g. momentum:
/// b₁ = g₁ = 0.5, w₁ = 1 − 0.1·0.5 = 0.95; b₂ = 0.9·0.5 − 0.25 = 0.2, w₂ = 0.95 − 0.02 = 0.93).
final class OptimizerTests: XCTestCase {
    static let gradients: [[Float]] = [[0.5, 0.1], [-0.25, 0.3], [0.125, -0.2]]
    static let expected: [String: [[Float]]] = [
        "sgd": [[0.95, -2.01], [0.975, -2.04], [0.9625, -2.02]],
        "momentum": [[0.95, -2.01], [0.93, -2.049], [0.8995, -2.0641]],
        "nesterov": [[0.905, -2.019], [0.912, -2.0841], [0.87205, -2.07769]],
        "adagrad": [[0.9, -2.1], [0.94472136, -2.19486833], [0.922899571, -2.14141608]],
        "adadelta": [[0.996837786, -2.0031607], [0.998922873, -2.00742343], [0.997769824, -2.00403031]],
        "rmsprop": [[0.90000002, -2.0999999], [0.944901337, -2.19491567], [0.922890922, -2.14125239]],
        "rmsprop_centered": [[0.899496239, -2.10050368], [0.94444109, -2.1961849], [0.922384433, -2.14244801]],
        "adamax": [[0.998, -2.002], [0.997578526, -2.00336842], [0.99712744, -2.00374026]],
        "adam": [[0.999, -2.001], [0.998733663, -2.00191778], [0.998393234, -2.00217568]],
        "adam_l2": [[0.999, -1.999], [0.998530671, -1.99905313], [0.997971297, -1.99846454]],
        "adamw": [[0.99899, -2.00098], [0.998713673, -2.00187777], [0.998363257, -2.00211566]],
    ]

    func optimizers<B: Backend>(_ b: B) -> [(String, any Optimizer<B>)] {
        [("sgd", SGD(b, learningRate: 0.1)),
         ("momentum", SGD(b, learningRate: 0.1, momentum: 0.9)),
         ("nesterov", SGD(b, learningRate: 0.1, momentum: 0.9, nesterov: true)),
         ("adagrad", AdaGrad(b, learningRate: 0.1)),
         ("adadelta", Adadelta(b)),
         ("rmsprop", RMSprop(b)),
         ("rmsprop_centered", RMSprop(b, centered: true)),
         ("adamax", AdaMax(b)),
         ("adam", Adam(b)),
         ("adam_l2", Adam(b, weightDecay: 0.1)),
         ("adamw", AdamW(b))]
    }

    func testFirstStepsMatchTheFormulas() throws {
        try forEachBackend { backend in check(backend) }
    }

    func check<B: Backend>(_ backend: B) {
        for (name, opt) in optimizers(backend) {
            let p = Parameter(name: "w", shape: [2], isWeight: true)
            let arena = ParameterArena(gathering: [("w", p)])
            p.value.data.update(from: [1, -2], count: 2)
            for (t, g) in Self.gradients.enumerated() {
                p.grad.data.update(from: g, count: 2)
                opt.step(arena)
                let want = Self.expected[name]![t]
                for i in 0..<2 {
                    XCTAssertEqual(p.value[i], want[i], accuracy: 2e-6, "\(backend.name) \(name) step \(t + 1) w[\(i)]")
                }
            }
        }
    }

    func testDefaultsArePyTorchs() {
        let b = NaiveBackend()
        XCTAssertEqual(Adam(b).epsilon, 1e-8)
        XCTAssertEqual(Adam(b).learningRate, 1e-3)
        XCTAssertEqual(RMSprop(b).alpha, 0.99)
        XCTAssertEqual(Adadelta(b).learningRate, 1.0)
        XCTAssertEqual(AdaGrad(b).initialAccumulator, 0)
        XCTAssertEqual(AdaMax(b).learningRate, 0.002)
        for k in OptimizerKind.allCases { XCTAssertEqual(k.make(b).learningRate, k.defaultLearningRate) }
    }
}
