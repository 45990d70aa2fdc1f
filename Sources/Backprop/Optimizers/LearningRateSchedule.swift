import Foundation

/// The learning rate for each epoch (0-based), from the base rate η₀:
/// - `constant`: η₀
/// - `step(every: k, gamma: γ)`: η₀ · γ^⌊epoch/k⌋
/// - `exponential(gamma: γ)`: η₀ · γ^epoch
/// - `cosine(epochs: T, minimum: η_min)`: η_min + ½(η₀ − η_min)(1 + cos(π·epoch/T))
public enum LearningRateSchedule: Hashable, Sendable {
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
}
