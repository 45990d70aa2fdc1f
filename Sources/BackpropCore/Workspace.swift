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

    private func reserve(_ n: Int) {
        if n > capacity {
            AlignedMemory.deallocate(storage)
            capacity = n
            storage = AlignedMemory.allocate(n)
            storage.initialize(repeating: 0, count: n)
        }
    }

    /// A [rows, cols] view of this buffer; contents are unspecified after a reallocation.
    public func matrix(rows: Int, cols: Int) -> TensorView {
        reserve(rows * cols)
        return TensorView(storage, rows: rows, cols: cols, owner: self)
    }

    /// A contiguous view of `shape`; contents are unspecified after a reallocation.
    public func view(_ shape: Shape) -> TensorView {
        reserve(shape.elementCount)
        return TensorView(storage, shape: shape, owner: self)
    }
}
