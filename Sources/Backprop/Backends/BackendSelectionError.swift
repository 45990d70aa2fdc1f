/// Errors from choosing a backend by name.
public enum BackendSelectionError: Error, Equatable, CustomStringConvertible {
    case unknown(name: String, available: [String])
    case unavailable(name: String)
    case invalidThreads(Int)
    case tooManyThreads(Int, maximum: Int)

    public var description: String {
        switch self {
        case .unknown(let name, let available):
            return "unknown backend '\(name)'; available backends: \(available.joined(separator: ", "))"
        case .unavailable(let name):
            return "backend '\(name)' is registered but cannot run on this machine"
        case .invalidThreads(let n):
            return "invalid thread count \(n); expected an integer ≥ 1"
        case .tooManyThreads(let n, let m):
            return "\(n) threads is more than the \(m) allowed on this machine (4 × \(m / 4) cores)"
        }
    }
}
