import CIntrinsics
/// The vector type of the SIMD backend's elementwise kernels: 16 floats, two AVX2 registers.
typealias Vec = SIMD16<Float>
typealias IVec = SIMD16<Int32>
typealias UVec = SIMD16<UInt32>

/// Vectorised transcendental functions (libm's `expf` does not vectorise: ~6x slower).
///
/// `exp` is Cephes' `expf` scheme: n = round(x·log₂e) by the 1.5·2²³ trick, r = x − n·ln2 in two
/// parts (Cody–Waite), a degree-5 polynomial, then one multiplication by 2ⁿ⁻¹ with the ×2 folded
/// into the last FMA (so n = 128 still has an exponent field). Max error about 2 ulp on
/// [−87, 88]. Results below 2⁻¹²⁶ are 0 — the kernels run with flush-to-zero anyway (see
/// `FlushToZero`) — overflow gives +∞, NaN stays NaN.
enum VectorMath {
    @_transparent
    static func abs(_ x: Vec) -> Vec {
        unsafeBitCast(unsafeBitCast(x, to: UVec.self) & 0x7FFF_FFFF, to: Vec.self)
    }

    /// |m| with the sign of `s`.
    @_transparent
    static func withSign(_ m: Vec, of s: Vec) -> Vec {
        let bits = (unsafeBitCast(m, to: UVec.self) & 0x7FFF_FFFF) | (unsafeBitCast(s, to: UVec.self) & 0x8000_0000)
        return unsafeBitCast(bits, to: Vec.self)
    }

    /// a·b + c with one rounding (an FMA on AVX2+FMA builds).
    @_transparent
    static func fma(_ a: Vec, _ b: Vec, _ c: Vec) -> Vec { c.addingProduct(a, b) }

    @_transparent
    static func exp(_ x: Vec) -> Vec {
        // Clamped at 89 rather than at ln(FLT_MAX) = 88.7228: n ≤ 128 still, and for x above
        // ln(FLT_MAX) the final product overflows to +∞ by itself (2·e^r·2¹²⁷ > FLT_MAX), so
        // no compare-and-blend fix-up is needed (~9% fewer instructions).
        let hi: Float = 89
        let lo: Float = -87.33654475        // ln(FLT_MIN): below this, 0
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
        // e^r ≈ 1 + r + p·r²; times 2 here, times 2ⁿ⁻¹ below (n ∈ [−126, 128]).
        let twice = fma(fma(p, r * r, r), Vec(repeating: 2), Vec(repeating: 2))
        let ni = unsafeBitCast(t, to: IVec.self) &- unsafeBitCast(Vec(repeating: magic), to: IVec.self)
        return twice * unsafeBitCast((ni &+ 126) &<< 23, to: Vec.self)
    }

    /// Natural logarithm (Cephes' `logf` scheme): x = 2ᵉ·m with m in [√½, √2), then
    /// log(1 + f) for f = m − 1 by a degree-8 polynomial, and e·ln2 added in two parts. Max error
    /// about 2 ulp for normal x > 0; log(0) = −∞, log(+∞) = +∞, NaN and x < 0 give NaN.
    /// (Subnormal inputs count as 0, as under the kernels' flush-to-zero mode.)
    @_transparent
    static func log(_ x: Vec) -> Vec {
        let bits = unsafeBitCast(x, to: IVec.self)
        var e = Vec((bits &>> 23) &- 126)   // exponent, for a mantissa in [0.5, 1)
        var m = unsafeBitCast((bits & 0x007F_FFFF) | 0x3F00_0000, to: Vec.self)
        let small = m .< 0.707106781186547524
        e = e.replacing(with: e - 1, where: small)
        m = m.replacing(with: m + m, where: small) - 1
        let z = m * m
        var p = Vec(repeating: 7.0376836292e-2)
        p = fma(p, m, Vec(repeating: -1.1514610310e-1))
        p = fma(p, m, Vec(repeating: 1.1676998740e-1))
        p = fma(p, m, Vec(repeating: -1.2420140846e-1))
        p = fma(p, m, Vec(repeating: 1.4249322787e-1))
        p = fma(p, m, Vec(repeating: -1.6668057665e-1))
        p = fma(p, m, Vec(repeating: 2.0000714765e-1))
        p = fma(p, m, Vec(repeating: -2.4999993993e-1))
        p = fma(p, m, Vec(repeating: 3.3333331174e-1))
        var r = p * m * z
        r = fma(e, Vec(repeating: -2.12194440e-4), r)
        r = fma(z, Vec(repeating: -0.5), r)
        r = fma(e, Vec(repeating: 0.693359375), m + r)
        r = r.replacing(with: -.infinity, where: x .<= Float.leastNormalMagnitude.nextDown)
        r = r.replacing(with: .nan, where: x .< 0)
        return r.replacing(with: x, where: (x .== .infinity) .| (x .!= x))
    }

    /// √x, one `vsqrtps` per 8 floats (IEEE, NaN for x < 0). `SIMD16.squareRoot()` is 16 scalar
    /// `sqrtss`, each behind a branch to libm's `sqrtf` (for errno): Adam ran ~2x slower on it.
    @_transparent
    static func sqrt(_ x: Vec) -> Vec { backprop_sqrt16(x) }

    /// e^x − 1, accurate near 0: 2t/(1 − t) with t = tanh(x/2), from e^x = (1 + t)/(1 − t).
    /// The rational tanh keeps relative accuracy for tiny x and needs no exp: ELU measured 1.7x
    /// faster than exp(x) − 1 blended with a Taylor polynomial near 0. With t = N/D (the
    /// rational's parts), 2t/(1 − t) = 2N/(D − N): one division instead of two.
    @_transparent
    static func expm1(_ x: Vec) -> Vec {
        let (n, d) = tanhParts(x * 0.5)
        return (n + n) / (d - n)
    }

    /// tanh x as a rational minimax approximation x·P(x²)/Q(x²) (degree 13/6, the coefficients
    /// Eigen uses), with |x| clamped at 7.90531, beyond which tanh rounds to ±1 in Float. One
    /// division and no exp: measured 2x faster than 1 − 2/(e^(2|x|) + 1) with a polynomial for
    /// small |x|, and within the conformance suite's NMSE 1e-10 of the reference.
    @_transparent
    static func tanh(_ x: Vec) -> Vec {
        let (n, d) = tanhParts(x)
        return n / d
    }

    /// The numerator x·P(x²) and denominator Q(x²) of `tanh`'s rational (x clamped).
    @_transparent
    static func tanhParts(_ x: Vec) -> (Vec, Vec) {
        let limit: Float = 7.90531110763549805
        var xc = x.replacing(with: limit, where: x .> limit)
        xc = xc.replacing(with: -limit, where: xc .< -limit)
        let z = xc * xc
        var p = Vec(repeating: -2.76076847742355e-16)
        p = fma(p, z, Vec(repeating: 2.00018790482477e-13))
        p = fma(p, z, Vec(repeating: -8.60467152213735e-11))
        p = fma(p, z, Vec(repeating: 5.12229709037114e-08))
        p = fma(p, z, Vec(repeating: 1.48572235717979e-05))
        p = fma(p, z, Vec(repeating: 6.37261928875436e-04))
        p = fma(p, z, Vec(repeating: 4.89352455891786e-03))
        var q = Vec(repeating: 1.19825839466702e-06)
        q = fma(q, z, Vec(repeating: 1.18534705686654e-04))
        q = fma(q, z, Vec(repeating: 2.26843463243900e-03))
        q = fma(q, z, Vec(repeating: 4.89352518554385e-03))
        return (xc * p, q)
    }

    /// 1 / (1 + e^(−x)).
    @_transparent
    static func sigmoid(_ x: Vec) -> Vec { 1 / (1 + exp(-x)) }

    @_transparent
    static func relu(_ x: Vec) -> Vec { x.replacing(with: 0, where: x .< 0) }

    @_transparent
    static func leakyReLU(_ x: Vec, _ alpha: Float) -> Vec { x.replacing(with: x * alpha, where: x .< 0) }

    @_transparent
    static func elu(_ x: Vec, _ alpha: Float) -> Vec { x.replacing(with: expm1(x) * alpha, where: .!(x .> 0)) }

    @_transparent
    static func step(_ x: Vec) -> Vec { Vec(repeating: 0).replacing(with: 1, where: x .>= 0) }

    /// −1, 0 or 1 (±0 and NaN pass through).
    @_transparent
    static func sign(_ x: Vec) -> Vec {
        x.replacing(with: 1, where: x .> 0).replacing(with: -1, where: x .< 0)
    }

    /// max(a, b) with NaN from either side propagating.
    @_transparent
    static func maxNaN(_ a: Vec, _ b: Vec) -> Vec { a.replacing(with: b, where: (b .> a) .| (b .!= b)) }

    /// min(a, b) with NaN from either side propagating.
    @_transparent
    static func minNaN(_ a: Vec, _ b: Vec) -> Vec { a.replacing(with: b, where: (b .< a) .| (b .!= b)) }
}
