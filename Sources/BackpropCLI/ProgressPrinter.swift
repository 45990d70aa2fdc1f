import Backprop
import Foundation

/// Training progress: on a terminal, a bar per epoch redrawn in place (batches done, running
/// loss, samples/s, ETA); otherwise one line per epoch.
final class ProgressPrinter: TrainingCallback {
    private let isTerminal = isatty(STDOUT_FILENO) != 0
    private var epochs = 0
    private var epochStart: UInt64 = 0
    private var lastDraw: UInt64 = 0

    func trainingWillBegin(epochs: Int, batchesPerEpoch: Int, samplesPerEpoch: Int) {
        self.epochs = epochs
    }

    func batchDidEnd(epoch: Int, batch: Int, batches: Int, runningLoss: Float, samplesDone: Int) {
        let now = DispatchTime.now().uptimeNanoseconds
        if batch == 1 { epochStart = now }
        guard isTerminal, now - lastDraw > 100_000_000 || batch == batches else { return }
        lastDraw = now
        let elapsed = Double(now - epochStart) * 1e-9
        let rate = elapsed > 0 ? Double(samplesDone) / elapsed : 0
        let eta = batch > 0 ? elapsed * Double(batches - batch) / Double(batch) : 0
        let width = 30
        let filled = width * batch / max(batches, 1)
        let bar = String(repeating: "=", count: filled) + (filled < width ? ">" : "") + String(repeating: " ", count: max(0, width - filled - 1))
        print(String(format: "\repoch %d/%d [%@] %d/%d loss %.4f %.0f samples/s ETA %.1fs   ",
                     epoch, epochs, bar as NSString, batch, batches, runningLoss, rate, eta), terminator: "")
        fflush(nil)
    }

    func epochDidEnd(_ log: EpochLog, parameters: [Parameter]) -> Bool {
        if isTerminal { print("\r\u{1B}[K", terminator: "") }
        var line = String(format: "epoch %d/%d loss %.4f", log.epoch, epochs, log.loss)
        if let a = log.accuracy { line += String(format: " acc %.4f", a) }
        if let v = log.validationLoss { line += String(format: " | val_loss %.4f", v) }
        if let v = log.validationAccuracy { line += String(format: " val_acc %.4f", v) }
        line += String(format: " | lr %.3g | %.2f s", log.learningRate, log.seconds)
        print(line)
        fflush(nil)
        return false
    }
}
