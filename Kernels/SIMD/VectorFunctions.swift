import CIntrinsics
/// Elementwise functions as types, so that loops over arrays are specialised for each function
/// and the function is inlined into the loop. (Passed as closures, they were called once per
/// vector, with each `SIMD16` round-tripping through memory: sigmoid ran at 1/4 of its speed.)
protocol VectorFunction {
    func callAsFunction(_ x: Vec) -> Vec
    /// True for functions that take longer per vector than its memory traffic (a polynomial and
    /// a division): their loops prefetch the input ahead, so the loads of later vectors overlap
    /// the arithmetic (sigmoid, tanh, exp, ELU measured 9-12% faster on arrays beyond the caches;
    /// ReLU 12% slower, so cheap maps do not).
    static var isComputeBound: Bool { get }
}

extension VectorFunction {
    static var isComputeBound: Bool { false }
}

/// How far ahead compute-bound loops prefetch their input: 512 floats (2 KiB, 32 lines).
let prefetchAhead = 512

struct IdentityMap: VectorFunction { @_transparent func callAsFunction(_ x: Vec) -> Vec { x } }
struct SigmoidMap: VectorFunction {
    static var isComputeBound: Bool { true }
    @_transparent func callAsFunction(_ x: Vec) -> Vec { VectorMath.sigmoid(x) }
}
struct TanhMap: VectorFunction {
    static var isComputeBound: Bool { true }
    @_transparent func callAsFunction(_ x: Vec) -> Vec { VectorMath.tanh(x) }
}
struct ReLUMap: VectorFunction { @_transparent func callAsFunction(_ x: Vec) -> Vec { VectorMath.relu(x) } }
struct StepMap: VectorFunction { @_transparent func callAsFunction(_ x: Vec) -> Vec { VectorMath.step(x) } }
struct ExpMap: VectorFunction {
    static var isComputeBound: Bool { true }
    @_transparent func callAsFunction(_ x: Vec) -> Vec { VectorMath.exp(x) }
}
struct SqrtMap: VectorFunction { @_transparent func callAsFunction(_ x: Vec) -> Vec { VectorMath.sqrt(x) } }
struct SquareMap: VectorFunction { @_transparent func callAsFunction(_ x: Vec) -> Vec { x * x } }
struct AbsMap: VectorFunction { @_transparent func callAsFunction(_ x: Vec) -> Vec { VectorMath.abs(x) } }
struct NegateMap: VectorFunction { @_transparent func callAsFunction(_ x: Vec) -> Vec { -x } }
struct SignMap: VectorFunction { @_transparent func callAsFunction(_ x: Vec) -> Vec { VectorMath.sign(x) } }
struct ScaleMap: VectorFunction {
    let alpha: Float
    @_transparent func callAsFunction(_ x: Vec) -> Vec { x * alpha }
}
/// e^(x + offset), for softmax rows: exp of the shifted logits in one pass.
struct ExpShiftMap: VectorFunction {
    static var isComputeBound: Bool { true }
    let offset: Float
    @_transparent func callAsFunction(_ x: Vec) -> Vec { VectorMath.exp(x + offset) }
}
/// (x + a) + b, rounded twice: log-softmax's (x − max) − log Σ, as the reference rounds it.
struct ShiftTwiceMap: VectorFunction {
    let a: Float, b: Float
    @_transparent func callAsFunction(_ x: Vec) -> Vec { (x + a) + b }
}
struct LeakyReLUMap: VectorFunction {
    let alpha: Float
    @_transparent func callAsFunction(_ x: Vec) -> Vec { VectorMath.leakyReLU(x, alpha) }
}
struct ELUMap: VectorFunction {
    static var isComputeBound: Bool { true }
    let alpha: Float
    @_transparent func callAsFunction(_ x: Vec) -> Vec { VectorMath.elu(x, alpha) }
}

/// Functions of two vectors (an activation's derivative: the forward value or input, and the
/// incoming gradient), as types for the same reason.
protocol VectorFunction2 {
    func callAsFunction(_ a: Vec, _ b: Vec) -> Vec
}

/// dy · y(1 − y), from the output y.
struct SigmoidGradient: VectorFunction2 { @_transparent func callAsFunction(_ y: Vec, _ g: Vec) -> Vec { g * (y * (1 - y)) } }
/// dy · (1 − y²), from the output y.
struct TanhGradient: VectorFunction2 { @_transparent func callAsFunction(_ y: Vec, _ g: Vec) -> Vec { g * (1 - y * y) } }
/// dy where x > 0, else 0, from the input x.
struct ReLUGradient: VectorFunction2 {
    @_transparent func callAsFunction(_ x: Vec, _ g: Vec) -> Vec { Vec(repeating: 0).replacing(with: g, where: x .> 0) }
}
/// dy where x > 0, else α·dy, from the input x.
struct LeakyReLUGradient: VectorFunction2 {
    let alpha: Float
    @_transparent func callAsFunction(_ x: Vec, _ g: Vec) -> Vec { (g * alpha).replacing(with: g, where: x .> 0) }
}

extension VectorMemory {
    /// out[i] = f(a[i], b[i]) for i < n, specialised for F.
    @inline(__always)
    static func apply<F: VectorFunction2>(_ f: F, _ a: UnsafePointer<Float>, _ b: UnsafePointer<Float>,
                                          _ out: UnsafeMutablePointer<Float>, _ n: Int) {
        var i = 0
        while i + 16 <= n { store(f(load(a + i), load(b + i)), out + i); i += 16 }
        if i < n { storePartial(f(loadPartial(a + i, n - i), loadPartial(b + i, n - i)), out + i, n - i) }
    }

    /// y[i] = f(x[i]) for i < n, specialised for F.
    @inline(__always)
    static func apply<F: VectorFunction>(_ f: F, _ x: UnsafePointer<Float>, _ y: UnsafeMutablePointer<Float>, _ n: Int) {
        var i = 0
        if F.isComputeBound {
            while i + 16 <= n { backprop_prefetch_read(x + i + prefetchAhead); store(f(load(x + i)), y + i); i += 16 }
        } else {
            while i + 16 <= n { store(f(load(x + i)), y + i); i += 16 }
        }
        if i < n { storePartial(f(loadPartial(x + i, n - i)), y + i, n - i) }
    }

    /// Σ f(x[i]) for i < n (the padding of a partial vector is −∞, so f must map it to 0, as
    /// exp does).
    @inline(__always)
    static func sum<F: VectorFunction>(_ f: F, _ x: UnsafePointer<Float>, _ n: Int,
                                       prefetching ahead: Int = prefetchAhead) -> Float {
        var s0 = Vec(), s1 = Vec()
        var i = 0
        while i + 32 <= n {
            if F.isComputeBound { backprop_prefetch_read(x + i + ahead); backprop_prefetch_read(x + i + ahead + 16) }
            s0 += f(load(x + i)); s1 += f(load(x + i + 16))
            i += 32
        }
        while i + 16 <= n { s0 += f(load(x + i)); i += 16 }
        if i < n { s1 += f(loadPartial(x + i, n - i, pad: -.infinity)) }
        return (s0 + s1).sum()
    }

    /// y[i] = f(x[i]) for i < n, returning Σ y[i] (one pass instead of a map and a sum; the
    /// padding of a partial vector is −∞, so f must map it to 0, as exp does).
    @inline(__always)
    static func applySum<F: VectorFunction>(_ f: F, _ x: UnsafePointer<Float>, _ y: UnsafeMutablePointer<Float>, _ n: Int,
                                            prefetching ahead: Int = prefetchAhead) -> Float {
        var s0 = Vec(), s1 = Vec()
        var i = 0
        while i + 32 <= n {
            if F.isComputeBound { backprop_prefetch_read(x + i + ahead); backprop_prefetch_read(x + i + ahead + 16) }
            let a = f(load(x + i)), b = f(load(x + i + 16))
            store(a, y + i); store(b, y + i + 16)
            s0 += a; s1 += b
            i += 32
        }
        while i + 16 <= n { let a = f(load(x + i)); store(a, y + i); s0 += a; i += 16 }
        if i < n {
            let a = f(loadPartial(x + i, n - i, pad: -.infinity))
            storePartial(a, y + i, n - i)
            s1 += a
        }
        return (s0 + s1).sum()
    }

    /// y_ij = f(x_ij + b_j) over rows of `cols` values: one call for a band of rows, so the
    /// function's constants are set up once, not per row (per-row calls made a 1000x16 bias+tanh
    /// 1.5x slower than a plain tanh over the same values).
    @inline(__always)
    static func apply<F: VectorFunction>(_ f: F, _ x: UnsafePointer<Float>, plus b: UnsafePointer<Float>,
                                         _ y: UnsafeMutablePointer<Float>, rows: Range<Int>, cols: Int) {
        let full = cols & ~15
        for i in rows {
            let xi = x + i * cols, yi = y + i * cols
            var j = 0
            while j < full {
                if F.isComputeBound { backprop_prefetch_read(xi + j + prefetchAhead) }
                store(f(load(xi + j) + load(b + j)), yi + j)
                j += 16
            }
            if j < cols { storePartial(f(loadPartial(xi + j, cols - j) + loadPartial(b + j, cols - j)), yi + j, cols - j) }
        }
    }
}
