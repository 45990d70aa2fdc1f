/// An elementwise binary map out = a ∘ b. `max`/`min` propagate NaN from either side.
public enum BinaryOp: String, CaseIterable, Hashable, Sendable {
    case add, sub, mul, div, max, min
}
