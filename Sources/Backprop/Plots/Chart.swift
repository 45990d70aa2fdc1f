import Foundation

/// A chart that can be placed in a `Figure`: its size and its SVG elements (without the document
/// around them, origin at its top-left corner).
public protocol Chart: Sendable {
    var width: Double { get }
    var height: Double { get }
    func body() -> String
}

/// Charts in one standalone SVG document (white background, one font), in rows of `columns`
/// (default: one row of up to three charts; more go two or three to a row).
public enum Figure {
    public static func svg(_ charts: [any Chart], columns: Int? = nil) -> String {
        let F = LineChart.f
        let perRow = max(1, columns ?? (charts.count <= 3 ? charts.count : (charts.count + 1) / 2))
        let rows = stride(from: 0, to: charts.count, by: perRow).map { Array(charts[$0..<min($0 + perRow, charts.count)]) }
        let w = rows.map { $0.reduce(0) { $0 + $1.width } }.max() ?? 0
        let h = rows.reduce(0) { $0 + ($1.map(\.height).max() ?? 0) }
        var out = "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n"
        out += "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"\(F(w))\" height=\"\(F(h))\" viewBox=\"0 0 \(F(w)) \(F(h))\" font-family=\"Helvetica, Arial, sans-serif\">\n"
        out += "<rect width=\"100%\" height=\"100%\" fill=\"white\"/>\n"
        var y = 0.0
        for row in rows {
            var x = 0.0
            for c in row {
                out += "<g transform=\"translate(\(F(x)),\(y == 0 ? "0" : F(y)))\">\n" + c.body() + "</g>\n"
                x += c.width
            }
            y += row.map(\.height).max() ?? 0
        }
        return out + "</svg>\n"
    }
}

/// A chart's plotting area: data ranges mapped onto a rectangle, linear or logarithmic, with the
/// frame, grid lines, tick labels, axis labels and title drawn by `frame`.
struct Axes {
    var x: (lo: Double, hi: Double)
    var y: (lo: Double, hi: Double)
    var logX = false, logY = false
    var left = 62.0, right = 12.0, top = 34.0, bottom = 48.0
    var width: Double, height: Double

    var plotWidth: Double { width - left - right }
    var plotHeight: Double { height - top - bottom }

    func tx(_ v: Double) -> Double {
        let (a, b, u) = logX ? (log10(x.lo), log10(x.hi), log10(max(v, x.lo))) : (x.lo, x.hi, v)
        return left + (u - a) / (b - a) * plotWidth
    }

    func ty(_ v: Double) -> Double {
        let (a, b, u) = logY ? (log10(y.lo), log10(y.hi), log10(max(v, y.lo))) : (y.lo, y.hi, v)
        return top + plotHeight - (u - a) / (b - a) * plotHeight
    }

    /// Frame, ticks, labels and title; `xTicks` false leaves the x axis unlabelled (bar charts
    /// label their own).
    func frame(title: String, xLabel: String, yLabel: String, xTicks: Bool = true) -> String {
        let F = LineChart.f, E = LineChart.escape
        var out = "<text x=\"\(F(width / 2))\" y=\"20\" text-anchor=\"middle\" font-size=\"15\" font-weight=\"bold\">\(E(title))</text>\n"
        out += "<rect x=\"\(F(left))\" y=\"\(F(top))\" width=\"\(F(plotWidth))\" height=\"\(F(plotHeight))\" fill=\"none\" stroke=\"#333\"/>\n"
        if xTicks {
            for t in LineChart.ticks(x.lo, x.hi, log: logX) where t >= x.lo * (1 - 1e-9) - 1e-12 && t <= x.hi * (1 + 1e-9) + 1e-12 {
                let px = tx(t)
                out += "<line x1=\"\(F(px))\" y1=\"\(F(top))\" x2=\"\(F(px))\" y2=\"\(F(top + plotHeight))\" stroke=\"#ddd\"/>\n"
                out += "<text x=\"\(F(px))\" y=\"\(F(top + plotHeight + 16))\" text-anchor=\"middle\" font-size=\"11\">\(LineChart.label(t, log: logX))</text>\n"
            }
        }
        for t in LineChart.ticks(y.lo, y.hi, log: logY) where t >= y.lo * (1 - 1e-9) - 1e-12 && t <= y.hi * (1 + 1e-9) + 1e-12 {
            let py = ty(t)
            out += "<line x1=\"\(F(left))\" y1=\"\(F(py))\" x2=\"\(F(left + plotWidth))\" y2=\"\(F(py))\" stroke=\"#ddd\"/>\n"
            out += "<text x=\"\(F(left - 6))\" y=\"\(F(py + 4))\" text-anchor=\"end\" font-size=\"11\">\(LineChart.label(t, log: logY))</text>\n"
        }
        out += "<text x=\"\(F(left + plotWidth / 2))\" y=\"\(F(height - 10))\" text-anchor=\"middle\" font-size=\"12\">\(E(xLabel))</text>\n"
        out += "<text transform=\"translate(14,\(F(top + plotHeight / 2))) rotate(-90)\" text-anchor=\"middle\" font-size=\"12\">\(E(yLabel))</text>\n"
        return out
    }
}
