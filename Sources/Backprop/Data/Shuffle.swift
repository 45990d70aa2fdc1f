/// Seeded Fisher–Yates shuffles.
public enum Shuffle {
    /// A permutation of 0..<n.
    public static func permutation(_ n: Int, generator: inout RandomGenerator) -> [Int] {
        var p = Array(0..<n)
        shuffle(&p, generator: &generator)
        return p
    }

    /// Shuffles `p` in place.
    public static func shuffle(_ p: inout [Int], generator: inout RandomGenerator) {
        guard p.count > 1 else { return }
        for i in stride(from: p.count - 1, to: 0, by: -1) {
            p.swapAt(i, generator.nextInt(below: i + 1))
        }
    }
}
