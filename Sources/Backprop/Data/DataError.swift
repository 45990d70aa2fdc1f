/// A problem with input data: which file (or option), where in it, what was expected and found.
public struct DataError: Error, CustomStringConvertible, Equatable {
    /// The file or source, e.g. `train.csv` or `--dataset`.
    public let source: String
    /// Where: `line 7, column 3`, `offset 16`, or empty.
    public let location: String
    /// What is wrong.
    public let problem: String

    public init(_ source: String, at location: String = "", _ problem: String) {
        self.source = source
        self.location = location
        self.problem = problem
    }

    public var description: String {
        location.isEmpty ? "\(source): \(problem)" : "\(source): \(location): \(problem)"
    }
}
