/// Gradient clipping, applied after back-propagation and before the optimiser step.
/// - `norm(c)`: if the global norm ‖g‖ = √(Σ over all parameters of Σ g²) exceeds c, every
///   gradient is scaled by c/‖g‖ (PyTorch's `clip_grad_norm_`).
/// - `value(c)`: each gradient element is clamped to [−c, c] (`clip_grad_value_`).
public enum GradientClipping: Hashable, Sendable {
    case norm(Float)
    case value(Float)

    /// Clips the gradients of every parameter in `arena` (one pass over the whole arena); returns
    /// the global norm before clipping (for `norm`; 0 for `value`).
    @discardableResult
    public func apply(_ arena: ParameterArena, backend: any Backend) -> Float {
        let g = arena.gradients.data, n = arena.count
        switch self {
        case .norm(let c):
            var total: Float = 0
            backend.reduce(.sumOfSquares, .all, g, rows: 1, cols: n, &total)
            let norm = total.squareRoot()
            if norm > c { backend.scale(alpha: c / norm, g, count: n) }
            return norm
        case .value(let c):
            var hi = c, lo = -c
            backend.binary(.min, g, &hi, .scalar, g, rows: 1, cols: n)
            backend.binary(.max, g, &lo, .scalar, g, rows: 1, cols: n)
            return 0
        }
    }
}
