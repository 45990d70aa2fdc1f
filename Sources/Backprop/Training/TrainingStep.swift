/// One optimisation step on a batch: forward, loss and ∂L/∂output, backward, penalty gradients,
/// clipping, optimiser update. `Trainer.fit` runs it for every batch; benchmarks time it alone.
/// Its buffers are sized by the first batch and reused: steady-state steps allocate nothing.
public final class TrainingStep<B: Backend> {
    public let model: Sequential<B>
    public let loss: any Loss<B>
    public let optimizer: any Optimizer<B>
    public var penalty: Penalty
    public var clipping: GradientClipping?
    /// The model's parameters, listed once.
    public let parameters: [Parameter]
    private let gradient = Workspace()
    private let scratch = Workspace()

    public init(model: Sequential<B>, loss: any Loss<B>, optimizer: any Optimizer<B>,
                penalty: Penalty = Penalty(), clipping: GradientClipping? = nil) {
        self.model = model
        self.loss = loss
        self.optimizer = optimizer
        self.penalty = penalty
        self.clipping = clipping
        self.parameters = model.parameters
    }

    /// Runs one step; returns the batch's loss (penalty included) and the model's outputs
    /// (a view valid until the next forward pass). The parameters are not updated when the loss
    /// is not finite.
    @discardableResult
    public func run(_ x: Matrix, _ y: Matrix) -> (loss: Float, output: Matrix) {
        let out = model.forward(x, training: true)
        let g = gradient.matrix(rows: out.rows, cols: out.cols)
        var value = loss.compute(out, y, gradient: g)
        model.backward(g)
        if !penalty.isZero {
            value += penalty.value(parameters, backend: model.backend, scratch: scratch)
            penalty.addGradient(parameters, backend: model.backend, scratch: scratch)
        }
        guard value.isFinite else { return (value, out) }
        clipping?.apply(parameters, backend: model.backend)
        optimizer.step(parameters)
        return (value, out)
    }
}
