/// A bar chart: one bar per named value, with an optional ± error bar, labelled under the axis.
public struct BarChart: Chart {
    public struct Bar: Sendable {
        public var label: String
        public var value: Double
        public var spread: Double

        public init(label: String, value: Double, spread: Double = 0) {
            self.label = label
            self.value = value
            self.spread = spread
        }
    }

    public var title: String
    public var yLabel: String
    public var bars: [Bar]
    /// Fixed y range (else 0 … the largest value with 5% room, or the data's range when
    /// values are all far from 0).
    public var yRange: ClosedRange<Double>?
    public var width = 480.0, height = 340.0

    public init(title: String, yLabel: String, bars: [Bar]) {
        self.title = title
        self.yLabel = yLabel
        self.bars = bars
    }

    public var svg: String { Figure.svg([self]) }

    public func body() -> String {
        let F = LineChart.f
        let values = bars.flatMap { [$0.value - $0.spread, $0.value + $0.spread] }.filter(\.isFinite)
        var lo = min(0, values.min() ?? 0), hi = max(values.max() ?? 1, lo + 1e-12)
        if let yRange { (lo, hi) = (yRange.lowerBound, yRange.upperBound) } else { hi += 0.05 * (hi - lo) }
        var axes = Axes(x: (0, Double(max(bars.count, 1))), y: (lo, hi), width: width, height: height)
        axes.bottom = 62
        var out = axes.frame(title: title, xLabel: "", yLabel: yLabel, xTicks: false)
        for (i, b) in bars.enumerated() where b.value.isFinite {
            let color = LineChart.colors[i % LineChart.colors.count]
            let x0 = axes.tx(Double(i) + 0.15), x1 = axes.tx(Double(i) + 0.85)
            let y0 = axes.ty(max(lo, min(0, b.value))), y1 = axes.ty(b.value)
            out += "<rect x=\"\(F(x0))\" y=\"\(F(min(y0, y1)))\" width=\"\(F(x1 - x0))\" height=\"\(F(abs(y1 - y0)))\" fill=\"\(color)\" opacity=\"0.8\"/>\n"
            if b.spread > 0 {
                let xm = (x0 + x1) / 2
                out += "<line x1=\"\(F(xm))\" y1=\"\(F(axes.ty(b.value - b.spread)))\" x2=\"\(F(xm))\" y2=\"\(F(axes.ty(b.value + b.spread)))\" stroke=\"#222\" stroke-width=\"1.5\"/>\n"
            }
            out += "<text x=\"\(F((x0 + x1) / 2))\" y=\"\(F(min(y0, y1) - 4))\" text-anchor=\"middle\" font-size=\"11\">\(String(format: "%.3g", b.value))</text>\n"
            out += "<text x=\"\(F((x0 + x1) / 2))\" y=\"\(F(axes.top + axes.plotHeight + 16))\" text-anchor=\"middle\" font-size=\"11\">\(LineChart.escape(b.label))</text>\n"
        }
        return out
    }
}
