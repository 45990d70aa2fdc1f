/// The vector type of the SIMD backend's elementwise kernels: 16 floats, two AVX2 registers.
typealias Vec = SIMD16<Float>
typealias IVec = SIMD16<Int32>
typealias UVec = SIMD16<UInt32>

/// Vectorised transcendental functions (libm's `expf` does not vectorise: ~6x slower).
///
/// `exp` is Cephes' `expf` scheme: n = round(x·log₂e) by the 1.5·2²³ trick, r = x − n·ln2 in two
/// parts (Cody–Waite), a degree-5 polynomial, then scaling by 2ⁿ in two halves so that results
/// down to the subnormal range are right. Max error about 2 ulp on [−87, 88]. Overflow gives +∞,
/// underflow 0, NaN stays NaN.
enum VectorMath {
    @inline(__always)
    static func abs(_ x: Vec) -> Vec {
        unsafeBitCast(unsafeBitCast(x, to: UVec.self) & 0x7FFF_FFFF, to: Vec.self)
    }

    /// |m| with the sign of `s`.
    @inline(__always)
    static func withSign(_ m: Vec, of s: Vec) -> Vec {
        let bits = (unsafeBitCast(m, to: UVec.self) & 0x7FFF_FFFF) | (unsafeBitCast(s, to: UVec.self) & 0x8000_0000)
        return unsafeBitCast(bits, to: Vec.self)
    }

    /// a·b + c with one rounding (an FMA on AVX2+FMA builds).
    @inline(__always)
    static func fma(_ a: Vec, _ b: Vec, _ c: Vec) -> Vec { c.addingProduct(a, b) }

    @inline(__always)
    static func exp(_ x: Vec) -> Vec {
        let hi: Float = 88.72283935546875   // ln(FLT_MAX): above this, +∞
        let lo: Float = -104                // below this, 0
        var xc = x.replacing(with: hi, where: x .> hi)
        xc = xc.replacing(with: lo, where: xc .< lo)
        let magic: Float = 12_582_912       // 1.5·2²³: adding it rounds to an integer
        let t = fma(xc, Vec(repeating: 1.44269504088896341), Vec(repeating: magic))
        let n = t - magic
        var r = fma(n, Vec(repeating: -0.693359375), xc)
        r = fma(n, Vec(repeating: 2.12194440e-4), r)
        var p = Vec(repeating: 1.9875691500e-4)
        p = fma(p, r, Vec(repeating: 1.3981999507e-3))
        p = fma(p, r, Vec(repeating: 8.3334519073e-3))
        p = fma(p, r, Vec(repeating: 4.1665795894e-2))
        p = fma(p, r, Vec(repeating: 1.6666665459e-1))
        p = fma(p, r, Vec(repeating: 5.0000001201e-1))
        var y = fma(p, r * r, r) + 1
        // 2ⁿ = 2^n1 · 2^n2 with both halves in the normal range.
        let ni = unsafeBitCast(t, to: IVec.self) &- unsafeBitCast(Vec(repeating: magic), to: IVec.self)
        let n1 = ni &>> 1
        let n2 = ni &- n1
        y = y * unsafeBitCast((n1 &+ 127) &<< 23, to: Vec.self)
        y = y * unsafeBitCast((n2 &+ 127) &<< 23, to: Vec.self)
        return y.replacing(with: .infinity, where: x .> hi)
    }

    /// e^x − 1, accurate near 0 (a degree-7 Taylor polynomial for |x| < 0.5).
    @inline(__always)
    static func expm1(_ x: Vec) -> Vec {
        var p = Vec(repeating: 1.0 / 5040)
        p = fma(p, x, Vec(repeating: 1.0 / 720))
        p = fma(p, x, Vec(repeating: 1.0 / 120))
        p = fma(p, x, Vec(repeating: 1.0 / 24))
        p = fma(p, x, Vec(repeating: 1.0 / 6))
        p = fma(p, x, Vec(repeating: 0.5))
        let small = fma(p * x, x, x)
        let big = exp(x) - 1
        return big.replacing(with: small, where: abs(x) .< 0.5)
    }

    /// tanh x: Cephes' odd polynomial for |x| < 0.625, else 1 − 2/(e^(2|x|) + 1) with x's sign.
    @inline(__always)
    static func tanh(_ x: Vec) -> Vec {
        let a = abs(x)
        let big = withSign(1 - 2 / (exp(a + a) + 1), of: x)
        let z = x * x
        var p = Vec(repeating: -5.70498872745e-3)
        p = fma(p, z, Vec(repeating: 2.06390887954e-2))
        p = fma(p, z, Vec(repeating: -5.37397155531e-2))
        p = fma(p, z, Vec(repeating: 1.33314422036e-1))
        p = fma(p, z, Vec(repeating: -3.33332819422e-1))
        let small = fma(p * z, x, x)
        return big.replacing(with: small, where: a .< 0.625)
    }

    /// 1 / (1 + e^(−x)).
    @inline(__always)
    static func sigmoid(_ x: Vec) -> Vec { 1 / (1 + exp(-x)) }

    @inline(__always)
    static func relu(_ x: Vec) -> Vec { x.replacing(with: 0, where: x .< 0) }

    @inline(__always)
    static func leakyReLU(_ x: Vec, _ alpha: Float) -> Vec { x.replacing(with: x * alpha, where: x .< 0) }

    @inline(__always)
    static func elu(_ x: Vec, _ alpha: Float) -> Vec { x.replacing(with: expm1(x) * alpha, where: .!(x .> 0)) }

    @inline(__always)
    static func step(_ x: Vec) -> Vec { Vec(repeating: 0).replacing(with: 1, where: x .>= 0) }

    /// −1, 0 or 1 (±0 and NaN pass through).
    @inline(__always)
    static func sign(_ x: Vec) -> Vec {
        x.replacing(with: 1, where: x .> 0).replacing(with: -1, where: x .< 0)
    }

    /// max(a, b) with NaN from either side propagating.
    @inline(__always)
    static func maxNaN(_ a: Vec, _ b: Vec) -> Vec { a.replacing(with: b, where: (b .> a) .| (b .!= b)) }

    /// min(a, b) with NaN from either side propagating.
    @inline(__always)
    static func minNaN(_ a: Vec, _ b: Vec) -> Vec { a.replacing(with: b, where: (b .< a) .| (b .!= b)) }
}
