import Backprop
import Foundation

/// The JSON `train --report` writes.
struct TrainReport: Encodable {
    let backend: String
    let threads: Int
    let dataset: String
    let epochs: Int
    let testAccuracy: Float?
    let testLoss: Float?
    let trainSeconds: Double
    let samplesPerSecond: Double
    let secondsPerEpoch: [Double]
    let history: [EpochLog]
    let ranks: Int
    let steps: Int
    let allReduceSeconds: Double

    enum CodingKeys: String, CodingKey {
        case backend, threads, dataset, epochs, history, ranks, steps
        case allReduceSeconds = "all_reduce_seconds"
        case testAccuracy = "test_accuracy"
        case testLoss = "test_loss"
        case trainSeconds = "train_seconds"
        case samplesPerSecond = "samples_per_second"
        case secondsPerEpoch = "seconds_per_epoch"
    }

    func write(to path: String) throws {
        let e = JSONEncoder()
        e.outputFormatting = [.prettyPrinted, .sortedKeys]
        try AtomicFile.write(try e.encode(self), to: path)
    }
}
