import Backprop
import Foundation

/// The options that define a training run, with the defaults applied: what `--checkpoint` stores
/// (as `train.options`) and `--resume` restores.
struct RunOptions: Codable, Equatable {
    var dataset = "fashion-mnist"
    var layers = "256,128"
    var activation = "relu"
    var loss: String?
    var optimizer = "adam"
    var lr: Float?
    var schedule = "cosine"
    var batchSize = 128
    var epochs = 10
    var l1: Float = 0
    var l2: Float = 0
    var dropout: Float = 0
    var earlyStopping: Int?
    var clipNorm: Float?
    var clipValue: Float?
    var accumulate = 1
    var validationSplit = 0.1
    var scale: String?
    var seed: UInt64 = 42
    var classes: Int?

    init() {}

    /// The command's options, defaults where none was given.
    init(_ t: TrainCommand) {
        if let v = t.dataset { dataset = v }
        if let v = t.layers { layers = v }
        if let v = t.activation { activation = v }
        loss = t.loss
        if let v = t.optimizer { optimizer = v }
        lr = t.lr
        if let v = t.schedule { schedule = v }
        if let v = t.batchSize { batchSize = v }
        if let v = t.epochs { epochs = v }
        if let v = t.l1 { l1 = v }
        if let v = t.l2 { l2 = v }
        if let v = t.dropout { dropout = v }
        earlyStopping = t.earlyStopping
        clipNorm = t.clipNorm
        clipValue = t.clipValue
        if let v = t.accumulate { accumulate = v }
        if let v = t.validationSplit { validationSplit = v }
        scale = t.scale
        if let v = t.seed { seed = v }
        classes = t.classes
    }

    func json() throws -> String {
        let e = JSONEncoder()
        e.outputFormatting = [.sortedKeys]
        return String(decoding: try e.encode(self), as: UTF8.self)
    }

    /// These stored options, resumed by `t`: `--epochs` may extend the run; any other run option
    /// given must equal the stored one (a resumed run keeps its options, so that it gives what an
    /// uninterrupted run gives).
    func resumed(with t: TrainCommand) throws -> RunOptions {
        var r = self
        if let e = t.epochs { r.epochs = e }
        func check<T: Equatable>(_ flag: String, _ value: T?, _ stored: T) throws {
            if let value, value != stored {
                throw CLIError("--resume: \(flag) \(value) differs from the checkpoint's \(stored); a resumed run keeps its options (only --epochs may change)")
            }
        }
        try check("--dataset", t.dataset, dataset)
        try check("--layers", t.layers, layers)
        try check("--activation", t.activation, activation)
        try check("--loss", t.loss, loss ?? "default")
        try check("--optimizer", t.optimizer, optimizer)
        try check("--lr", t.lr, lr ?? -1)
        try check("--schedule", t.schedule, schedule)
        try check("--batch-size", t.batchSize, batchSize)
        try check("--l1", t.l1, l1)
        try check("--l2", t.l2, l2)
        try check("--dropout", t.dropout, dropout)
        try check("--early-stopping", t.earlyStopping, earlyStopping ?? -1)
        try check("--clip-norm", t.clipNorm, clipNorm ?? -1)
        try check("--clip-value", t.clipValue, clipValue ?? -1)
        try check("--accumulate", t.accumulate, accumulate)
        try check("--validation-split", t.validationSplit, validationSplit)
        try check("--scale", t.scale, scale ?? "default")
        try check("--seed", t.seed, seed)
        try check("--classes", t.classes, classes ?? -1)
        return r
    }
}
