/// The loss and accuracy curves of a training run as an SVG document: loss (training and, when
/// measured, validation) against epoch on a log axis, and accuracy likewise when the task is a
/// classification.
public enum TrainingCurves {
    public static func svg(_ logs: [EpochLog], title: String = "") -> String {
        func series(_ name: String, _ values: [Float?]) -> LineChart.Series? {
            let points = zip(logs, values).compactMap { l, v in v.map { (Double(l.epoch), Double($0)) } }
            return points.isEmpty ? nil : LineChart.Series(name: name, points: points)
        }
        var loss = LineChart(title: title.isEmpty ? "Loss" : "\(title): loss", xLabel: "epoch", yLabel: "loss",
                             series: [series("training", logs.map(\.loss)), series("validation", logs.map(\.validationLoss))].compactMap { $0 })
        loss.logY = logs.allSatisfy { $0.loss > 0 } && logs.allSatisfy { ($0.validationLoss ?? 1) > 0 }
        let accuracy = [series("training", logs.map(\.accuracy)), series("validation", logs.map(\.validationAccuracy))].compactMap { $0 }
        guard !accuracy.isEmpty else { return loss.svg }
        var acc = LineChart(title: title.isEmpty ? "Accuracy" : "\(title): accuracy", xLabel: "epoch", yLabel: "accuracy", series: accuracy)
        acc.yRange = 0...1
        return LineChart.document([loss, acc])
    }
}
