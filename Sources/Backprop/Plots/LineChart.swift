import Foundation

/// A line chart as a standalone SVG document: one or more named series of (x, y) points, linear
/// or logarithmic axes with ticks and labels, a legend and a title. Several charts can share one
/// document side by side (`LineChart.document(_:)`).
public struct LineChart: Chart {
    public struct Series: Sendable {
        public var name: String
        public var points: [(x: Double, y: Double)]
        /// Optional ± band around each point (e.g. a standard deviation over seeds).
        public var spread: [Double]?
        /// Drawn dashed (a prediction or a reference line next to measurements).
        public var dashed: Bool
        /// Points only, no line: a scatter plot.
        public var scatter: Bool

        public init(name: String, points: [(x: Double, y: Double)], spread: [Double]? = nil, dashed: Bool = false, scatter: Bool = false) {
            self.name = name
            self.points = points
            self.spread = spread
            self.dashed = dashed
            self.scatter = scatter
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

    static let colors = ["#1f77b4", "#d62728", "#2ca02c", "#ff7f0e", "#9467bd", "#8c564b", "#e377c2", "#17becf", "#bcbd22", "#7f7f7f"]

    /// `charts` side by side in one SVG document.
    public static func document(_ charts: [LineChart]) -> String { Figure.svg(charts) }

    /// This chart alone as an SVG document.
    public var svg: String { Figure.svg([self]) }

    static func f(_ v: Double) -> String { String(format: "%.2f", v) }

    static func escape(_ s: String) -> String {
        s.replacingOccurrences(of: "&", with: "&amp;").replacingOccurrences(of: "<", with: "&lt;")
            .replacingOccurrences(of: ">", with: "&gt;").replacingOccurrences(of: "\"", with: "&quot;")
    }

    /// Tick values for [lo, hi]: on a log axis, powers of ten (or 1-2-5 steps when the range spans
    /// less than two decades); on a linear one, 1-2-5 steps.
    public static func ticks(_ lo: Double, _ hi: Double, log: Bool) -> [Double] {
        if log {
            let a = Foundation.floor(Foundation.log10(lo)), b = Foundation.ceil(Foundation.log10(hi))
            if b - a <= 2 {
                let candidates: [[Double]] = [[1, 2, 5], [1, 2, 3, 4, 5, 6, 7, 8, 9]]
                for mantissas in candidates {
                    var t: [Double] = []
                    for e in Swift.stride(from: a, through: b, by: 1) {
                        let scale: Double = Foundation.pow(10, e)
                        for m in mantissas where m * scale >= lo * (1 - 1e-9) && m * scale <= hi * (1 + 1e-9) { t.append(m * scale) }
                    }
                    if t.count >= 3 { return t }
                }
            }
            let stride = max(1, ((b - a) / 6).rounded(.up))
            return Swift.stride(from: a, through: b, by: stride).map { Foundation.pow(10, $0) }
        }
        let span = max(hi - lo, 1e-12), raw = span / 5
        let mag = Foundation.pow(10, Foundation.floor(Foundation.log10(raw)))
        let step = [1.0, 2, 5, 10].map { $0 * mag }.first { $0 >= raw } ?? 10 * mag
        let first = (lo / step).rounded(.up) * step
        return Swift.stride(from: first, through: hi + step * 1e-9, by: step).map { abs($0) < step * 1e-9 ? 0 : $0 }
    }

    /// A tick label: powers of ten as `1e-5` outside 0.01…1000, other values as `%g`.
    public static func label(_ v: Double, log: Bool) -> String {
        if log {
            let e = Int(Foundation.log10(v).rounded())
            let power = abs(v / Foundation.pow(10, Double(e)) - 1) < 1e-9
            return e >= -2 && e <= 3 || !power ? String(format: "%g", v) : "1e\(e)"
        }
        return String(format: "%g", (v * 1e6).rounded() / 1e6)
    }

    public func body() -> String {
        // More than three series: the legend goes to the right of the plot, where it hides nothing.
        let longest = Double(series.map(\.name.count).max() ?? 8)
        let outside = series.count > 3
        let (left, right, top, bottom) = (62.0, outside ? 36 + 6.2 * longest : 12.0, 34.0, 48.0)
        let pw = width - left - right
        let finite = series.flatMap(\.points).filter { $0.x.isFinite && $0.y.isFinite && (!logX || $0.x > 0) && (!logY || $0.y > 0) }
        var xs = (finite.map(\.x).min() ?? 0, finite.map(\.x).max() ?? 1)
        var ys = yRange.map { ($0.lowerBound, $0.upperBound) } ?? (finite.map(\.y).min() ?? 0, finite.map(\.y).max() ?? 1)
        if xs.0 == xs.1 { xs = logX ? (xs.0 / 2, xs.1 * 2) : (xs.0 - 1, xs.1 + 1) }
        if ys.0 == ys.1 { ys = logY ? (ys.0 / 10, ys.1 * 10) : (ys.0 - 1, ys.1 + 1) }
        if logY {
            let (a, b) = (Foundation.log10(ys.0), Foundation.log10(ys.1))
            if Foundation.ceil(b) - Foundation.floor(a) <= 2 {   // a narrow range: pad it, ticks at 1-2-5
                let pad = max(0.05 * (b - a), 0.02)
                ys = (Foundation.pow(10, a - pad), Foundation.pow(10, b + pad))
            } else {
                ys = (Foundation.pow(10, Foundation.floor(a)), Foundation.pow(10, Foundation.ceil(b)))
            }
        }
        let axes = Axes(x: xs, y: ys, logX: logX, logY: logY, left: left, right: right, top: top, bottom: bottom, width: width, height: height)
        let tx = axes.tx, ty = axes.ty
        let F = Self.f
        var out = axes.frame(title: title, xLabel: xLabel, yLabel: yLabel)
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
            if s.scatter {
                for p in pts { out += "<circle cx=\"\(F(tx(p.element.x)))\" cy=\"\(F(ty(p.element.y)))\" r=\"2.5\" fill=\"\(color)\" opacity=\"0.7\"/>\n" }
            } else if !path.isEmpty {
                out += "<polyline points=\"\(path)\" fill=\"none\" stroke=\"\(color)\" stroke-width=\"2\"\(s.dashed ? " stroke-dasharray=\"6,4\"" : "")/>\n"
                for p in pts where pts.count <= 60 { out += "<circle cx=\"\(F(tx(p.element.x)))\" cy=\"\(F(ty(p.element.y)))\" r=\"3\" fill=\"\(color)\"/>\n" }
            }
            let ly = top + 14 + Double(i) * 16
            let lx = outside ? left + pw + 8 : left + pw - 30 - 6.2 * longest   // room for the longest name
            out += "<line x1=\"\(F(lx))\" y1=\"\(F(ly - 4))\" x2=\"\(F(lx + 18))\" y2=\"\(F(ly - 4))\" stroke=\"\(color)\" stroke-width=\"2\"\(s.dashed ? " stroke-dasharray=\"6,4\"" : "")/>\n"
            out += "<text x=\"\(F(lx + 22))\" y=\"\(F(ly))\" font-size=\"11\">\(Self.escape(s.name))</text>\n"
        }
        return out
    }
}
