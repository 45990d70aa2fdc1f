/// The dimensions of a tensor or view, outermost first: up to four, stored inline (no heap), so
/// views that carry a shape cost nothing to make in a training step.
///
/// ```swift
/// let s: Shape = [32, 128, 10]     // time, batch, features
/// s.count // 40960
/// ```
public struct Shape: Hashable, Sendable, RandomAccessCollection, ExpressibleByArrayLiteral, CustomStringConvertible {
    /// The most dimensions a shape holds.
    public static let maxRank = 4

    public let rank: Int
    private var d0 = 1, d1 = 1, d2 = 1, d3 = 1

    /// A shape of `dims` (at most `maxRank` of them, each ≥ 0).
    public init(_ dims: [Int]) {
        precondition(dims.count <= Self.maxRank, "shape \(dims) has \(dims.count) dimensions; at most \(Self.maxRank) are supported")
        precondition(dims.allSatisfy { $0 >= 0 }, "negative dimension in shape \(dims)")
        rank = dims.count
        if rank > 0 { d0 = dims[0] }
        if rank > 1 { d1 = dims[1] }
        if rank > 2 { d2 = dims[2] }
        if rank > 3 { d3 = dims[3] }
    }

    public init(arrayLiteral dims: Int...) { self.init(dims) }

    /// [rows, cols], without going through an array.
    public init(rows: Int, cols: Int) {
        precondition(rows >= 0 && cols >= 0, "negative dimension in [\(rows), \(cols)]")
        rank = 2
        d0 = rows
        d1 = cols
    }

    /// [a, b, c], without going through an array.
    public init(_ a: Int, _ b: Int, _ c: Int) {
        precondition(a >= 0 && b >= 0 && c >= 0, "negative dimension in [\(a), \(b), \(c)]")
        rank = 3
        d0 = a
        d1 = b
        d2 = c
    }

    public var startIndex: Int { 0 }
    public var endIndex: Int { rank }

    public subscript(i: Int) -> Int {
        precondition(i >= 0 && i < rank, "dimension \(i) of a rank-\(rank) shape")
        switch i {
        case 0: return d0
        case 1: return d1
        case 2: return d2
        default: return d3
        }
    }

    /// This shape with its last dimension set to `n` (a rank-0 shape becomes [n]).
    public func replacingLast(_ n: Int) -> Shape {
        precondition(n >= 0, "negative dimension \(n)")
        var s = self
        switch rank {
        case 0: return Shape(arrayLiteral: n)
        case 1: s.d0 = n
        case 2: s.d1 = n
        case 3: s.d2 = n
        default: s.d3 = n
        }
        return s
    }

    /// This shape with `n` put in front (a batch or time axis).
    public func prepending(_ n: Int) -> Shape {
        precondition(rank < Self.maxRank, "shape \(self) has no room for another dimension")
        return Shape([n] + dims)
    }

    /// This shape without its first dimension.
    public var droppingFirst: Shape { Shape(Array(dims.dropFirst())) }

    /// The number of elements: the product of the dimensions (1 for rank 0).
    public var elementCount: Int { d0 * d1 * d2 * d3 }

    /// The dimensions as an array.
    public var dims: [Int] { Array(self) }

    public var description: String { "[" + map(String.init).joined(separator: ", ") + "]" }
}
