import Foundation

/// A learnt decision boundary over 2-D data as an SVG document: the plane, on a grid of
/// `resolution`² cells spanning the data with a margin, coloured by the class the model predicts
/// there (pale), and the points coloured by their true class.
public struct DecisionBoundaryChart: Sendable {
    public var title: String
    public var resolution = 120
    public var width = 520.0, height = 520.0

    public init(title: String) { self.title = title }

    static let pale = ["#aec7e8", "#ff9896", "#98df8a", "#ffbb78", "#c5b0d5", "#c49c94", "#f7b6d2", "#9edae5"]

    /// `points` [n, 2] with `labels`; `classify` maps a [m, 2] grid of points to m classes.
    public func svg(points: Tensor, labels: [Int32], classify: (Tensor) -> [Int32]) -> String {
        Self.document([body(points: points, labels: labels, classify: classify)], width: width, height: height)
    }

    /// Panels (from `body`) side by side in one SVG document, each `width` × `height`.
    public static func document(_ panels: [String], width: Double, height: Double) -> String {
        let F = LineChart.f
        let w = width * Double(panels.count)
        var out = "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n"
        out += "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"\(F(w))\" height=\"\(F(height))\" viewBox=\"0 0 \(F(w)) \(F(height))\" font-family=\"Helvetica, Arial, sans-serif\">\n"
        out += "<rect width=\"100%\" height=\"100%\" fill=\"white\"/>\n"
        for (i, p) in panels.enumerated() { out += "<g transform=\"translate(\(F(Double(i) * width)),0)\">\n" + p + "</g>\n" }
        return out + "</svg>\n"
    }

    /// The chart's elements, without the document around them.
    public func body(points: Tensor, labels: [Int32], classify: (Tensor) -> [Int32]) -> String {
        precondition(points.shape.count == 2 && points.shape[1] == 2 && labels.count == points.shape[0],
                     "DecisionBoundaryChart: expects [n, 2] points and n labels, got \(points.shape) and \(labels.count)")
        let n = labels.count
        var lo = (Double.infinity, Double.infinity), hi = (-Double.infinity, -Double.infinity)
        for i in 0..<n {
            let (x, y) = (Double(points.data[2 * i]), Double(points.data[2 * i + 1]))
            lo = (min(lo.0, x), min(lo.1, y))
            hi = (max(hi.0, x), max(hi.1, y))
        }
        if n == 0 { (lo, hi) = ((-1, -1), (1, 1)) }
        let mx = max(hi.0 - lo.0, 1e-6) * 0.08, my = max(hi.1 - lo.1, 1e-6) * 0.08
        lo = (lo.0 - mx, lo.1 - my)
        hi = (hi.0 + mx, hi.1 + my)
        let r = resolution
        let grid = Tensor(shape: [r * r, 2])
        for j in 0..<r {
            for i in 0..<r {
                grid.data[2 * (j * r + i)] = Float(lo.0 + (Double(i) + 0.5) / Double(r) * (hi.0 - lo.0))
                grid.data[2 * (j * r + i) + 1] = Float(hi.1 - (Double(j) + 0.5) / Double(r) * (hi.1 - lo.1))
            }
        }
        let predicted = classify(grid)
        let (left, top, size) = (50.0, 36.0, min(width - 70, height - 80))
        let cell = size / Double(r)
        let F = LineChart.f
        var out = "<text x=\"\(F(width / 2))\" y=\"22\" text-anchor=\"middle\" font-size=\"15\" font-weight=\"bold\">\(LineChart.escape(title))</text>\n"
        for j in 0..<r {
            // Runs of one class along a row are one rectangle.
            var i = 0
            while i < r {
                let c = Int(predicted[j * r + i])
                var k = i + 1
                while k < r && Int(predicted[j * r + k]) == c { k += 1 }
                out += "<rect x=\"\(F(left + Double(i) * cell))\" y=\"\(F(top + Double(j) * cell))\" width=\"\(F(Double(k - i) * cell + 0.3))\" height=\"\(F(cell + 0.3))\" fill=\"\(Self.pale[abs(c) % Self.pale.count])\"/>\n"
                i = k
            }
        }
        for i in 0..<n {
            let x = left + (Double(points.data[2 * i]) - lo.0) / (hi.0 - lo.0) * size
            let y = top + (hi.1 - Double(points.data[2 * i + 1])) / (hi.1 - lo.1) * size
            out += "<circle cx=\"\(F(x))\" cy=\"\(F(y))\" r=\"\(n < 20 ? "7" : "2.5")\" fill=\"\(LineChart.colors[Int(labels[i]) % LineChart.colors.count])\" stroke=\"white\" stroke-width=\"0.5\"/>\n"
        }
        out += "<rect x=\"\(F(left))\" y=\"\(F(top))\" width=\"\(F(size))\" height=\"\(F(size))\" fill=\"none\" stroke=\"#333\"/>\n"
        for t in LineChart.ticks(lo.0, hi.0, log: false) where t >= lo.0 && t <= hi.0 {
            let x = left + (t - lo.0) / (hi.0 - lo.0) * size
            out += "<text x=\"\(F(x))\" y=\"\(F(top + size + 16))\" text-anchor=\"middle\" font-size=\"11\">\(LineChart.label(t, log: false))</text>\n"
        }
        for t in LineChart.ticks(lo.1, hi.1, log: false) where t >= lo.1 && t <= hi.1 {
            let y = top + (hi.1 - t) / (hi.1 - lo.1) * size
            out += "<text x=\"\(F(left - 6))\" y=\"\(F(y + 4))\" text-anchor=\"end\" font-size=\"11\">\(LineChart.label(t, log: false))</text>\n"
        }
        out += "<text x=\"\(F(left + size / 2))\" y=\"\(F(top + size + 34))\" text-anchor=\"middle\" font-size=\"12\">x₁ (pale: the model's class; points: the true class)</text>\n"
        return out
    }
}
