/// The result of `fit`: one log per epoch (of the whole run, when it resumed from a checkpoint).
public struct History: Codable, Sendable {
    public var epochs: [EpochLog]
    /// Wall time of this call, seconds.
    public var seconds: Double
    /// Training examples processed per second in this call.
    public var samplesPerSecond: Double

    public init(epochs: [EpochLog], seconds: Double, samplesPerSecond: Double) {
        self.epochs = epochs
        self.seconds = seconds
        self.samplesPerSecond = samplesPerSecond
    }
}
