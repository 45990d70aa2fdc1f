/// One optimisation step on a batch, the gradient pipeline of the course's training loop:
/// forward → loss and ∂L/∂output → zero gradients → backward (adding into the arena's
/// gradients) → `transforms` in order (accumulation, penalty, clipping, ...) → optimiser update.
/// `Trainer.fit` runs it for every batch; benchmarks time it alone. Its buffers are sized by the
/// first batch and reused: steady-state steps allocate nothing.
public final class TrainingStep {
    public let model: any Model
    public let loss: any Loss
    public let optimizer: any Optimizer
    public let transforms: [any GradientTransform]
    private let gradient = Workspace()
    /// The gradients hold micro-batches not yet applied (a transform skipped the update).
    private var holding = false

    public init(model: any Model, loss: any Loss, optimizer: any Optimizer, transforms: [any GradientTransform] = []) {
        self.model = model
        self.loss = loss
        self.optimizer = optimizer
        self.transforms = transforms
    }

    /// Runs one step; returns the batch's loss (penalties included), the model's outputs (a view
    /// valid until the next forward pass) and whether the parameters were updated (false while
    /// accumulating, or when the loss is not finite).
    @discardableResult
    public func run(_ x: TensorView, _ target: LossTarget) -> (loss: Float, output: TensorView, updated: Bool) {
        let out = model.forward(x, training: true)
        let g = gradient.view(out.shape)
        let value = loss.compute(out, target, gradient: g)
        if !holding { model.zeroGradients() }
        model.backward(g)
        var context = GradientContext(parameters: model.parameters, backend: model.backend, loss: value)
        for t in transforms where !t.apply(&context) {
            holding = true
            return (context.loss, out, false)
        }
        holding = false
        guard context.loss.isFinite else { return (context.loss, out, false) }
        optimizer.step(model.parameters)
        return (context.loss, out, true)
    }

    /// The step against dense targets.
    @discardableResult
    public func run(_ x: TensorView, _ y: TensorView) -> (loss: Float, output: TensorView, updated: Bool) {
        run(x, .values(y))
    }

    /// Applies what a transform still holds (an open accumulation window) at the end of an
    /// epoch; returns whether the parameters were updated.
    @discardableResult
    public func finishEpoch() -> Bool {
        guard holding else { return false }
        holding = false
        var context = GradientContext(parameters: model.parameters, backend: model.backend, loss: 0)
        var pending = false
        for t in transforms {
            if pending {
                _ = t.apply(&context)
            } else if t.flush(&context) {
                pending = true
            }
        }
        guard pending else { return false }
        optimizer.step(model.parameters)
        return true
    }
}
