/// A trainable tensor and its gradient.
///
/// `value` and `grad` have the same shape; a backward pass overwrites `grad`. `isWeight` marks the
/// tensors that L1/L2 penalties and weight decay apply to (weights, not biases).
public final class Parameter: @unchecked Sendable {
    /// The name used in model files, e.g. `layers.0.weight`.
    public var name: String
    public let value: Tensor
    public let grad: Tensor
    public let isWeight: Bool

    public init(name: String, shape: [Int], isWeight: Bool) {
        self.name = name
        self.value = Tensor(shape: shape)
        self.grad = Tensor(shape: shape)
        self.isWeight = isWeight
    }

    public var count: Int { value.count }
}
