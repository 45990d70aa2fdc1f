/// The result of `fit`: one log per epoch (of the whole run, when it resumed from a checkpoint).
public struct History: Codable, Sendable {
    public var epochs: [EpochLog]
    /// Wall time of this call, seconds.
    public var seconds: Double
    /// Training examples processed per second in this call (all ranks together).
    public var samplesPerSecond: Double
    /// Optimiser steps in this call.
    public var steps: Int
    /// Wall time spent in the gradient all-reduce of a data-parallel run, seconds (0 otherwise).
    public var allReduceSeconds: Double

    public init(epochs: [EpochLog], seconds: Double, samplesPerSecond: Double, steps: Int = 0, allReduceSeconds: Double = 0) {
        self.epochs = epochs
        self.seconds = seconds
        self.samplesPerSecond = samplesPerSecond
        self.steps = steps
        self.allReduceSeconds = allReduceSeconds
    }
}
