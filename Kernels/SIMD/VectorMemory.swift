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
            t.update(from: p, count: n)
            return load(t)
        }
    }

    @inline(__always)
    static func storePartial(_ v: Vec, _ p: UnsafeMutablePointer<Float>, _ n: Int) {
        withUnsafeTemporaryAllocation(of: Float.self, capacity: 16) { b in
            let t = b.baseAddress!
            store(v, t)
            p.update(from: t, count: n)
        }
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
