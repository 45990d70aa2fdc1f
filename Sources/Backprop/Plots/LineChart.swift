import Foundation

/// A line chart as a standalone SVG document: one or more named series of (x, y) points, linear
/// or logarithmic axes with ticks and labels, a legend and a title. Several charts can share one
/// document side by side (`LineChart.document(_:)`).
public struct LineChart: Sendable {
    public struct Series: Sendable {
        public var name: String
        public var points: [(x: Double, y: Double)]
        /// Optional ± band around each point (e.g. a standard deviation over seeds).
        public var spread: [Double]?
        /// Drawn dashed (a prediction or a reference line next to measurements).
        public var dashed: Bool

        public init(name: String, points: [(x: Double, y: Double)], spread: [Double]? = nil, dashed: Bool = false) {
            self.name = name
            self.points = points
            self.spread = spread
            self.dashed = dashed
        }
    }

    public var title: String
    public var xLabel: String
    public var yLabel: String
    public var series: [Series]
    public var logX = false
    public var logY = false
    /// Fixed y range (else from the data).
    public var yRange: ClosedRange<Double>?
    public var width = 480.0, height = 340.0

    public init(title: String, xLabel: String, yLabel: String, series: [Series]) {
        self.title = title
        self.xLabel = xLabel
        self.yLabel = yLabel
        self.series = series
    }

    static let colors = ["#1f77b4", "#d62728", "#2ca02c", "#ff7f0e", "#9467bd", "#8c564b", "#e377c2", "#17becf"]

    /// `charts` side by side in one SVG document.
    public static func document(_ charts: [LineChart]) -> String {
        let w = charts.reduce(0) { $0 + $1.width }, h = charts.map(\.height).max() ?? 0
        var out = "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n"
        out += "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"\(f(w))\" height=\"\(f(h))\" viewBox=\"0 0 \(f(w)) \(f(h))\" font-family=\"Helvetica, Arial, sans-serif\">\n"
        out += "<rect width=\"100%\" height=\"100%\" fill=\"white\"/>\n"
        var x = 0.0
        for c in charts {
            out += "<g transform=\"translate(\(f(x)),0)\">\n" + c.body() + "</g>\n"
            x += c.width
        }
        return out + "</svg>\n"
    }

    /// This chart alone as an SVG document.
    public var svg: String { Self.document([self]) }

    static func f(_ v: Double) -> String { String(format: "%.2f", v) }

    static func escape(_ s: String) -> String {
        s.replacingOccurrences(of: "&", with: "&amp;").replacingOccurrences(of: "<", with: "&lt;")
            .replacingOccurrences(of: ">", with: "&gt;").replacingOccurrences(of: "\"", with: "&quot;")
    }

    /// Tick values for [lo, hi]: powers of ten on a log axis, 1-2-5 steps on a linear one.
    public static func ticks(_ lo: Double, _ hi: Double, log: Bool) -> [Double] {
        if log {
            let a = Foundation.floor(Foundation.log10(lo)), b = Foundation.ceil(Foundation.log10(hi))
            let stride = max(1, ((b - a) / 6).rounded(.up))
            return Swift.stride(from: a, through: b, by: stride).map { Foundation.pow(10, $0) }
        }
        let span = max(hi - lo, 1e-12), raw = span / 5
        let mag = Foundation.pow(10, Foundation.floor(Foundation.log10(raw)))
        let step = [1.0, 2, 5, 10].map { $0 * mag }.first { $0 >= raw } ?? 10 * mag
        let first = (lo / step).rounded(.up) * step
        return Swift.stride(from: first, through: hi + step * 1e-9, by: step).map { abs($0) < step * 1e-9 ? 0 : $0 }
    }

    static func label(_ v: Double, log: Bool) -> String {
        if log {
            let e = Int(Foundation.log10(v).rounded())
            return e >= -2 && e <= 3 ? String(format: "%g", v) : "1e\(e)"
        }
        return String(format: "%g", (v * 1e6).rounded() / 1e6)
    }

    func body() -> String {
        let (left, right, top, bottom) = (62.0, 12.0, 34.0, 48.0)
        let pw = width - left - right, ph = height - top - bottom
        let finite = series.flatMap(\.points).filter { $0.x.isFinite && $0.y.isFinite && (!logX || $0.x > 0) && (!logY || $0.y > 0) }
        var xs = (finite.map(\.x).min() ?? 0, finite.map(\.x).max() ?? 1)
        var ys = yRange.map { ($0.lowerBound, $0.upperBound) } ?? (finite.map(\.y).min() ?? 0, finite.map(\.y).max() ?? 1)
        if xs.0 == xs.1 { xs = logX ? (xs.0 / 2, xs.1 * 2) : (xs.0 - 1, xs.1 + 1) }
        if ys.0 == ys.1 { ys = logY ? (ys.0 / 10, ys.1 * 10) : (ys.0 - 1, ys.1 + 1) }
        if logY { ys = (Foundation.pow(10, Foundation.floor(Foundation.log10(ys.0))), Foundation.pow(10, Foundation.ceil(Foundation.log10(ys.1)))) }
        func tx(_ v: Double) -> Double {
            let (a, b, u) = logX ? (Foundation.log10(xs.0), Foundation.log10(xs.1), Foundation.log10(v)) : (xs.0, xs.1, v)
            return left + (u - a) / (b - a) * pw
        }
        func ty(_ v: Double) -> Double {
            let (a, b, u) = logY ? (Foundation.log10(ys.0), Foundation.log10(ys.1), Foundation.log10(max(v, ys.0))) : (ys.0, ys.1, v)
            return top + ph - (u - a) / (b - a) * ph
        }
        let F = Self.f
        var out = "<text x=\"\(F(width / 2))\" y=\"20\" text-anchor=\"middle\" font-size=\"15\" font-weight=\"bold\">\(Self.escape(title))</text>\n"
        out += "<rect x=\"\(F(left))\" y=\"\(F(top))\" width=\"\(F(pw))\" height=\"\(F(ph))\" fill=\"none\" stroke=\"#333\"/>\n"
        for t in Self.ticks(xs.0, xs.1, log: logX) where t >= xs.0 * (1 - 1e-9) && t <= xs.1 * (1 + 1e-9) {
            let x = tx(t)
            out += "<line x1=\"\(F(x))\" y1=\"\(F(top))\" x2=\"\(F(x))\" y2=\"\(F(top + ph))\" stroke=\"#ddd\"/>\n"
            out += "<text x=\"\(F(x))\" y=\"\(F(top + ph + 16))\" text-anchor=\"middle\" font-size=\"11\">\(Self.label(t, log: logX))</text>\n"
        }
        for t in Self.ticks(ys.0, ys.1, log: logY) where t >= ys.0 * (1 - 1e-9) && t <= ys.1 * (1 + 1e-9) {
            let y = ty(t)
            out += "<line x1=\"\(F(left))\" y1=\"\(F(y))\" x2=\"\(F(left + pw))\" y2=\"\(F(y))\" stroke=\"#ddd\"/>\n"
            out += "<text x=\"\(F(left - 6))\" y=\"\(F(y + 4))\" text-anchor=\"end\" font-size=\"11\">\(Self.label(t, log: logY))</text>\n"
        }
        out += "<text x=\"\(F(left + pw / 2))\" y=\"\(F(height - 10))\" text-anchor=\"middle\" font-size=\"12\">\(Self.escape(xLabel))</text>\n"
        out += "<text transform=\"translate(14,\(F(top + ph / 2))) rotate(-90)\" text-anchor=\"middle\" font-size=\"12\">\(Self.escape(yLabel))</text>\n"
        for (i, s) in series.enumerated() {
            let color = Self.colors[i % Self.colors.count]
            let pts = s.points.enumerated().filter { $0.element.x.isFinite && $0.element.y.isFinite && (!logY || $0.element.y > 0) }
            if let spread = s.spread {
                for (j, p) in pts where j < spread.count && spread[j] > 0 {
                    let (y0, y1) = (ty(p.y - spread[j]), ty(p.y + spread[j]))
                    out += "<line x1=\"\(F(tx(p.x)))\" y1=\"\(F(y0))\" x2=\"\(F(tx(p.x)))\" y2=\"\(F(y1))\" stroke=\"\(color)\" stroke-width=\"1.5\" opacity=\"0.6\"/>\n"
                }
            }
            let path = pts.map { "\(F(tx($0.element.x))),\(F(ty($0.element.y)))" }.joined(separator: " ")
            if !path.isEmpty {
                out += "<polyline points=\"\(path)\" fill=\"none\" stroke=\"\(color)\" stroke-width=\"2\"\(s.dashed ? " stroke-dasharray=\"6,4\"" : "")/>\n"
                for p in pts where pts.count <= 60 { out += "<circle cx=\"\(F(tx(p.element.x)))\" cy=\"\(F(ty(p.element.y)))\" r=\"3\" fill=\"\(color)\"/>\n" }
            }
            let ly = top + 14 + Double(i) * 16
            let lx = left + pw - 30 - 6.2 * Double(series.map(\.name.count).max() ?? 8)   // room for the longest name
            out += "<line x1=\"\(F(lx))\" y1=\"\(F(ly - 4))\" x2=\"\(F(lx + 18))\" y2=\"\(F(ly - 4))\" stroke=\"\(color)\" stroke-width=\"2\"\(s.dashed ? " stroke-dasharray=\"6,4\"" : "")/>\n"
            out += "<text x=\"\(F(lx + 22))\" y=\"\(F(ly))\" font-size=\"11\">\(Self.escape(s.name))</text>\n"
        }
        return out
    }
}
