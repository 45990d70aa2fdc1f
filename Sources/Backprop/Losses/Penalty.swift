/// L1 and L2 weight penalties, added to the loss over every weight tensor (not biases):
/// P = λ₁ Σ|w| + (λ₂/2) Σ w², ∂P/∂w = λ₁ sign(w) + λ₂ w.
/// (λ₂/2 makes the L2 gradient λ₂·w, PyTorch's `weight_decay`.) Defaults: 0 and 0.
public struct Penalty: Sendable, Equatable {
    public var l1: Float
    public var l2: Float

    public init(l1: Float = 0, l2: Float = 0) {
        self.l1 = l1
        self.l2 = l2
    }

    public var isZero: Bool { l1 == 0 && l2 == 0 }

    /// The penalty's value over `parameters`' weights.
    public func value(_ parameters: [Parameter], backend: any Backend, scratch: Workspace) -> Float {
        var total: Float = 0
        for p in parameters where p.isWeight {
            var s: Float = 0
            if l1 != 0 {
                let a = scratch.matrix(rows: 1, cols: p.count)
                backend.unary(.abs, p.value.data, a.data, count: p.count)
                backend.reduce(.sum, .all, a.data, rows: 1, cols: p.count, &s)
                total += l1 * s
            }
            if l2 != 0 {
                backend.reduce(.sumOfSquares, .all, p.value.data, rows: 1, cols: p.count, &s)
                total += l2 / 2 * s
            }
        }
        return total
    }

    /// Adds ∂P/∂w to each weight's gradient.
    public func addGradient(_ parameters: [Parameter], backend: any Backend, scratch: Workspace) {
        for p in parameters where p.isWeight {
            if l1 != 0 {
                let s = scratch.matrix(rows: 1, cols: p.count)
                backend.unary(.sign, p.value.data, s.data, count: p.count)
                backend.axpy(alpha: l1, s.data, p.grad.data, count: p.count)
            }
            if l2 != 0 { backend.axpy(alpha: l2, p.value.data, p.grad.data, count: p.count) }
        }
    }
}
