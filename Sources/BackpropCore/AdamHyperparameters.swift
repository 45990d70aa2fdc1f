import Foundation

/// The constants of one fused Adam/AdamW update (`Backend.adamStep`).
///
/// With g′ = g + λ·w (coupled L2 decay) and c₁ = 1 − β₁ᵗ, c₂ = 1 − β₂ᵗ:
/// w ← w·(1 − η·λ_d) (decoupled decay, AdamW), m ← β₁m + (1 − β₁)g′, v ← β₂v + (1 − β₂)g′²,
/// w ← w − (η/c₁) · m / (√v/√c₂ + ε).
public struct AdamHyperparameters: Sendable, Hashable {
    public var learningRate: Float
    public var beta1: Float
    public var beta2: Float
    public var epsilon: Float
    /// λ, added to the gradient (PyTorch `Adam(weight_decay:)`).
    public var weightDecay: Float
    /// λ_d, applied to the weights (PyTorch `AdamW(weight_decay:)`).
    public var decoupledWeightDecay: Float
    /// t, the 1-based step number.
    public var step: Int

    public init(learningRate: Float, beta1: Float, beta2: Float, epsilon: Float,
                weightDecay: Float = 0, decoupledWeightDecay: Float = 0, step: Int) {
        self.learningRate = learningRate
        self.beta1 = beta1
        self.beta2 = beta2
        self.epsilon = epsilon
        self.weightDecay = weightDecay
        self.decoupledWeightDecay = decoupledWeightDecay
        self.step = step
    }

    /// 1 − β₁ᵗ.
    public var biasCorrection1: Float { 1 - Float(pow(Double(beta1), Double(step))) }
    /// 1 − β₂ᵗ.
    public var biasCorrection2: Float { 1 - Float(pow(Double(beta2), Double(step))) }
}

