/// Options a backend factory receives.
public struct BackendOptions: Sendable, Hashable {
    /// Threads for the backend's kernels (≥ 1).
    public var threads: Int

    public init(threads: Int = 1) {
        self.threads = threads
    }
}
