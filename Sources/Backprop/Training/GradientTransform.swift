/// What a gradient transform sees after a backward pass: the model's parameters (with their
/// gradients), the backend to compute on, and the batch's loss, to which penalties add.
public struct GradientContext {
    public let parameters: ParameterArena
    public let backend: any Backend
    /// The batch loss; a penalty adds its value.
    public var loss: Float

    public init(parameters: ParameterArena, backend: any Backend, loss: Float) {
        self.parameters = parameters
        self.backend = backend
        self.loss = loss
    }
}

/// One stage of the gradient pipeline a training step runs between backward and the optimiser
/// update: forward → loss → zero gradients → backward → transforms, in order → optimiser step.
///
/// Built in: `GradientAccumulation` (sum k micro-batches into one update), `PenaltyGradient` (L1/L2),
/// `ClipGradients` (by global norm or by value). A data-parallel all-reduce is one more transform.
public protocol GradientTransform: AnyObject {
    /// Transforms the gradients in place. Returns false to skip this step's update: the
    /// gradients are then kept, and the next backward pass adds to them.
    func apply(_ context: inout GradientContext) -> Bool
    /// Called at the end of an epoch: a transform that held updates back says whether one is
    /// pending (the step then runs the rest of the pipeline and the update once more). Default: no.
    func flush(_ context: inout GradientContext) -> Bool
}

extension GradientTransform {
    public func flush(_ context: inout GradientContext) -> Bool { false }
}

/// Gradient accumulation: the gradients of `steps` consecutive micro-batches are summed (backward
/// adds into them) and averaged into one update, as one batch `steps` times larger would give
/// (for mean-reduced losses and equal micro-batches). Put it first in the pipeline. A window left
/// open at the end of an epoch is applied then, averaged over the micro-batches it holds.
public final class GradientAccumulation: GradientTransform {
    public let steps: Int
    /// Micro-batches summed since the last update.
    public private(set) var pending = 0

    public init(steps: Int) {
        precondition(steps >= 1, "gradient accumulation needs ≥ 1 step, got \(steps)")
        self.steps = steps
    }

    public func apply(_ context: inout GradientContext) -> Bool {
        pending += 1
        guard pending >= steps else { return false }
        average(&context)
        return true
    }

    public func flush(_ context: inout GradientContext) -> Bool {
        guard pending > 0 else { return false }
        average(&context)
        return true
    }

    private func average(_ context: inout GradientContext) {
        if pending > 1 {
            context.backend.scale(alpha: 1 / Float(pending), context.parameters.gradients.data, count: context.parameters.count)
        }
        pending = 0
    }
}

/// Adds an L1/L2 `Penalty` over the weights: its value to the loss, its gradient to the weights'.
public final class PenaltyGradient: GradientTransform {
    public let penalty: Penalty
    private let scratch = Workspace()

    public init(_ penalty: Penalty) { self.penalty = penalty }

    public func apply(_ context: inout GradientContext) -> Bool {
        let ps = context.parameters.parameters
        context.loss += penalty.value(ps, backend: context.backend, scratch: scratch)
        penalty.addGradient(ps, backend: context.backend, scratch: scratch)
        return true
    }
}

/// Clips the gradients (`GradientClipping`: by global norm, or each value) over the whole arena.
public final class ClipGradients: GradientTransform {
    public let clipping: GradientClipping
    /// The global norm before clipping, at the last step (for `.norm`).
    public private(set) var lastNorm: Float = 0

    public init(_ clipping: GradientClipping) { self.clipping = clipping }

    public func apply(_ context: inout GradientContext) -> Bool {
        lastNorm = clipping.apply(context.parameters, backend: context.backend)
        return true
    }
}
