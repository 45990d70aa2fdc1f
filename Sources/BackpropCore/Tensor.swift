/// A dense, row-major Float32 array with a shape, in 64-byte aligned host memory.
///
/// A tensor owns its memory, or is a view of memory another object owns (a parameter's value in
/// its model's `ParameterArena`), which it keeps alive. Tensors are reference types: layers hold
/// their parameters and workspaces as tensors and overwrite them in place, so a training step
/// allocates nothing.
///
/// As a table of examples, `rows` is `shape[0]` and `cols` the product of the other dimensions:
/// a [60000, 784] dataset has 60000 rows of 784 values, a [n, time, features] sequence set has n
/// rows of time·features values. A vector of n values (shape [n]) is one row of n values, and a
/// scalar (shape []) one row of one value. (`TensorView` reads a tensor as a matrix of its last
/// dimension instead: that is what kernels and layers see.)
///
/// ```swift
/// let w = Tensor(shape: [2, 3], values: [1, 2, 3, 4, 5, 6])
/// w[1, 2] // 6
/// ```
public final class Tensor: @unchecked Sendable, CustomStringConvertible {
    /// The dimensions, outermost first.
    public let shape: [Int]
    /// The number of elements, the product of `shape`.
    public let count: Int
    /// The elements, row-major.
    public let data: UnsafeMutablePointer<Float>
    /// The object that owns `data` when this tensor is a view; nil when the tensor owns it.
    public let viewedOwner: AnyObject?

    /// A zero-filled tensor of `shape`.
    public init(shape: [Int]) {
        precondition(shape.allSatisfy { $0 >= 0 }, "negative dimension in shape \(shape)")
        self.shape = shape
        self.count = Self.elementCount(shape)
        self.data = AlignedMemory.allocate(count)
        self.viewedOwner = nil
        data.initialize(repeating: 0, count: max(count, 1))
    }

    /// A tensor of `shape` holding `values` (row-major); `values.count` must equal the element count.
    public convenience init(shape: [Int], values: [Float]) {
        self.init(shape: shape)
        precondition(values.count == count, "\(values.count) values for shape \(shape) (\(count) elements)")
        values.withUnsafeBufferPointer { data.update(from: $0.baseAddress!, count: count) }
    }

    /// A view of `shape` over memory that `owner` owns and keeps alive.
    public init(viewing data: UnsafeMutablePointer<Float>, shape: [Int], owner: AnyObject) {
        precondition(shape.allSatisfy { $0 >= 0 }, "negative dimension in shape \(shape)")
        self.shape = shape
        self.count = Self.elementCount(shape)
        self.data = data
        self.viewedOwner = owner
    }

    deinit { if viewedOwner == nil { AlignedMemory.deallocate(data) } }

    private static func elementCount(_ shape: [Int]) -> Int {
        var n = 1
        for d in shape {
            let (p, overflow) = n.multipliedReportingOverflow(by: d)
            precondition(!overflow, "shape \(shape) has more elements than an Int can count")
            n = p
        }
        return n
    }

    /// What keeps `data` alive: the owner of a view, else the tensor itself.
    public var storageOwner: AnyObject { viewedOwner ?? self }

    /// The examples: `shape[0]`, or 1 for a vector or a scalar.
    public var rows: Int { shape.count >= 2 ? shape[0] : 1 }
    /// The values per example: the product of the dimensions after the first (for a vector, its
    /// length; for a scalar, 1).
    public var cols: Int { shape.count >= 2 ? count / max(shape[0], 1) : count }

    /// Element `i` in row-major order.
    public subscript(i: Int) -> Float {
        get { precondition(i >= 0 && i < count, "index \(i) out of range 0..<\(count)"); return data[i] }
        set { precondition(i >= 0 && i < count, "index \(i) out of range 0..<\(count)"); data[i] = newValue }
    }

    /// Element (row, col) of the [rows, cols] table.
    public subscript(row: Int, col: Int) -> Float {
        get {
            precondition(row >= 0 && row < rows && col >= 0 && col < cols, "element (\(row), \(col)) of a \(rows)x\(cols) tensor")
            return data[row * cols + col]
        }
        set {
            precondition(row >= 0 && row < rows && col >= 0 && col < cols, "element (\(row), \(col)) of a \(rows)x\(cols) tensor")
            data[row * cols + col] = newValue
        }
    }

    /// The elements as an array (a copy).
    public var array: [Float] { Array(UnsafeBufferPointer(start: data, count: count)) }

    /// The tensor as a [rows, cols] matrix view (rows = examples).
    public var matrix: TensorView { TensorView(data, rows: rows, cols: cols, owner: storageOwner) }

    /// Copies the elements of `other`, which must have the same count.
    public func assign(from other: Tensor) {
        precondition(other.count == count, "assign: \(other.count) elements into \(count)")
        data.update(from: other.data, count: count)
    }

    /// An independent copy that owns its memory.
    public func copy() -> Tensor {
        let t = Tensor(shape: shape)
        t.assign(from: self)
        return t
    }

    public var description: String {
        let shown = array.prefix(8).map { "\($0)" }.joined(separator: ", ")
        return "Tensor(shape: \(shape), [\(shown)\(count > 8 ? ", …" : "")])"
    }
}
