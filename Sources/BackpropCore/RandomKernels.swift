/// Seeded random fills. Every provider must give bit-identical values for the same generator
/// state: the default implementation is the counter-based generator in `RandomGenerator`, and a
/// provider that overrides it (to fill in parallel, say) must reproduce it exactly.
public protocol RandomKernels: KernelProvider {
    /// Fills `count` values from `distribution`, drawing from `generator` (which advances by
    /// `count`).
    func fillRandom(_ distribution: Distribution, _ y: UnsafeMutablePointer<Float>, count: Int,
                    generator: inout RandomGenerator)
}

extension RandomKernels {
    public func fillRandom(_ distribution: Distribution, _ y: UnsafeMutablePointer<Float>, count: Int,
                           generator: inout RandomGenerator) {
        generator.fill(distribution, y, count: count)
    }
}

extension RoutedBackend {
    public func fillRandom(_ distribution: Distribution, _ y: UnsafeMutablePointer<Float>, count: Int,
                           generator: inout RandomGenerator) {
        routes.random.fillRandom(distribution, y, count: count, generator: &generator)
    }
}
