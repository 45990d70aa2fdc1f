/// An optimiser's state: the step count t and its per-parameter tensors ("slots", named as
/// PyTorch's optimisers name them: Adam's `exp_avg` and `exp_avg_sq`, SGD's `momentum_buffer`, ...).
///
/// Each slot is laid out like the model's `ParameterArena` (one buffer over every parameter, so
/// fused kernels update the whole model in one pass); `tensor(_:for:)` is one parameter's view.
/// Checkpoints save it with `namedTensors` (`exp_avg.layers.0.weight`, ...) and `restore`.
/// Slots are created on the first step (or restore), filled with their initial value.
public final class OptimizerState: @unchecked Sendable {
    /// The slots' names, in order.
    public let slotNames: [String]
    /// Each slot's initial value (AdaGrad's initial accumulator; 0 for the others).
    public let initialValues: [Float]
    /// The updates taken (t, 1-based during the t-th update).
    public internal(set) var step = 0
    /// The slots over the arena they were made for (empty before the first step).
    public private(set) var slots: [Tensor] = []
    private weak var arena: ParameterArena?

    public init(slots: [String], initialValues: [Float]? = nil) {
        slotNames = slots
        self.initialValues = initialValues ?? slots.map { _ in 0 }
        precondition(self.initialValues.count == slots.count, "one initial value per slot")
    }

    /// Makes the slots for `arena` if they were made for another (or none): a new model starts
    /// from fresh state.
    func bind(_ arena: ParameterArena) {
        if self.arena === arena && slots.count == slotNames.count && slots.allSatisfy({ $0.count == arena.count }) { return }
        self.arena = arena
        slots = initialValues.map { v in
            let t = Tensor(shape: [arena.count])
            if v != 0 { t.data.update(repeating: v, count: t.count) }
            return t
        }
        step = 0
    }

    /// The pointer to slot `i` (after `bind`).
    @inline(__always)
    func pointer(_ i: Int) -> UnsafeMutablePointer<Float> { slots[i].data }

    /// Slot `name` over the whole arena.
    public func slot(_ name: String) -> Tensor? {
        guard let i = slotNames.firstIndex(of: name), i < slots.count else { return nil }
        return slots[i]
    }

    /// Slot `name` of one parameter, as a view of its shape.
    public func tensor(_ name: String, for p: Parameter) -> Tensor? {
        guard let s = slot(name), let a = p.arena, a === arena else { return nil }
        return Tensor(viewing: s.data + p.offset, shape: p.shape, owner: s)
    }

    /// Every slot of every parameter, named `SLOT.PARAMETER` (e.g. `exp_avg.layers.0.weight`).
    public func namedTensors(_ arena: ParameterArena) -> [(name: String, tensor: Tensor)] {
        guard self.arena === arena, !slots.isEmpty else { return [] }
        var out: [(String, Tensor)] = []
        for (i, slot) in slotNames.enumerated() {
            for (name, p) in arena.entries {
                out.append(("\(slot).\(name)", Tensor(viewing: slots[i].data + p.offset, shape: p.shape, owner: slots[i])))
            }
        }
        return out
    }

    /// Sets the state from `tensors` named as `namedTensors` names them (a step count of 0 with no
    /// tensors is fresh state). Throws a `DataError` naming `source` for a missing or misshapen one.
    public func restore(step: Int, tensors: [String: Tensor], arena: ParameterArena, source: String) throws {
        guard step >= 0 else { throw DataError(source, "optimizer step \(step) is negative") }
        self.arena = nil
        bind(arena)
        if step > 0 {
            for (i, slot) in slotNames.enumerated() {
                for (name, p) in arena.entries {
                    let key = "\(slot).\(name)"
                    guard let t = tensors[key] else { throw DataError(source, "missing optimizer tensor \(key)") }
                    guard t.shape == p.shape else { throw DataError(source, "optimizer tensor \(key) has shape \(t.shape); the parameter has \(p.shape)") }
                    (slots[i].data + p.offset).update(from: t.data, count: p.count)
                }
            }
        }
        self.step = step
    }
}
