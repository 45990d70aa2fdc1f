import Foundation

/// Histograms of one or more named samples over shared bins, drawn as outlined, translucent
/// steps (so overlapping samples stay visible); counts as fractions of each sample, optionally
/// on a log axis.
public struct Histogram: Chart {
    public struct Sample: Sendable {
        public var name: String
        public var values: [Double]

        public init(name: String, values: [Double]) {
            self.name = name
            self.values = values
        }
    }

    public var title: String
    public var xLabel: String
    public var samples: [Sample]
    public var bins = 40
    /// The binned range (else the finite values' range); values outside fall in the end bins.
    public var range: ClosedRange<Double>?
    public var logCount = false
    public var width = 480.0, height = 340.0

    public init(title: String, xLabel: String, samples: [Sample]) {
        self.title = title
        self.xLabel = xLabel
        self.samples = samples
    }

    public var svg: String { Figure.svg([self]) }

    /// The fraction of `values` in each of `bins` equal bins over `lo … hi`.
    public static func fractions(_ values: [Double], bins: Int, lo: Double, hi: Double) -> [Double] {
        var counts = [Double](repeating: 0, count: bins)
        let finite = values.filter(\.isFinite)
        for v in finite {
            let i = Int(((v - lo) / max(hi - lo, 1e-300) * Double(bins)).rounded(.down))
            counts[min(max(i, 0), bins - 1)] += 1
        }
        return counts.map { $0 / Double(max(finite.count, 1)) }
    }

    public func body() -> String {
        let F = LineChart.f
        let all = samples.flatMap(\.values).filter(\.isFinite)
        var (lo, hi) = range.map { ($0.lowerBound, $0.upperBound) } ?? (all.min() ?? 0, all.max() ?? 1)
        if hi <= lo { (lo, hi) = (lo - 1, hi + 1) }
        let fractions = samples.map { Self.fractions($0.values, bins: bins, lo: lo, hi: hi) }
        let top = max(fractions.flatMap { $0 }.max() ?? 1, 1e-12)
        let smallest = fractions.flatMap { $0 }.filter { $0 > 0 }.min() ?? 1e-3
        let yr = logCount ? (pow(10, floor(log10(smallest))), pow(10, ceil(log10(top)))) : (0, top * 1.05)
        let axes = Axes(x: (lo, hi), y: yr, logY: logCount, width: width, height: height)
        var out = axes.frame(title: title, xLabel: xLabel, yLabel: "fraction of values")
        for (i, s) in samples.enumerated() {
            let color = LineChart.colors[i % LineChart.colors.count]
            let w = (hi - lo) / Double(bins)
            let base = axes.ty(yr.0)
            var path = "M \(F(axes.tx(lo))) \(F(base))"
            for (b, v) in fractions[i].enumerated() {
                let y = v > 0 ? axes.ty(v) : base
                path += " L \(F(axes.tx(lo + Double(b) * w))) \(F(y)) L \(F(axes.tx(lo + Double(b + 1) * w))) \(F(y))"
            }
            path += " L \(F(axes.tx(hi))) \(F(base)) Z"
            out += "<path d=\"\(path)\" fill=\"\(color)\" fill-opacity=\"0.25\" stroke=\"\(color)\" stroke-width=\"1.5\"/>\n"
            let ly = axes.top + 14 + Double(i) * 16
            let lx = axes.left + axes.plotWidth - 30 - 6.2 * Double(samples.map(\.name.count).max() ?? 8)
            out += "<rect x=\"\(F(lx))\" y=\"\(F(ly - 9))\" width=\"18\" height=\"10\" fill=\"\(color)\" fill-opacity=\"0.5\" stroke=\"\(color)\"/>\n"
            out += "<text x=\"\(F(lx + 22))\" y=\"\(F(ly))\" font-size=\"11\">\(LineChart.escape(s.name))</text>\n"
        }
        return out
    }
}
