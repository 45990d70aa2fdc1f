/// Checks class labels read from a file: whole numbers ≥ 0, and a class count that the data
/// bear out. With a declared count, every label must be below it. Without one, the count is the
/// largest label + 1 and every class below it must occur: one corrupt label far beyond the
/// others would otherwise make a model with hundreds of outputs, silently.
enum ClassLabels {
    /// The most classes a set may have without declaring them.
    static let maximumUndeclared = 100_000

    static func check(_ values: [Float], declared: Int?, source: String,
                      location: (Int) -> String, hint: String = "") throws -> (labels: [Int32], classes: Int) {
        if let d = declared, d < 1 { throw DataError(source, "declared class count \(d); must be ≥ 1") }
        var labels = [Int32](repeating: 0, count: values.count)
        let cap = declared ?? maximumUndeclared
        for (i, v) in values.enumerated() {
            guard v >= 0, v == v.rounded(), v < Float(cap) else {
                let why = declared != nil ? "outside the declared \(cap) classes (0..<\(cap))" : "not a class index (0, 1, 2, ...)"
                throw DataError(source, at: location(i), "label \(v) is \(why)\(hint)")
            }
            labels[i] = Int32(v)
        }
        guard let top = labels.max() else { return (labels, declared ?? 0) }
        if let d = declared { return (labels, d) }
        let classes = Int(top) + 1
        var seen = [Bool](repeating: false, count: classes)
        for l in labels { seen[Int(l)] = true }
        if let missing = seen.firstIndex(of: false) {
            let at = labels.firstIndex(of: top)!
            throw DataError(source, at: location(at),
                            "label \(top) would make \(classes) classes, but class \(missing) never occurs (\(seen.filter { $0 }.count) distinct labels); a corrupt label? declare the count (--classes) if it is right")
        }
        return (labels, classes)
    }
}
