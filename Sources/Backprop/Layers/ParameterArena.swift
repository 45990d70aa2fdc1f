/// All of a model's parameters in one contiguous values buffer and one gradients buffer, each
/// 64-byte aligned, every parameter starting on a 64-byte boundary (padding between them is zero
/// and stays zero).
///
/// One arena makes the steps that touch every parameter one call each: `zeroGradients` is one
/// fill, Adam one fused `adamStep` over `count` floats, gradient clipping one reduction, and a
/// data-parallel all-reduce one buffer (llm.c's `malloc_and_point_parameters`).
///
/// ```swift
/// let arena = model.parameters
/// arena.entries.map(\.name)     // ["layers.0.weight", "layers.0.bias", ...]
/// arena.values.count            // every float, padding included
/// ```
public final class ParameterArena: @unchecked Sendable {
    /// The alignment of each parameter's start, in floats (64 bytes).
    public static let alignment = 16

    /// The values of every parameter, with padding: a tensor of shape [count].
    public let values: Tensor
    /// The gradients, laid out like `values`.
    public let gradients: Tensor
    /// The parameters with their qualified names, in order.
    public private(set) var entries: [(name: String, parameter: Parameter)] = []

    /// The floats in each buffer, padding included.
    public var count: Int { values.count }

    /// The parameters, in order.
    public var parameters: [Parameter] { entries.map(\.parameter) }

    /// The number of trainable values (padding excluded).
    public var parameterCount: Int { entries.reduce(0) { $0 + $1.parameter.count } }

    /// An arena with room for parameters of these sizes (no entries yet).
    init(counts: [Int]) {
        let total = counts.reduce(0) { $0 + Self.padded($1) }
        values = Tensor(shape: [total])
        gradients = Tensor(shape: [total])
    }

    /// Gathers `named` parameters into one new arena, copying their values and gradients, and
    /// points each parameter at its place in it. Names must be unique.
    public convenience init(gathering named: [(name: String, parameter: Parameter)]) {
        self.init(counts: named.map(\.parameter.count))
        var seen = Set<String>()
        var offset = 0
        for (name, p) in named {
            precondition(seen.insert(name).inserted, "two parameters are named '\(name)'")
            values.data.advanced(by: offset).update(from: p.value.data, count: p.count)
            gradients.data.advanced(by: offset).update(from: p.grad.data, count: p.count)
            p.bind(to: self, offset: offset)
            entries.append((name, p))
            offset += Self.padded(p.count)
        }
    }

    /// The parameter called `name`, if any.
    public func parameter(named name: String) -> Parameter? {
        entries.first { $0.name == name }?.parameter
    }

    static func padded(_ n: Int) -> Int { (n + alignment - 1) / alignment * alignment }
}
