import Foundation

/// Contour lines of a function of two variables over a rectangle (marching squares on a
/// `resolution`² grid), with paths drawn over them — e.g. the steps of optimisers on a loss
/// surface — and an optional marked point (the minimum).
public struct ContourChart: Chart {
    public var title: String
    public var xLabel: String, yLabel: String
    public var x: ClosedRange<Double>, y: ClosedRange<Double>
    /// f on the grid: `values[j][i]` at (x_i, y_j), i, j = 0 … resolution.
    public var values: [[Double]]
    public var levels: [Double]
    public var paths: [LineChart.Series] = []
    public var marked: (x: Double, y: Double)?
    public var width = 520.0, height = 480.0

    /// Samples `f` on a grid of `resolution` cells per side; `levels` default to 12 levels spaced
    /// evenly in log(f − min + 1) between the grid's minimum and maximum.
    public init(title: String, xLabel: String, yLabel: String, x: ClosedRange<Double>, y: ClosedRange<Double>,
                resolution: Int = 100, levels: [Double]? = nil, f: (Double, Double) -> Double) {
        self.title = title
        self.xLabel = xLabel
        self.yLabel = yLabel
        self.x = x
        self.y = y
        let n = max(resolution, 2)
        values = (0...n).map { j in
            (0...n).map { i in f(x.lowerBound + (x.upperBound - x.lowerBound) * Double(i) / Double(n),
                                 y.lowerBound + (y.upperBound - y.lowerBound) * Double(j) / Double(n)) }
        }
        let flat = values.flatMap { $0 }.filter(\.isFinite)
        let lo = flat.min() ?? 0, hi = flat.max() ?? 1
        self.levels = levels ?? (1...12).map { k in lo + exp(Double(k) / 13 * log(hi - lo + 1)) - 1 }
    }

    public var svg: String { Figure.svg([self]) }

    /// The segments where the grid crosses `level`, in grid coordinates (i, j).
    public static func segments(_ z: [[Double]], level: Double) -> [((Double, Double), (Double, Double))] {
        var out: [((Double, Double), (Double, Double))] = []
        guard z.count >= 2, z[0].count >= 2 else { return out }
        for j in 0..<(z.count - 1) {
            for i in 0..<(z[j].count - 1) {
                // Corners counter-clockwise from (i, j); edges between consecutive corners.
                let c = [(Double(i), Double(j), z[j][i]), (Double(i + 1), Double(j), z[j][i + 1]),
                         (Double(i + 1), Double(j + 1), z[j + 1][i + 1]), (Double(i), Double(j + 1), z[j + 1][i])]
                var crossings: [(Double, Double)] = []
                for e in 0..<4 {
                    let a = c[e], b = c[(e + 1) % 4]
                    guard a.2.isFinite, b.2.isFinite, (a.2 < level) != (b.2 < level) else { continue }
                    let t = (level - a.2) / (b.2 - a.2)
                    crossings.append((a.0 + t * (b.0 - a.0), a.1 + t * (b.1 - a.1)))
                }
                if crossings.count == 2 { out.append((crossings[0], crossings[1])) }
                if crossings.count == 4 {
                    out.append((crossings[0], crossings[1]))
                    out.append((crossings[2], crossings[3]))
                }
            }
        }
        return out
    }

    public func body() -> String {
        let F = LineChart.f
        let axes = Axes(x: (x.lowerBound, x.upperBound), y: (y.lowerBound, y.upperBound), width: width, height: height)
        var out = axes.frame(title: title, xLabel: xLabel, yLabel: yLabel)
        let n = Double(values.count - 1)
        func px(_ i: Double) -> Double { axes.tx(x.lowerBound + (x.upperBound - x.lowerBound) * i / n) }
        func py(_ j: Double) -> Double { axes.ty(y.lowerBound + (y.upperBound - y.lowerBound) * j / n) }
        for (k, level) in levels.enumerated() {
            let shade = Int(200 - 150 * Double(k) / Double(max(levels.count - 1, 1)))
            var d = ""
            for (a, b) in Self.segments(values, level: level) {
                d += "M\(F(px(a.0))) \(F(py(a.1)))L\(F(px(b.0))) \(F(py(b.1)))"
            }
            if !d.isEmpty { out += "<path d=\"\(d)\" fill=\"none\" stroke=\"rgb(\(shade),\(shade),\(min(255, shade + 40)))\" stroke-width=\"1\"/>\n" }
        }
        let clip = "clip" + String(title.unicodeScalars.reduce(UInt32(17)) { $0 &* 31 &+ $1.value })
        out += "<clipPath id=\"\(clip)\"><rect x=\"\(F(axes.left))\" y=\"\(F(axes.top))\" width=\"\(F(axes.plotWidth))\" height=\"\(F(axes.plotHeight))\"/></clipPath>\n"
        out += "<g clip-path=\"url(#\(clip))\">\n"
        for (i, s) in paths.enumerated() {
            let color = LineChart.colors[i % LineChart.colors.count]
            let pts = s.points.filter { $0.x.isFinite && $0.y.isFinite }
            let clamped = pts.map { (min(max($0.x, x.lowerBound - 10 * (x.upperBound - x.lowerBound)), x.upperBound + 10 * (x.upperBound - x.lowerBound)),
                                     min(max($0.y, y.lowerBound - 10 * (y.upperBound - y.lowerBound)), y.upperBound + 10 * (y.upperBound - y.lowerBound))) }
            let line = clamped.map { "\(F(axes.tx($0.0))),\(F(axes.ty($0.1)))" }.joined(separator: " ")
            if !line.isEmpty {
                out += "<polyline points=\"\(line)\" fill=\"none\" stroke=\"\(color)\" stroke-width=\"1.8\"\(s.dashed ? " stroke-dasharray=\"6,4\"" : "")/>\n"
            }
            if let last = clamped.last { out += "<circle cx=\"\(F(axes.tx(last.0)))\" cy=\"\(F(axes.ty(last.1)))\" r=\"3.5\" fill=\"\(color)\"/>\n" }
        }
        out += "</g>\n"
        if let first = paths.first?.points.first {
            out += "<circle cx=\"\(F(axes.tx(first.x)))\" cy=\"\(F(axes.ty(first.y)))\" r=\"5\" fill=\"none\" stroke=\"#000\" stroke-width=\"1.5\"/>\n"
        }
        if let m = marked {
            out += "<text x=\"\(F(axes.tx(m.x)))\" y=\"\(F(axes.ty(m.y) + 5))\" text-anchor=\"middle\" font-size=\"16\">★</text>\n"
        }
        for (i, s) in paths.enumerated() {
            let color = LineChart.colors[i % LineChart.colors.count]
            let ly = axes.top + 14 + Double(i) * 15
            let lx = axes.left + axes.plotWidth - 30 - 6.2 * Double(paths.map(\.name.count).max() ?? 8)
            out += "<rect x=\"\(F(lx - 4))\" y=\"\(F(ly - 11))\" width=\"\(F(axes.left + axes.plotWidth - lx))\" height=\"15\" fill=\"white\" opacity=\"0.75\"/>\n"
            out += "<line x1=\"\(F(lx))\" y1=\"\(F(ly - 4))\" x2=\"\(F(lx + 18))\" y2=\"\(F(ly - 4))\" stroke=\"\(color)\" stroke-width=\"2\"/>\n"
            out += "<text x=\"\(F(lx + 22))\" y=\"\(F(ly))\" font-size=\"11\">\(LineChart.escape(s.name))</text>\n"
        }
        return out
    }
}
