/// Gradient clipping, applied after back-propagation and before the optimiser step.
/// - `norm(c)`: if the global norm ‖g‖ = √(Σ over all parameters of Σ g²) exceeds c, every
///   gradient is scaled by c/‖g‖ (PyTorch's `clip_grad_norm_`).
/// - `value(c)`: each gradient element is clamped to [−c, c] (`clip_grad_value_`).
public enum GradientClipping: Hashable, Sendable {
    case norm(Float)
    case value(Float)

    /// Clips the gradients of `parameters`; returns the global norm before clipping (for `norm`).
    @discardableResult
    public func apply<B: Backend>(_ parameters: [Parameter], backend: B) -> Float {
        switch self {
        case .norm(let c):
            var total: Float = 0
            for p in parameters {
                var s: Float = 0
                backend.reduce(.sumOfSquares, .all, p.grad.data, rows: 1, cols: p.count, &s)
                total += s
            }
            let norm = total.squareRoot()
            if norm > c {
                for p in parameters { backend.scale(alpha: c / norm, p.grad.data, count: p.count) }
            }
            return norm
        case .value(let c):
            var hi = c, lo = -c
            for p in parameters {
                backend.binary(.min, p.grad.data, &hi, .scalar, p.grad.data, rows: 1, cols: p.count)
                backend.binary(.max, p.grad.data, &lo, .scalar, p.grad.data, rows: 1, cols: p.count)
            }
            return 0
        }
    }
}
