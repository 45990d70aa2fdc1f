import Foundation

/// Small generated datasets for learning and tests, all seeded.
///
/// - `spiral`: two interleaved spirals in 2-D (t = √u·3π, x = ±(t cos t, t sin t)/3π + N(0, 0.02²)),
///   the set of the peers' spiral benchmark; 2 classes.
/// - `xor`: uniform points in [−1, 1]², class (x > 0) ≠ (y > 0); 2 classes.
/// - `circles`: two concentric circles, radii 1 and 0.5, noise 0.05; 2 classes.
/// - `moons`: two interleaving half circles, noise 0.1; 2 classes.
/// - `blobs`: three Gaussian clusters (σ = 1) around (−5, −5), (5, −5) and (0, 5); 3 classes,
///   separable with overwhelming probability (the centres are ≥ 10σ apart).
/// - `uat`: regression y = 2·sin(x²) + √(5x) for x ~ U(0, 3), the universal-approximation example.
public enum SyntheticDataset: String, CaseIterable, Sendable {
    case spiral, xor, circles, moons, blobs, uat

    /// `count` examples drawn with `seed`.
    public func make(count: Int, seed: UInt64) -> Dataset {
        var g = RandomGenerator(seed: seed)
        func u() -> Float { g.nextUnit() }
        func normal() -> Float {
            var v: Float = 0
            withUnsafeMutablePointer(to: &v) { g.fill(.normal(mean: 0, std: 1), $0, count: 1) }
            return v
        }
        var x = [Float](), labels = [Int32]()
        x.reserveCapacity(2 * count)
        switch self {
        case .spiral:
            let half = count / 2
            var a = [(Float, Float)]()
            for _ in 0..<half {
                let t = u().squareRoot() * 3 * .pi
                a.append((t * cos(t) / (3 * .pi), t * sin(t) / (3 * .pi)))
            }
            for (s, l) in [(Float(1), Int32(0)), (-1, 1)] {
                for p in a {
                    x += [s * p.0 + 0.02 * normal(), s * p.1 + 0.02 * normal()]
                    labels.append(l)
                }
            }
        case .xor:
            for _ in 0..<count {
                let p = 2 * u() - 1, q = 2 * u() - 1
                x += [p, q]
                labels.append((p > 0) != (q > 0) ? 1 : 0)
            }
        case .circles:
            for i in 0..<count {
                let inner = i % 2 == 1
                let t = 2 * Float.pi * u(), r: Float = inner ? 0.5 : 1
                x += [r * cos(t) + 0.05 * normal(), r * sin(t) + 0.05 * normal()]
                labels.append(inner ? 1 : 0)
            }
        case .moons:
            for i in 0..<count {
                let t = Float.pi * u()
                if i % 2 == 0 {
                    x += [cos(t) + 0.1 * normal(), sin(t) + 0.1 * normal()]
                    labels.append(0)
                } else {
                    x += [1 - cos(t) + 0.1 * normal(), 0.5 - sin(t) + 0.1 * normal()]
                    labels.append(1)
                }
            }
        case .blobs:
            let centres: [(Float, Float)] = [(-5, -5), (5, -5), (0, 5)]
            for i in 0..<count {
                let k = i % 3
                x += [centres[k].0 + normal(), centres[k].1 + normal()]
                labels.append(Int32(k))
            }
        case .uat:
            var y = [Float]()
            for _ in 0..<count {
                let v = 3 * u()
                x.append(v)
                y.append(2 * sin(v * v) + (5 * v).squareRoot())
            }
            return Dataset(name: rawValue, features: Tensor(shape: [count, 1], values: x), targets: Tensor(shape: [count, 1], values: y))
        }
        let n = labels.count
        return Dataset.classification(name: rawValue, features: Tensor(shape: [n, 2], values: x), labels: labels,
                                      classes: self == .blobs ? 3 : 2)
    }
}
