import Backprop
import Foundation
import XCTest

/// The CSV logger: Keras's columns, empty cells for what was not measured, the resumed history
/// kept, the file rewritten after each epoch.
final class CSVLoggerTests: XCTestCase {
    func testRowsPerEpochWithTheResumedHistory() throws {
        let path = FileManager.default.temporaryDirectory.appendingPathComponent("log-\(UUID()).csv").path
        defer { try? FileManager.default.removeItem(atPath: path) }
        let logger = CSVLogger(path: path, history: [EpochLog(epoch: 1, loss: 0.5, accuracy: 0.75, learningRate: 0.1, seconds: 1)])
        _ = logger.epochDidEnd(EpochLog(epoch: 2, loss: 0.25, validationLoss: 0.3, learningRate: 0.05, seconds: 0.5), parameters: [])
        XCTAssertNil(logger.error)
        XCTAssertEqual(try String(contentsOfFile: path, encoding: .utf8),
                       "epoch,loss,accuracy,val_loss,val_accuracy,learning_rate,seconds\n1,0.5,0.75,,,0.1,1.0000\n2,0.25,,0.3,,0.05,0.5000\n")
        let bad = CSVLogger(path: "/proc/nope/log.csv")
        _ = bad.epochDidEnd(EpochLog(epoch: 1, loss: 1, learningRate: 1, seconds: 0), parameters: [])
        XCTAssertNotNil(bad.error, "a write failure is kept for the caller to report")
    }
}
