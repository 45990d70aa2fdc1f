/// A view of Float memory with a shape: a matrix [rows, cols] with a row stride, or a sequence
/// batch [time, batch, features].
///
/// Kernels and losses read a view as a row-major matrix: `cols` is the last dimension, `rows` the
/// product of the others, and row i starts `i · rowStride` floats after `data` (`rowStride ≥ cols`;
/// the kernels take it as their leading dimension). Views with more than two dimensions are
/// contiguous.
///
/// **Sequence layout.** A batch of sequences is time-major, [time, batch, features]: step t is
/// the contiguous [batch, features] matrix `step(t)`, rows t·batch ..< (t + 1)·batch of the
/// [time·batch, features] matrix view, so a recurrent layer reads each step in place and
/// projects all steps with one GEMM.
///
/// Layers pass views between each other into buffers they own (`Workspace`), so a training step
/// moves no data it does not have to and allocates nothing. A view keeps the object that owns its
/// memory alive (a `Tensor`, `Workspace` or `ParameterArena`), so `TensorView(Tensor(...))` is
/// safe; a `Workspace` that grows reallocates, which invalidates its earlier views.
public struct TensorView: @unchecked Sendable {
    public let data: UnsafeMutablePointer<Float>
    public let shape: Shape
    /// Floats from the start of one row of the matrix view to the next (≥ `cols`).
    public let rowStride: Int
    /// The owner of `data`, retained by the view.
    public let owner: AnyObject?

    /// A [rows, cols] view of memory the caller keeps alive (or `owner` owns).
    public init(_ data: UnsafeMutablePointer<Float>, rows: Int, cols: Int, rowStride: Int? = nil, owner: AnyObject? = nil) {
        let stride = rowStride ?? cols
        precondition(stride >= cols, "row stride \(stride) is less than the \(cols) columns")
        self.data = data
        self.shape = Shape(rows: rows, cols: cols)
        self.rowStride = stride
        self.owner = owner
    }

    /// A contiguous view of `shape`.
    public init(_ data: UnsafeMutablePointer<Float>, shape: Shape, owner: AnyObject? = nil) {
        self.data = data
        self.shape = shape
        self.rowStride = shape.rank == 0 ? 1 : shape[shape.rank - 1]
        self.owner = owner
    }

    /// A view of the whole tensor, with its shape.
    public init(_ t: Tensor) {
        self.init(t.data, shape: Shape(t.shape), owner: t.storageOwner)
    }

    /// The last dimension (1 for a scalar).
    public var cols: Int { shape.rank == 0 ? 1 : shape[shape.rank - 1] }
    /// The product of the other dimensions (1 for a scalar or a vector).
    public var rows: Int {
        var r = 1
        for i in 0..<max(shape.rank - 1, 0) { r *= shape[i] }
        return r
    }
    /// The number of elements.
    public var count: Int { shape.elementCount }
    /// Whether the elements are one run of `count` floats (what elementwise kernels need).
    public var isContiguous: Bool { rowStride == cols || rows <= 1 }

    public subscript(i: Int, j: Int) -> Float {
        get { data[i * rowStride + j] }
        nonmutating set { data[i * rowStride + j] = newValue }
    }

    /// Rows `range` of the matrix view, as a [range.count, cols] matrix.
    public func rows(_ range: Range<Int>) -> TensorView {
        precondition(range.lowerBound >= 0 && range.upperBound <= rows, "rows \(range) of a view with \(rows) rows")
        return TensorView(data + range.lowerBound * rowStride, rows: range.count, cols: cols, rowStride: rowStride, owner: owner)
    }

    /// The same elements with another shape of the same count (contiguous views only).
    public func reshaped(_ newShape: Shape) -> TensorView {
        precondition(isContiguous, "reshape of a strided view \(shape) (row stride \(rowStride))")
        precondition(newShape.elementCount == count, "reshape \(shape) (\(count) elements) to \(newShape)")
        return TensorView(data, shape: newShape, owner: owner)
    }

    /// The matrix view as a [rows, cols] shape.
    public var matrix: TensorView {
        TensorView(data, rows: rows, cols: cols, rowStride: rowStride, owner: owner)
    }

    /// For a time-major sequence batch [time, batch, features]: the number of steps.
    public var time: Int {
        precondition(shape.rank == 3, "time of a rank-\(shape.rank) view \(shape); sequence batches are [time, batch, features]")
        return shape[0]
    }

    /// For a time-major sequence batch: the number of sequences; for a matrix, its rows.
    public var batch: Int { shape.rank == 3 ? shape[1] : rows }

    /// Step `t` of a time-major sequence batch, a [batch, features] matrix.
    public func step(_ t: Int) -> TensorView {
        let b = batch, steps = time
        precondition(t >= 0 && t < steps, "step \(t) of a \(steps)-step sequence")
        return TensorView(data + t * b * cols, rows: b, cols: cols, owner: owner)
    }

    /// The elements, row-major (a copy).
    public var array: [Float] {
        if isContiguous { return Array(UnsafeBufferPointer(start: data, count: count)) }
        var out: [Float] = []
        out.reserveCapacity(count)
        for i in 0..<rows { out += UnsafeBufferPointer(start: data + i * rowStride, count: cols) }
        return out
    }
}

/// A view read as a matrix [rows, cols]: the same type, named for the kernels' point of view.
public typealias Matrix = TensorView
