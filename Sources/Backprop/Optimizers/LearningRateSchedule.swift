import Foundation

/// The learning rate for each epoch (0-based), from the base rate η₀:
/// - `constant`: η₀
/// - `step(every: k, gamma: γ)`: η₀ · γ^⌊epoch/k⌋
/// - `exponential(gamma: γ)`: η₀ · γ^epoch
/// - `cosine(epochs: T, minimum: η_min)`: η_min + ½(η₀ − η_min)(1 + cos(π·epoch/T))
///
/// Written as the command line spells it: `constant`, `step:K:G`, `exp:G`, `cosine` (over the
/// run's epochs, to 0) or `cosine:T:MIN`.
public enum LearningRateSchedule: Hashable, Sendable, CustomStringConvertible {
    case constant
    case step(every: Int, gamma: Float)
    case exponential(gamma: Float)
    case cosine(epochs: Int, minimum: Float)

    public func rate(base: Float, epoch: Int) -> Float {
        switch self {
        case .constant: return base
        case .step(let k, let g): return base * powf(g, Float(epoch / max(k, 1)))
        case .exponential(let g): return base * powf(g, Float(epoch))
        case .cosine(let t, let m):
            let progress = Float(min(epoch, t)) / Float(max(t, 1))
            return m + 0.5 * (base - m) * (1 + cosf(.pi * progress))
        }
    }

    public var description: String {
        switch self {
        case .constant: return "constant"
        case .step(let k, let g): return "step:\(k):\(g)"
        case .exponential(let g): return "exp:\(g)"
        case .cosine(let t, let m): return "cosine:\(t):\(m)"
        }
    }

    /// Parses the command-line form; `cosine` alone decays to 0 over `epochs`. Nil when malformed.
    public init?(parsing s: String, epochs: Int) {
        let parts = s.split(separator: ":", omittingEmptySubsequences: false).map(String.init)
        switch parts.first {
        case "constant" where parts.count == 1: self = .constant
        case "cosine" where parts.count == 1: self = .cosine(epochs: max(epochs, 1), minimum: 0)
        case "cosine" where parts.count == 3:
            guard let t = Int(parts[1]), let m = Float(parts[2]), t >= 1, m >= 0, m.isFinite else { return nil }
            self = .cosine(epochs: t, minimum: m)
        case "exp" where parts.count == 2:
            guard let g = Float(parts[1]), g > 0, g.isFinite else { return nil }
            self = .exponential(gamma: g)
        case "step" where parts.count == 3:
            guard let k = Int(parts[1]), let g = Float(parts[2]), k >= 1, g > 0, g.isFinite else { return nil }
            self = .step(every: k, gamma: g)
        default: return nil
        }
    }
}

extension LearningRateSchedule: Codable {
    public init(from decoder: Decoder) throws {
        let c = try decoder.singleValueContainer()
        let s = try c.decode(String.self)
        guard let v = LearningRateSchedule(parsing: s, epochs: 1) else {
            throw DecodingError.dataCorruptedError(in: c, debugDescription: "not a learning-rate schedule: '\(s)'")
        }
        self = v
    }

    public func encode(to encoder: Encoder) throws {
        var c = encoder.singleValueContainer()
        try c.encode(description)
    }
}

/// An optimiser's learning rate: the base rate η₀, its schedule, and the position in it (the
/// epoch, 0-based). The optimiser owns it; the trainer only advances the position after each
/// epoch, and checkpoints save it.
public struct ScheduledLearningRate: Codable, Hashable, Sendable {
    public var base: Float
    public var schedule: LearningRateSchedule
    /// The epoch the rate is for (0-based).
    public var epoch: Int

    public init(base: Float, schedule: LearningRateSchedule = .constant, epoch: Int = 0) {
        self.base = base
        self.schedule = schedule
        self.epoch = epoch
    }

    /// η for the current epoch.
    public var current: Float { schedule.rate(base: base, epoch: epoch) }
}
