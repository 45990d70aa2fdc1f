/// A trainable tensor: a named (offset, shape) view into the values and gradients of a
/// `ParameterArena`.
///
/// A layer creates its parameters in an arena of their own; a model gathers all its layers'
/// parameters into one arena (`ParameterArena(gathering:)`), which moves them: from then on
/// `value` and `grad` are views into the model's arena, and views taken earlier keep the old
/// memory. Backward passes *add* into `grad` (see `Layer`); `Model.zeroGradients()` clears the
/// whole arena in one fill. `isWeight` marks the tensors that L1/L2 penalties apply to (weights,
/// not biases).
public final class Parameter: @unchecked Sendable {
    /// The name within its layer, e.g. `weight`; models qualify it (`ParameterArena.entries`).
    public let name: String
    public let shape: [Int]
    public let isWeight: Bool
    /// The values: a view into the arena's values.
    public private(set) var value: Tensor
    /// The gradients: a view into the arena's gradients, same shape.
    public private(set) var grad: Tensor
    /// The arena holding it (nil once that arena is gone) and its offset there, in floats.
    public private(set) weak var arena: ParameterArena?
    public private(set) var offset: Int
    /// Keeps a parameter's own arena alive until it joins another.
    private var ownArena: ParameterArena?

    /// A zero-filled parameter in an arena of its own.
    public init(name: String, shape: [Int], isWeight: Bool) {
        self.name = name
        self.shape = shape
        self.isWeight = isWeight
        let own = ParameterArena(counts: [shape.reduce(1, *)])
        self.ownArena = own
        self.arena = own
        self.offset = 0
        self.value = Tensor(viewing: own.values.data, shape: shape, owner: own.values)
        self.grad = Tensor(viewing: own.gradients.data, shape: shape, owner: own.gradients)
    }

    public var count: Int { value.count }

    /// Points this parameter at `offset` in `arena`. The views keep the arena's buffers (not the
    /// arena, which holds its parameters) alive.
    func bind(to arena: ParameterArena, offset: Int) {
        self.arena = arena
        self.offset = offset
        self.ownArena = nil
        value = Tensor(viewing: arena.values.data + offset, shape: shape, owner: arena.values)
        grad = Tensor(viewing: arena.gradients.data + offset, shape: shape, owner: arena.gradients)
    }
}
