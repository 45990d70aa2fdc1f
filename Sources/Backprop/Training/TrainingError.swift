/// Errors that stop training or evaluation: data that does not fit the model, or a diverging loss.
public enum TrainingError: Error, CustomStringConvertible, Equatable {
    /// The loss became NaN or infinite.
    case nonFiniteLoss(epoch: Int, batch: Int, value: Float)
    /// The data does not fit the model (feature or target width, class indices, no examples).
    case dataMismatch(String)
    /// A checkpoint does not belong to this run (different options or model).
    case checkpointMismatch(String)

    public var description: String {
        switch self {
        case .nonFiniteLoss(let e, let b, let v):
            return "training diverged: loss is \(v) at epoch \(e), batch \(b); try a smaller --lr or --clip-norm"
        case .dataMismatch(let m): return m
        case .checkpointMismatch(let m): return m
        }
    }
}
