import Foundation

/// Reads numeric CSV: comma-separated numbers, one example per line, an optional header row
/// (detected when the first row is not all numbers), blank lines ignored. Errors name the file,
/// the line and the column.
public enum CSVReader {
    /// The parsed table: column names (when there was a header) and rows of numbers.
    public struct Table {
        public let header: [String]?
        public let rows: [[Float]]
        public var columns: Int { rows.first?.count ?? header?.count ?? 0 }
    }

    public static func read(_ path: String) throws -> Table {
        guard FileManager.default.fileExists(atPath: path) else { throw DataError(path, "no such file") }
        guard let data = FileManager.default.contents(atPath: path) else { throw DataError(path, "cannot read the file") }
        guard let text = String(data: data, encoding: .utf8) else { throw DataError(path, "not UTF-8 text") }
        return try parse(text, source: path)
    }

    public static func parse(_ text: String, source: String) throws -> Table {
        var header: [String]? = nil
        var rows: [[Float]] = []
        var width: Int? = nil
        // "\r\n" is one Character in Swift, and a newline.
        for (index, line) in text.split(omittingEmptySubsequences: false, whereSeparator: \.isNewline).enumerated() {
            if line.trimmingCharacters(in: .whitespaces).isEmpty { continue }
            let cells = line.split(separator: ",", omittingEmptySubsequences: false).map { $0.trimmingCharacters(in: .whitespaces) }
            let lineNumber = index + 1
            if let w = width, cells.count != w {
                throw DataError(source, at: "line \(lineNumber)", "\(cells.count) fields, expected \(w) like the first row")
            }
            width = cells.count
            var values: [Float] = []
            values.reserveCapacity(cells.count)
            var bad: (Int, String)? = nil
            for (c, cell) in cells.enumerated() {
                if let v = Float(cell), v.isFinite { values.append(v) } else if bad == nil { bad = (c + 1, cell) }
            }
            if let (column, cell) = bad {
                if rows.isEmpty && header == nil && isHeader(cells) {
                    header = cells
                    continue
                }
                let what = Float(cell) != nil ? "not a finite number" : "not a number"
                throw DataError(source, at: "line \(lineNumber), column \(column)", "\(what): '\(cell)'")
            }
            rows.append(values)
        }
        guard !rows.isEmpty else { throw DataError(source, "no data rows") }
        return Table(header: header, rows: rows)
    }

    /// A first row counts as a header when none of its cells is a number.
    private static func isHeader(_ cells: [String]) -> Bool { cells.allSatisfy { Float($0) == nil } }

    /// A CSV with a label column as a dataset. `labelColumn` is 0-based; negative counts from the
    /// end (−1 = last). For classification, labels must be non-negative integers, below `classes`
    /// when it is given, else forming 0..<k with every class present (see `ClassLabels`).
    public static func dataset(_ path: String, labelColumn: Int = -1, regression: Bool, classes: Int? = nil) throws -> Dataset {
        try dataset(try read(path), source: path, labelColumn: labelColumn, regression: regression, classes: classes)
    }

    /// A parsed table with a label column as a dataset; `source` names it in errors.
    public static func dataset(_ table: Table, source path: String, labelColumn: Int = -1, regression: Bool,
                               classes: Int? = nil) throws -> Dataset {
        let w = table.columns
        guard w >= 2 else { throw DataError(path, "\(w) column; need at least one feature and a label") }
        let lc = labelColumn < 0 ? w + labelColumn : labelColumn
        guard lc >= 0 && lc < w else { throw DataError(path, "label column \(labelColumn) is outside the \(w) columns") }
        let n = table.rows.count, d = w - 1
        let f = Tensor(shape: [n, d])
        var labelValues = [Float](repeating: 0, count: n)
        for (i, row) in table.rows.enumerated() {
            var j = 0
            for (c, v) in row.enumerated() where c != lc { f[i, j] = v; j += 1 }
            labelValues[i] = row[lc]
        }
        let name = URL(fileURLWithPath: path).lastPathComponent
        if regression {
            return Dataset(name: name, features: f, targets: Tensor(shape: [n, 1], values: labelValues))
        }
        let headerLines = table.header == nil ? 0 : 1
        let checked = try ClassLabels.check(labelValues, declared: classes, source: path,
                                            location: { "line \($0 + 1 + headerLines), column \(lc + 1)" },
                                            hint: "; use --loss mse for regression")
        return Dataset.classification(name: name, features: f, labels: checked.labels, classes: checked.classes)
    }

    /// A CSV of features only (for prediction), checked against the expected width.
    public static func features(_ path: String, expectedColumns: Int) throws -> Tensor {
        let table = try read(path)
        guard table.columns == expectedColumns else {
            throw DataError(path, "\(table.columns) columns; the model expects \(expectedColumns) features")
        }
        return Tensor(shape: [table.rows.count, expectedColumns], values: table.rows.flatMap { $0 })
    }
}
