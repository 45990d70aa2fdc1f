/// What one epoch of training measured.
public struct EpochLog: Codable, Sendable, Equatable {
    /// 1-based.
    public var epoch: Int
    /// Mean training loss over the epoch's batches (penalty included).
    public var loss: Float
    /// Training accuracy over the epoch (classification only).
    public var accuracy: Float?
    public var validationLoss: Float?
    public var validationAccuracy: Float?
    public var learningRate: Float
    public var seconds: Double

    public init(epoch: Int, loss: Float, accuracy: Float? = nil, validationLoss: Float? = nil,
                validationAccuracy: Float? = nil, learningRate: Float, seconds: Double) {
        self.epoch = epoch
        self.loss = loss
        self.accuracy = accuracy
        self.validationLoss = validationLoss
        self.validationAccuracy = validationAccuracy
        self.learningRate = learningRate
        self.seconds = seconds
    }

    enum CodingKeys: String, CodingKey {
        case epoch, loss, accuracy
        case validationLoss = "val_loss"
        case validationAccuracy = "val_accuracy"
        case learningRate = "learning_rate"
        case seconds
    }

    /// A metric by name: `loss`, `accuracy`, `val_loss`, `val_accuracy`.
    public func metric(_ name: String) -> Float? {
        switch name {
        case "loss": return loss
        case "accuracy": return accuracy
        case "val_loss": return validationLoss
        case "val_accuracy": return validationAccuracy
        default: return nil
        }
    }
}
