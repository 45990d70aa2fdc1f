/// A dense, row-major Float32 array in 64-byte aligned host memory, owned by this object.
///
/// Layers treat a tensor as a matrix [rows, cols] where `rows = shape[0]` and `cols` is the
/// product of the remaining dimensions (a vector of n values is [1, n] when it has one dimension).
/// Tensors are reference types: layers hold their parameters and workspaces as tensors and
/// overwrite them in place, so a training step allocates nothing.
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

    /// A zero-filled tensor of `shape`.
    public init(shape: [Int]) {
        precondition(shape.allSatisfy { $0 >= 0 }, "negative dimension in shape \(shape)")
        self.shape = shape
        self.count = shape.reduce(1, *)
        self.data = AlignedMemory.allocate(count)
        data.initialize(repeating: 0, count: max(count, 1))
    }

    /// A tensor of `shape` holding `values` (row-major); `values.count` must equal the element count.
    public convenience init(shape: [Int], values: [Float]) {
        self.init(shape: shape)
        precondition(values.count == count, "\(values.count) values for shape \(shape) (\(count) elements)")
        values.withUnsafeBufferPointer { data.update(from: $0.baseAddress!, count: count) }
    }

    deinit { AlignedMemory.deallocate(data) }

    /// `shape[0]` (1 for a scalar).
    public var rows: Int { shape.first ?? 1 }
    /// The elements per row: `count / rows` (for a 1-D tensor, its length).
    public var cols: Int {
        if shape.count == 1 { return shape[0] }
        return shape.dropFirst().reduce(1, *)
    }

    /// Element `i` in row-major order.
    public subscript(i: Int) -> Float {
        get { precondition(i >= 0 && i < count, "index \(i) out of range 0..<\(count)"); return data[i] }
        set { precondition(i >= 0 && i < count, "index \(i) out of range 0..<\(count)"); data[i] = newValue }
    }

    /// Element (row, col) of the [rows, cols] view.
    public subscript(row: Int, col: Int) -> Float {
        get { self[row * cols + col] }
        set { self[row * cols + col] = newValue }
    }

    /// The elements as an array (a copy).
    public var array: [Float] { Array(UnsafeBufferPointer(start: data, count: count)) }

    /// Copies the elements of `other`, which must have the same count.
    public func assign(from other: Tensor) {
        precondition(other.count == count, "assign: \(other.count) elements into \(count)")
        data.update(from: other.data, count: count)
    }

    /// An independent copy.
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
