/// Allocation helpers for 64-byte aligned Float memory (a cache line; two AVX2 vectors).
public enum AlignedMemory {
    /// The alignment, in bytes, of every buffer Backprop allocates.
    public static let alignment = 64

    /// Allocates `count` Floats (at least one), 64-byte aligned and uninitialised-but-bound.
    /// Free with `deallocate(_:)`.
    public static func allocate(_ count: Int) -> UnsafeMutablePointer<Float> {
        let raw = UnsafeMutableRawPointer.allocate(byteCount: max(count, 1) * MemoryLayout<Float>.stride,
                                                   alignment: alignment)
        return raw.bindMemory(to: Float.self, capacity: max(count, 1))
    }

    /// Frees memory from `allocate(_:)`.
    public static func deallocate(_ p: UnsafeMutablePointer<Float>) {
        UnsafeMutableRawPointer(p).deallocate()
    }
}
