/// A view of a row-major [rows, cols] Float matrix, contiguous (row stride = cols).
///
/// Layers pass matrices between each other as views into buffers they own (`Workspace`), so a
/// training step moves no data it does not have to and allocates nothing. A view keeps the
/// object that owns its memory (a `Tensor` or `Workspace`) alive, so `Matrix(Tensor(...))` is
/// safe; a `Workspace` that grows reallocates, which invalidates its earlier views.
public struct Matrix: @unchecked Sendable {
    public let data: UnsafeMutablePointer<Float>
    public let rows: Int
    public let cols: Int
    /// The owner of `data`, retained by the view.
    public let owner: AnyObject?

    /// A view of memory the caller keeps alive.
    public init(_ data: UnsafeMutablePointer<Float>, rows: Int, cols: Int, owner: AnyObject? = nil) {
        self.data = data
        self.rows = rows
        self.cols = cols
        self.owner = owner
    }

    /// A view of the whole tensor as [tensor.rows, tensor.cols].
    public init(_ t: Tensor) {
        self.init(t.data, rows: t.rows, cols: t.cols, owner: t)
    }

    public var count: Int { rows * cols }

    public subscript(i: Int, j: Int) -> Float {
        get { data[i * cols + j] }
        nonmutating set { data[i * cols + j] = newValue }
    }

    /// Rows `range` as a matrix.
    public func rows(_ range: Range<Int>) -> Matrix {
        Matrix(data + range.lowerBound * cols, rows: range.count, cols: cols, owner: owner)
    }

    /// The elements, row-major (a copy).
    public var array: [Float] { Array(UnsafeBufferPointer(start: data, count: count)) }
}

/// A grow-only scratch buffer: `matrix(rows:cols:)` returns a view of its memory, reallocating
/// only when a larger size is asked for. Sized once per batch size, it makes steady-state
/// training steps allocation-free.
public final class Workspace: @unchecked Sendable {
    private var storage: UnsafeMutablePointer<Float>
    private var capacity: Int

    public init(capacity: Int = 0) {
        self.capacity = max(capacity, 16)
        storage = AlignedMemory.allocate(self.capacity)
        storage.initialize(repeating: 0, count: self.capacity)
    }

    deinit { AlignedMemory.deallocate(storage) }

    /// A [rows, cols] view of this buffer; contents are unspecified after a reallocation.
    public func matrix(rows: Int, cols: Int) -> Matrix {
        let n = rows * cols
        if n > capacity {
            AlignedMemory.deallocate(storage)
            capacity = n
            storage = AlignedMemory.allocate(n)
            storage.initialize(repeating: 0, count: n)
        }
        return Matrix(storage, rows: rows, cols: cols, owner: self)
    }
}
