import Foundation

/// Writes the epochs' metrics to a CSV file after every epoch (Keras's `CSVLogger`): columns
/// `epoch,loss,accuracy,val_loss,val_accuracy,learning_rate,seconds`, one row per epoch, empty
/// cells for what was not measured. The whole file is rewritten atomically (temporary name,
/// then rename) each time, so a reader never sees half a row; a resumed run passes the epochs
/// already done as `history`.
public final class CSVLogger: TrainingCallback {
    public let path: String
    public private(set) var rows: [EpochLog]
    /// The first write error, if any (training goes on; the caller reports it).
    public private(set) var error: Error?

    public init(path: String, history: [EpochLog] = []) {
        self.path = path
        rows = history
    }

    public static let header = "epoch,loss,accuracy,val_loss,val_accuracy,learning_rate,seconds"

    /// The CSV text of `logs`.
    public static func csv(_ logs: [EpochLog]) -> String {
        func cell(_ v: Float?) -> String { v.map { "\($0)" } ?? "" }
        var out = header + "\n"
        for l in logs {
            out += "\(l.epoch),\(l.loss),\(cell(l.accuracy)),\(cell(l.validationLoss)),\(cell(l.validationAccuracy)),\(l.learningRate),\(String(format: "%.4f", l.seconds))\n"
        }
        return out
    }

    public func epochDidEnd(_ log: EpochLog, parameters: [Parameter]) -> Bool {
        rows.append(log)
        do {
            try AtomicFile.write(Data(Self.csv(rows).utf8), to: path)
        } catch {
            if self.error == nil { self.error = error }
        }
        return false
    }
}
