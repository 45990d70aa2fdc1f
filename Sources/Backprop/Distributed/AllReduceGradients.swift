import Foundation

/// The data-parallel step of the gradient pipeline: every rank's gradients, weighted by its
/// share of the global batch, are summed over all ranks with one all-reduce over the whole
/// `ParameterArena`, so that every rank holds ∂L/∂θ of the global batch's mean loss and takes
/// the same update.
///
/// With a mean loss, rank r's gradient is (1/n_r) Σ over its n_r rows; the global batch's is
/// (1/B) Σ over all B rows = Σ_r (n_r/B) · (rank r's), so each rank scales by `weight` = n_r/B
/// before the sum: correct for slices of unequal size too (B not divisible by the ranks), and
/// an average, not a sum. It runs after `GradientAccumulation` and before penalties and
/// clipping (which then act identically on every rank). `Trainer.fit` sets `weight` each step.
public final class AllReduceGradients: GradientTransform {
    public let communicator: any Communicator
    /// This rank's share of the global batch (n_r / B), for the step about to run.
    public var weight: Float = 1
    /// All-reduce calls and their total wall time, seconds (for reports).
    public private(set) var calls = 0
    public private(set) var seconds = 0.0
    /// A communication failure, kept for the trainer to throw (a transform cannot).
    public private(set) var failure: Error?

    public init(_ communicator: any Communicator) { self.communicator = communicator }

    public func apply(_ context: inout GradientContext) -> Bool {
        let g = context.parameters.gradients.data, n = context.parameters.count
        if weight != 1 { context.backend.scale(alpha: weight, g, count: n) }
        let t0 = DispatchTime.now().uptimeNanoseconds
        do {
            try communicator.allReduceSum(g, count: n)
        } catch {
            failure = error
            return false
        }
        seconds += Double(DispatchTime.now().uptimeNanoseconds - t0) * 1e-9
        calls += 1
        return true
    }
}
