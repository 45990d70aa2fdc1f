/// Fused optimiser updates: one pass over a whole parameter arena instead of a dozen kernel calls
/// per tensor (ggml has the same op, `GGML_OP_OPT_STEP_ADAMW`).
public protocol OptimizerKernels: KernelProvider {
    /// One fused Adam/AdamW update of `count` parameters (formula in `AdamHyperparameters`):
    /// reads g, updates m, v and w in place, in one pass.
    func adamStep(_ h: AdamHyperparameters, w: UnsafeMutablePointer<Float>, g: UnsafePointer<Float>,
                  m: UnsafeMutablePointer<Float>, v: UnsafeMutablePointer<Float>, count: Int)
}

extension RoutedBackend {
    public func adamStep(_ h: AdamHyperparameters, w: UnsafeMutablePointer<Float>, g: UnsafePointer<Float>,
                         m: UnsafeMutablePointer<Float>, v: UnsafeMutablePointer<Float>, count: Int) {
        routes.optimizer.adamStep(h, w: w, g: g, m: m, v: v, count: count)
    }
}
