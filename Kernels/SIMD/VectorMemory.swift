/// Loads and stores of 16-float vectors, and loops that map them over arrays with a partial
/// vector at the tail (padded with zeros, so every element goes through the same vector code).
enum VectorMemory {
    @inline(__always)
    static func load(_ p: UnsafePointer<Float>) -> Vec { UnsafeRawPointer(p).loadUnaligned(as: Vec.self) }

    @inline(__always)
    static func store(_ v: Vec, _ p: UnsafeMutablePointer<Float>) { UnsafeMutableRawPointer(p).storeBytes(of: v, as: Vec.self) }

    /// The first n < 16 floats at p, the other lanes `pad` (through a stack buffer: setting lanes
    /// of a SIMD value one by one is slow).
    @inline(__always)
    static func loadPartial(_ p: UnsafePointer<Float>, _ n: Int, pad: Float = 0) -> Vec {
        withUnsafeTemporaryAllocation(of: Float.self, capacity: 16) { b in
            let t = b.baseAddress!
            store(Vec(repeating: pad), t)
            copySmall(p, t, n)
            return load(t)
        }
    }

    @inline(__always)
    static func storePartial(_ v: Vec, _ p: UnsafeMutablePointer<Float>, _ n: Int) {
        withUnsafeTemporaryAllocation(of: Float.self, capacity: 16) { b in
            let t = b.baseAddress!
            store(v, t)
            copySmall(UnsafePointer(t), p, n)
        }
    }

    /// Copies n < 16 floats in chunks of 8, 4 and singles: a plain loop (or `update(from:)`)
    /// becomes a call to memmove, which dominated small-matrix kernels.
    @inline(__always)
    static func copySmall(_ src: UnsafePointer<Float>, _ dst: UnsafeMutablePointer<Float>, _ n: Int) {
        var i = 0
        if n >= 8 {
            UnsafeMutableRawPointer(dst).storeBytes(of: UnsafeRawPointer(src).loadUnaligned(as: SIMD8<Float>.self), as: SIMD8<Float>.self)
            i = 8
        }
        if n - i >= 4 {
            UnsafeMutableRawPointer(dst + i).storeBytes(of: UnsafeRawPointer(src + i).loadUnaligned(as: SIMD4<Float>.self), as: SIMD4<Float>.self)
            i += 4
        }
        if i < n { dst[i] = src[i] }
        if i + 1 < n { dst[i + 1] = src[i + 1] }
        if i + 2 < n { dst[i + 2] = src[i + 2] }
    }

    /// y[i] = f(x[i]) for i < n.
    @inline(__always)
    static func map(_ x: UnsafePointer<Float>, _ y: UnsafeMutablePointer<Float>, _ n: Int, _ f: (Vec) -> Vec) {
        var i = 0
        while i + 16 <= n { store(f(load(x + i)), y + i); i += 16 }
        if i < n { storePartial(f(loadPartial(x + i, n - i)), y + i, n - i) }
    }

    /// out[i] = f(a[i], b[i]) for i < n.
    @inline(__always)
    static func map(_ a: UnsafePointer<Float>, _ b: UnsafePointer<Float>, _ out: UnsafeMutablePointer<Float>, _ n: Int,
                    _ f: (Vec, Vec) -> Vec) {
        var i = 0
        while i + 16 <= n { store(f(load(a + i), load(b + i)), out + i); i += 16 }
        if i < n { storePartial(f(loadPartial(a + i, n - i), loadPartial(b + i, n - i)), out + i, n - i) }
    }

    /// out[i] = f(a[i], b[i], c[i]) for i < n.
    @inline(__always)
    static func map(_ a: UnsafePointer<Float>, _ b: UnsafePointer<Float>, _ c: UnsafePointer<Float>,
                    _ out: UnsafeMutablePointer<Float>, _ n: Int, _ f: (Vec, Vec, Vec) -> Vec) {
        var i = 0
        while i + 16 <= n { store(f(load(a + i), load(b + i), load(c + i)), out + i); i += 16 }
        if i < n {
            let r = n - i
            storePartial(f(loadPartial(a + i, r), loadPartial(b + i, r), loadPartial(c + i, r)), out + i, r)
        }
    }
}
