/// A Float buffer with guard regions before and after it (and, for matrices, in the gaps between
/// rows when the leading dimension exceeds the width), filled with a sentinel bit pattern. After
/// a kernel runs, `guardsIntact` tells whether it wrote anywhere it should not have.
public final class GuardedBuffer: @unchecked Sendable {
    /// Floats of guard on each side.
    public static let guardCount = 32
    /// A NaN payload no kernel produces by arithmetic.
    public static let sentinel = Float(bitPattern: 0x7FA5_A5A5)

    private let raw: UnsafeMutablePointer<Float>
    /// The usable region.
    public let pointer: UnsafeMutablePointer<Float>
    /// Floats in the usable region.
    public let count: Int
    /// For matrix use: rows, width and leading dimension (gaps at [width, ld) of each row are guards).
    public let rows: Int, width: Int, ld: Int

    /// A buffer for `count` contiguous floats.
    public convenience init(count: Int) {
        self.init(rows: 1, width: count, ld: count)
    }

    /// A buffer for a [rows, width] matrix stored with leading dimension `ld` ≥ width.
    public init(rows: Int, width: Int, ld: Int) {
        precondition(ld >= width)
        self.rows = rows
        self.width = width
        self.ld = ld
        self.count = rows == 0 ? 0 : (rows - 1) * ld + width
        raw = AlignedMemory.allocate(count + 2 * Self.guardCount)
        raw.initialize(repeating: Self.sentinel, count: count + 2 * Self.guardCount)
        pointer = raw + Self.guardCount
    }

    deinit { AlignedMemory.deallocate(raw) }

    /// Element (i, j) of the matrix view.
    public subscript(i: Int, j: Int) -> Float {
        get { pointer[i * ld + j] }
        set { pointer[i * ld + j] = newValue }
    }

    /// Sets every usable element (not the gaps) from `values` (row-major, rows·width of them).
    public func set(_ values: [Float]) {
        precondition(values.count == rows * width)
        for i in 0..<rows { for j in 0..<width { self[i, j] = values[i * width + j] } }
    }

    /// The usable elements, row-major (gaps skipped).
    public var values: [Float] {
        var out = [Float]()
        out.reserveCapacity(rows * width)
        for i in 0..<rows { for j in 0..<width { out.append(self[i, j]) } }
        return out
    }

    /// True when no guard float (before, after, or in a row gap) was changed.
    public var guardsIntact: Bool {
        let s = Self.sentinel.bitPattern
        for i in 0..<Self.guardCount where raw[i].bitPattern != s || pointer[count + i].bitPattern != s { return false }
        if ld > width {
            for i in 0..<max(rows - 1, 0) {
                for j in width..<ld where pointer[i * ld + j].bitPattern != s { return false }
            }
        }
        return true
    }
}
