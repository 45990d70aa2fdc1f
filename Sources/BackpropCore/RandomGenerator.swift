import Foundation

/// A probability distribution for random fills.
public enum Distribution: Hashable, Sendable {
    /// Uniform on [low, high).
    case uniform(low: Float, high: Float)
    /// Normal with the given mean and standard deviation.
    case normal(mean: Float, std: Float)
}

/// A seeded, counter-based random generator: value number `i` of a stream depends only on the
/// seed and `i`, so fills give identical values on every backend and thread count, and a fill of
/// n values can be split into chunks anywhere.
///
/// Each value hashes (seed, counter) with SplitMix64's finaliser. Uniform floats take the top 24
/// bits (exactly representable, in [0, 1)). Normal values use Box–Muller on two hashed uniforms,
/// keeping the cosine branch, computed in Double.
public struct RandomGenerator: Sendable, Hashable {
    /// The seed of the stream.
    public let seed: UInt64
    /// How many values have been drawn.
    public var counter: UInt64

    public init(seed: UInt64, counter: UInt64 = 0) {
        self.seed = seed
        self.counter = counter
    }

    /// SplitMix64's output function applied to (seed, index, lane).
    @inlinable
    public static func hash(seed: UInt64, index: UInt64, lane: UInt64 = 0) -> UInt64 {
        var z = seed &+ (index &* 0x9E37_79B9_7F4A_7C15) &+ (lane &* 0xD1B5_4A32_D192_ED03) &+ 0x632B_E59B_D9B1_4E5F
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }

    /// A uniform Float in [0, 1) for `index`.
    @inlinable
    public static func unit(seed: UInt64, index: UInt64, lane: UInt64 = 0) -> Float {
        Float(hash(seed: seed, index: index, lane: lane) >> 40) * 0x1p-24
    }

    /// Value `index` of `distribution` for this seed.
    @inlinable
    public static func value(_ distribution: Distribution, seed: UInt64, index: UInt64) -> Float {
        switch distribution {
        case .uniform(let low, let high):
            return low + (high - low) * unit(seed: seed, index: index)
        case .normal(let mean, let std):
            // u1 in (0, 1] so log(u1) is finite.
            let u1 = 1.0 - Double(hash(seed: seed, index: index, lane: 1) >> 11) * 0x1p-53
            let u2 = Double(hash(seed: seed, index: index, lane: 2) >> 11) * 0x1p-53
            let z = (-2.0 * Foundation.log(u1)).squareRoot() * Foundation.cos(2.0 * Double.pi * u2)
            return mean + std * Float(z)
        }
    }

    /// Fills `count` values and advances the counter by `count`.
    public mutating func fill(_ distribution: Distribution, _ y: UnsafeMutablePointer<Float>, count: Int) {
        let start = counter
        for i in 0..<count {
            y[i] = Self.value(distribution, seed: seed, index: start &+ UInt64(i))
        }
        counter &+= UInt64(count)
    }

    /// The next uniform integer in 0..<bound (for shuffles and dropout masks), advancing by one.
    public mutating func nextInt(below bound: Int) -> Int {
        precondition(bound > 0, "bound must be positive")
        let h = Self.hash(seed: seed, index: counter, lane: 3)
        counter &+= 1
        return Int(h.multipliedFullWidth(by: UInt64(bound)).high)
    }

    /// The next uniform Float in [0, 1), advancing by one.
    public mutating func nextUnit() -> Float {
        let u = Self.unit(seed: seed, index: counter)
        counter &+= 1
        return u
    }

    /// A generator for an independent stream derived from this seed and a label (e.g. per layer).
    public func derived(_ label: UInt64) -> RandomGenerator {
        RandomGenerator(seed: Self.hash(seed: seed, index: label, lane: 7))
    }
}

/// Stored as `{"seed": "…", "counter": "…"}` (decimal strings: JSON numbers lose 64-bit precision
/// in many readers).
extension RandomGenerator: Codable {
    enum CodingKeys: String, CodingKey { case seed, counter }

    public init(from decoder: Decoder) throws {
        let c = try decoder.container(keyedBy: CodingKeys.self)
        guard let seed = UInt64(try c.decode(String.self, forKey: .seed)),
              let counter = UInt64(try c.decode(String.self, forKey: .counter)) else {
            throw DecodingError.dataCorruptedError(forKey: .seed, in: c, debugDescription: "seed and counter must be unsigned 64-bit integers")
        }
        self.init(seed: seed, counter: counter)
    }

    public func encode(to encoder: Encoder) throws {
        var c = encoder.container(keyedBy: CodingKeys.self)
        try c.encode(String(seed), forKey: .seed)
        try c.encode(String(counter), forKey: .counter)
    }
}
