import Foundation

/// The mean and sample standard deviation of values over seeds, printed `m ± sd`.
public struct Spread: Sendable, Equatable {
    public var mean: Double
    public var sd: Double
    public var count: Int

    public init(_ values: [Double]) {
        count = values.count
        mean = values.isEmpty ? .nan : values.reduce(0, +) / Double(values.count)
        let m = mean
        sd = values.count > 1 ? (values.map { ($0 - m) * ($0 - m) }.reduce(0, +) / Double(values.count - 1)).squareRoot() : 0
    }

    /// `m ± sd` with `format` for both (default `%.3g`).
    public func text(_ format: String = "%.3g") -> String {
        String(format: format, mean) + " ± " + String(format: format, sd)
    }
}

/// A Markdown table: a header row and rows of cells.
public func markdownTable(_ header: [String], _ rows: [[String]]) -> String {
    var out = "| " + header.joined(separator: " | ") + " |\n"
    out += "|" + header.map { _ in "---|" }.joined() + "\n"
    for r in rows { out += "| " + r.joined(separator: " | ") + " |\n" }
    return out
}
