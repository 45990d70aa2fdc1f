import Foundation

/// Options a backend factory receives.
public struct BackendOptions: Sendable, Hashable {
    /// Threads for the backend's kernels: 1 ... `maximumThreads`.
    public var threads: Int

    /// The most threads a backend may be asked for: 4 × this machine's cores (more only queue
    /// up behind each other; tens of thousands would exhaust the process).
    public static var maximumThreads: Int { 4 * max(ProcessInfo.processInfo.activeProcessorCount, 1) }

    public init(threads: Int = 1) {
        self.threads = threads
    }
}
