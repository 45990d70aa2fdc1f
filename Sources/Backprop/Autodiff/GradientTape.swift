/// Records tensor operations as they run, eagerly, on a backend's kernels, and computes
/// gradients by reverse-mode differentiation: the chain rule with memoisation. Each recorded
/// operation keeps its output (the value its backward needs); `gradient(of:)` walks the record
/// backwards once, each operation applying its vector-Jacobian product on the same kernels, and a
/// value used several times receives the sum of its gradients (the total derivative).
///
/// ```swift
/// let tape = GradientTape(backend)
/// let (loss, _) = try tape.valueAndGradient(wrt: model.parameters.parameters) { t in
///     let x = t.constant(batch)                          // [128, 784]
///     let h = relu(matmul(x, t.watch(w1)) + t.watch(b1)) // b1 broadcast over the rows
///     let logits = matmul(h, t.watch(w2)) + t.watch(b2)
///     return softmaxCrossEntropy(logits, labels: labels)
/// }
/// optimizer.step(model.parameters)                       // the gradients are in the arena
/// ```
///
/// Gradients of watched parameters land in their `grad` (their `ParameterArena`), so optimisers
/// and the rest of the gradient pipeline work on them unchanged. Only operations on the path from
/// the watched values to the output do backward work. The record is cleared by `reset()` (the
/// `valueAndGradient` calls do it); buffers are kept and reused by the next recording of the same
/// computation, so a steady-state step allocates nothing.
///
/// Values are matrices ([rows, cols]), row and column vectors, or scalars (shape []). A shape
/// mismatch is a programmer error and stops with the op and both shapes.
public final class GradientTape {
    public let backend: any Backend
    /// Check every operation's output for NaN and ±∞ as it is computed (PyTorch's anomaly
    /// detection): the first offender is named in `anomaly`, and `valueAndGradient` throws.
    public var checksFiniteness = false
    /// The first operation whose output (forward) or input gradient (backward) was not finite,
    /// with `checksFiniteness`.
    public private(set) var anomaly: String?

    enum Op {
        case leaf
        case matmul(transposeA: Bool, transposeB: Bool)
        case binary(BinaryOp, Broadcast)
        case scalarRight(BinaryOp, Float)
        case scalarLeft(BinaryOp, Float)
        case unary(UnaryOp)
        case power(Float)
        case softmax(log: Bool)
        case reduce(ReduceOp, ReduceAxis)
        case reshape
        case transpose
        case sliceRows(Int)
        case sliceColumns(Int)
        case concatRows
        case concatColumns
        case gather
        case scatterAdd
        case select
        case dense(Activation)
        case softmaxCrossEntropy(LossReduction)
        case constantMask
    }

    struct Node {
        var op: Op
        var a = -1, b = -1, c = -1
        var shape: Shape
        var data: UnsafeMutablePointer<Float>
        var requiresGrad: Bool
        /// For watched parameters: where their gradient accumulates.
        var gradTarget: UnsafeMutablePointer<Float>?
        /// What keeps a leaf's memory alive until the tape is reset (the caller's tensor).
        var owner: AnyObject?
        /// Integer arguments (indices, labels) in `ints`.
        var ints: Range<Int> = 0..<0
        /// The op as an error message names it, e.g. `log`, `matmul`, `dense(relu)`.
        var name: String {
            switch op {
            case .leaf: return "leaf"
            case .matmul: return "matmul"
            case .binary(let o, _), .scalarRight(let o, _), .scalarLeft(let o, _): return "\(o)"
            case .unary(.activation(let f)): return "\(f)"
            case .unary(let u): return "\(u)"
            case .power(let p): return "pow(\(p))"
            case .softmax(let log): return log ? "logSoftmax" : "softmax"
            case .reduce(let o, let axis): return "\(o)(\(axis))"
            case .dense(let f): return "dense(\(f))"
            default: return "\(op)"
            }
        }
        var isLeaf: Bool { if case .leaf = op { return true } else { return false } }
        var rows: Int { shape.rank == 0 ? 1 : (shape.rank == 1 ? 1 : shape.elementCount / shape[shape.rank - 1]) }
        var cols: Int { shape.rank == 0 ? 1 : shape[shape.rank - 1] }
        var count: Int { shape.elementCount }
    }

    var nodes: [Node] = []
    var ints: [Int32] = []
    private var values: [Workspace] = []
    private var grads: [Workspace] = []
    private var scratch: [Workspace] = []
    private var gradPointers: [UnsafeMutablePointer<Float>?] = []
    private var needed: [Bool] = []
    private var fresh: [Bool] = []
    var indexScratch: [Int32] = []

    public init(_ backend: any Backend) {
        self.backend = backend
        nodes.reserveCapacity(64)
    }

    /// Clears the record (keeping every buffer for the next one).
    public func reset() {
        nodes.removeAll(keepingCapacity: true)
        ints.removeAll(keepingCapacity: true)
        anomaly = nil
    }

    /// The number of operations recorded.
    public var count: Int { nodes.count }
    /// How many operations the last `gradient(of:)` ran a backward pass for: those on the path
    /// from a differentiated value to the output, and no others.
    public private(set) var backwardCount = 0

    // MARK: Leaves

    /// A value that is not differentiated (data, labels, targets); its memory is read in place.
    public func constant(_ v: TensorView) -> Variable { leaf(v, differentiable: false, "constant") }

    public func constant(_ t: Tensor) -> Variable { constant(TensorView(t)) }

    /// A differentiable input that is not a parameter (its gradient is kept on the tape:
    /// `gradient(of:)` then `grad(of:)`).
    public func input(_ v: TensorView) -> Variable { leaf(v, differentiable: true, "input") }

    /// A leaf reading `v` in place, keeping its owner alive until the tape is reset.
    private func leaf(_ v: TensorView, differentiable: Bool, _ what: String) -> Variable {
        precondition(v.isContiguous, "\(what): a strided view \(v.shape) (row stride \(v.rowStride)); pass a contiguous one")
        var n = Node(op: .leaf, shape: v.shape, data: v.data, requiresGrad: differentiable)
        n.owner = v.owner
        return record(n)
    }

    public func input(_ t: Tensor) -> Variable { input(TensorView(t)) }

    /// A parameter, differentiated: its gradient accumulates into `p.grad`.
    public func watch(_ p: Parameter) -> Variable {
        var n = Node(op: .leaf, shape: Shape(p.shape), data: p.value.data, requiresGrad: true)
        n.gradTarget = p.grad.data
        n.owner = p
        return record(n)
    }

    /// A new value of `shape` in the tape's buffer for the next node (filled by the op).
    func output(_ shape: Shape) -> UnsafeMutablePointer<Float> {
        let i = nodes.count
        while values.count <= i { values.append(Workspace()) }
        return values[i].view(shape).data
    }

    /// Scratch buffer `slot` (0, 1, 2) of node i, reused by the next recording.
    func scratch(_ i: Int, _ count: Int, slot: Int = 0) -> UnsafeMutablePointer<Float> {
        let k = 3 * i + slot
        while scratch.count <= k { scratch.append(Workspace()) }
        return scratch[k].matrix(rows: 1, cols: max(count, 1)).data
    }

    func record(_ node: Node) -> Variable {
        nodes.append(node)
        let id = nodes.count - 1
        if checksFiniteness, anomaly == nil {
            let n = node.shape.elementCount
            if let bad = (0..<n).first(where: { !node.data[$0].isFinite }) {
                anomaly = "op \(id) (\(node.name), shape \(node.shape)) produced \(Self.describe(node.data[bad])) at element \(bad)"
            }
        }
        return Variable(tape: self, id: id)
    }

    static func describe(_ x: Float) -> String { x.isNaN ? "NaN" : "\(x)" }

    func node(_ v: Variable) -> Node {
        precondition(v.tape === self, "a value of another tape")
        return nodes[v.id]
    }

    /// Marks leaf `id` as differentiated or not before `gradient(of:)` (what a layer whose
    /// input gradient is not wanted does).
    func setRequiresGradient(_ id: Int, _ on: Bool) {
        precondition(nodes[id].isLeaf, "setRequiresGradient of a non-leaf")
        nodes[id].requiresGrad = on
    }

    // MARK: Gradients

    /// Runs `body` on a cleared tape, then back-propagates its scalar result into the gradients
    /// of `parameters` (zeroed first unless `accumulate`). Returns the value. Throws
    /// `TapeError.notOnTape` for a parameter the body did not watch, `TapeError.nonFinite` when
    /// `checksFiniteness` found an anomaly.
    @discardableResult
    public func valueAndGradient(wrt parameters: [Parameter], accumulate: Bool = false,
                                 _ body: (GradientTape) throws -> Variable) throws -> Float {
        reset()
        let out = try body(self)
        if let anomaly { throw TapeError.nonFinite(anomaly) }
        let n = node(out)
        precondition(n.shape.elementCount == 1, "valueAndGradient: the result has shape \(n.shape); a scalar is needed (or use gradient(of:seed:))")
        for p in parameters where !nodes.contains(where: { $0.gradTarget == p.grad.data }) {
            throw TapeError.notOnTape("parameter '\(p.name)' (shape \(p.shape)) was not watched on this tape")
        }
        if !accumulate { for p in parameters { backend.fill(0, p.grad.data, count: p.count) } }
        try gradient(of: out)
        return n.data[0]
    }

    /// Back-propagates from `output`, with ∂L/∂output = `seed` (default 1 for a scalar): the
    /// gradients of watched parameters accumulate into their `grad`; those of `input`s and of
    /// intermediate values are kept until the next call (`grad(of:)`).
    public func gradient(of output: Variable, seed: TensorView? = nil) throws {
        precondition(output.tape === self, "gradient(of:) of a value of another tape")
        let o = output.id
        let out = nodes[o]
        if let seed {
            precondition(seed.count == out.shape.elementCount && seed.isContiguous,
                         "gradient(of:seed:): a seed of shape \(seed.shape) for an output of shape \(out.shape)")
        } else {
            precondition(out.shape.elementCount == 1, "gradient(of:): the output has shape \(out.shape); give a seed for a non-scalar output")
        }
        guard out.requiresGrad else { throw TapeError.notOnTape("the output does not depend on any watched parameter or input") }
        // The path to the output: only these nodes do backward work.
        needed.removeAll(keepingCapacity: true)
        needed.append(contentsOf: repeatElement(false, count: o + 1))
        needed[o] = true
        var i = o
        while i >= 0 {
            let n = nodes[i]
            if needed[i] && n.requiresGrad {
                if n.a >= 0 && nodes[n.a].requiresGrad { needed[n.a] = true }
                if n.b >= 0 && nodes[n.b].requiresGrad { needed[n.b] = true }
                if n.c >= 0 && nodes[n.c].requiresGrad { needed[n.c] = true }
            }
            i -= 1
        }
        gradPointers.removeAll(keepingCapacity: true)
        gradPointers.append(contentsOf: repeatElement(nil, count: o + 1))
        fresh.removeAll(keepingCapacity: true)
        fresh.append(contentsOf: repeatElement(false, count: o + 1))
        while grads.count <= o { grads.append(Workspace()) }
        // A parameter's gradient accumulates into its arena; an intermediate's buffer is "fresh"
        // until its first contribution, which writes it instead of adding (no zero fill, and a
        // GEMM with β = 0): one pass over memory less per node.
        for k in 0...o where needed[k] && nodes[k].requiresGrad {
            if let t = nodes[k].gradTarget {
                gradPointers[k] = t
            } else {
                gradPointers[k] = grads[k].view(nodes[k].shape).data
                fresh[k] = true
            }
        }
        let gOut = gradPointers[o]!
        let outCount = out.shape.elementCount
        var one: Float = 1
        if fresh[o] {
            if let seed { backend.copy(seed.data, gOut, count: outCount) } else { backend.copy(&one, gOut, count: 1) }
            fresh[o] = false
        } else {
            if let seed { backend.axpy(alpha: 1, seed.data, gOut, count: outCount) } else { backend.axpy(alpha: 1, &one, gOut, count: 1) }
        }
        i = o
        backwardCount = 0
        while i >= 0 {
            if needed[i] && nodes[i].requiresGrad {
                if fresh[i] {
                    // Nothing reached it (its consumers' gradients were zero): zero, and nothing to pass on.
                    backend.fill(0, gradPointers[i]!, count: nodes[i].shape.elementCount)
                    fresh[i] = false
                } else if !nodes[i].isLeaf {
                    backward(i, dy: gradPointers[i]!)
                    backwardCount += 1
                    if checksFiniteness { try checkBackward(i) }
                }
            }
            i -= 1
        }
    }

    /// With `checksFiniteness`: throws when node i's backward left a non-finite gradient in one
    /// of its inputs, naming the op.
    private func checkBackward(_ i: Int) throws {
        let n = nodes[i]
        for j in [n.a, n.b, n.c] where j >= 0 {
            guard let g = gradient(j), !fresh[j] else { continue }
            let count = nodes[j].shape.elementCount
            if let bad = (0..<count).first(where: { !g[$0].isFinite }) {
                let m = "the backward pass of op \(i) (\(n.name), shape \(n.shape)) gave \(Self.describe(g[bad])) in the gradient of op \(j) (\(nodes[j].name)) at element \(bad)"
                anomaly = m
                throw TapeError.nonFinite(m)
            }
        }
    }

    /// The gradient of `v` from the last `gradient(of:)` (nil when `v` was not on the path).
    public func grad(of v: Variable) -> TensorView? {
        precondition(v.tape === self, "grad(of:) of a value of another tape")
        guard v.id < gradPointers.count, let g = gradPointers[v.id] else { return nil }
        return TensorView(g, shape: nodes[v.id].shape)
    }

    /// ∂ into input `j` of the node: its gradient buffer, when it needs one.
    func gradient(_ j: Int) -> UnsafeMutablePointer<Float>? {
        j >= 0 && j < gradPointers.count ? gradPointers[j] : nil
    }

    /// Input `j`'s gradient buffer for a contribution, and whether it is the first (then the
    /// buffer holds garbage and the contribution must write every element instead of adding).
    func slot(_ j: Int) -> (g: UnsafeMutablePointer<Float>, first: Bool)? {
        guard let g = gradient(j) else { return nil }
        let first = fresh[j]
        fresh[j] = false
        return (g, first)
    }

    /// Input `j`'s gradient buffer, zeroed if nothing has written it yet: for contributions that
    /// add into part of it.
    func zeroedSlot(_ j: Int) -> UnsafeMutablePointer<Float>? {
        guard let (g, first) = slot(j) else { return nil }
        if first { backend.fill(0, g, count: nodes[j].shape.elementCount) }
        return g
    }
}

/// Errors of tape differentiation.
public enum TapeError: Error, CustomStringConvertible, Equatable {
    /// A gradient was asked with respect to a value that is not on the tape.
    case notOnTape(String)
    /// An operation's output held NaN or ±∞ (with `checksFiniteness`).
    case nonFinite(String)

    public var description: String {
        switch self {
        case .notOnTape(let m): return "gradient: \(m)"
        case .nonFinite(let m): return "non-finite value: \(m)"
        }
    }
}
