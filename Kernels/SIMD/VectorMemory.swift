import CIntrinsics
/// Loads and stores of 16-float vectors, and loops that map them over arrays with a partial
/// vector at the tail (padded with zeros, so every element goes through the same vector code).
enum VectorMemory {
    @inline(__always)
    static func load(_ p: UnsafePointer<Float>) -> Vec { UnsafeRawPointer(p).loadUnaligned(as: Vec.self) }

    @inline(__always)
    static func store(_ v: Vec, _ p: UnsafeMutablePointer<Float>) { UnsafeMutableRawPointer(p).storeBytes(of: v, as: Vec.self) }

    /// The even lanes and the odd lanes of a followed by b. One round of it over 2ⁿ vectors
    /// (pairs 2j, 2j + 1 to j and j + 2ⁿ⁻¹) rotates the bits of each element's position
    /// (vector, lane) right by one: the building block of the in-register transposes.
    @inline(__always)
    static func unshuffle(_ a: Vec, _ b: Vec) -> (Vec, Vec) { (backprop_even16(a, b), backprop_odd16(a, b)) }

    /// dst[q·ldd + c] = src[c·lds + q] for c, q < 16: a 16x16 block transposed in registers
    /// (four rounds of `unshuffle` take position c₃c₂c₁c₀q₃q₂q₁q₀ to q₃q₂q₁q₀c₃c₂c₁c₀). Moves
    /// data only, so results are the same as an element-by-element copy.
    @inline(__always)
    static func transpose16(_ src: UnsafePointer<Float>, _ lds: Int, _ dst: UnsafeMutablePointer<Float>, _ ldd: Int) {
        #if !BACKPROP_AVX512
        // AVX2: four 8x8 blocks with in-lane shuffles (`backprop_transpose8x8_add`, beta 0); the
        // sixteen 16-float registers below are 32 of AVX2's 16 and spilled (measured on Zen 1:
        // the LSTM's per-step pack of ∂Z, a 16x16 transpose each, at ~700 cycles per block).
        backprop_transpose8x8_add(src, lds, dst, ldd, 0)
        backprop_transpose8x8_add(src + 8, lds, dst + 8 * ldd, ldd, 0)
        backprop_transpose8x8_add(src + 8 * lds, lds, dst + 8, ldd, 0)
        backprop_transpose8x8_add(src + 8 * lds + 8, lds, dst + 8 * ldd + 8, ldd, 0)
        #else
        var a0 = load(src), a1 = load(src + lds), a2 = load(src + 2 * lds), a3 = load(src + 3 * lds)
        var a4 = load(src + 4 * lds), a5 = load(src + 5 * lds), a6 = load(src + 6 * lds), a7 = load(src + 7 * lds)
        var a8 = load(src + 8 * lds), a9 = load(src + 9 * lds), a10 = load(src + 10 * lds), a11 = load(src + 11 * lds)
        var a12 = load(src + 12 * lds), a13 = load(src + 13 * lds), a14 = load(src + 14 * lds), a15 = load(src + 15 * lds)
        for _ in 0..<4 {
            let (e0, o0) = unshuffle(a0, a1), (e1, o1) = unshuffle(a2, a3)
            let (e2, o2) = unshuffle(a4, a5), (e3, o3) = unshuffle(a6, a7)
            let (e4, o4) = unshuffle(a8, a9), (e5, o5) = unshuffle(a10, a11)
            let (e6, o6) = unshuffle(a12, a13), (e7, o7) = unshuffle(a14, a15)
            (a0, a1, a2, a3, a4, a5, a6, a7) = (e0, e1, e2, e3, e4, e5, e6, e7)
            (a8, a9, a10, a11, a12, a13, a14, a15) = (o0, o1, o2, o3, o4, o5, o6, o7)
        }
        store(a0, dst); store(a1, dst + ldd); store(a2, dst + 2 * ldd); store(a3, dst + 3 * ldd)
        store(a4, dst + 4 * ldd); store(a5, dst + 5 * ldd); store(a6, dst + 6 * ldd); store(a7, dst + 7 * ldd)
        store(a8, dst + 8 * ldd); store(a9, dst + 9 * ldd); store(a10, dst + 10 * ldd); store(a11, dst + 11 * ldd)
        store(a12, dst + 12 * ldd); store(a13, dst + 13 * ldd); store(a14, dst + 14 * ldd); store(a15, dst + 15 * ldd)
        #endif
    }

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
