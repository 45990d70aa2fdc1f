import Backprop

/// The validated options of `train`: every range check, with one-line errors.
struct TrainConfiguration {
    let source: DatasetSource
    let hidden: [Int]
    let activation: Activation
    let loss: LossKind
    let optimizer: OptimizerKind
    let lr: Float?
    let schedule: LearningRateSchedule
    let batchSize: Int
    let epochs: Int
    let l1: Float
    let l2: Float
    let dropout: Float
    let earlyStopping: Int?
    let clipping: GradientClipping?
    let accumulate: Int
    let validationSplit: Double
    let scaling: FeatureScaler.Kind?
    let seed: UInt64
    let classes: Int?

    init(_ t: RunOptions) throws {
        source = try DatasetSource(parsing: t.dataset)
        hidden = try t.layers.split(separator: ",", omittingEmptySubsequences: false).filter { !$0.isEmpty || t.layers.contains(",") }.map { s in
            guard let n = Int(s.trimmingCharacters(in: .whitespaces)), n >= 1 else {
                throw CLIError("--layers: '\(s)' is not a positive layer size (expected e.g. 256,128)")
            }
            return n
        }
        guard let a = Activation(name: t.activation), a != .step else {
            throw CLIError("--activation: unknown activation '\(t.activation)'; expected relu, leaky_relu, elu, tanh, sigmoid, identity")
        }
        if case .leakyReLU(let alpha) = a, alpha < 0 { throw CLIError("--activation: leaky_relu needs α ≥ 0, got \(alpha)") }
        if case .elu(let alpha) = a, alpha < 0 { throw CLIError("--activation: elu needs α ≥ 0, got \(alpha)") }
        activation = a
        if let l = t.loss {
            guard let k = LossKind(name: l) else {
                throw CLIError("--loss: unknown loss '\(l)'; expected \(LossKind.allCases.map(\.rawValue).joined(separator: ", "))")
            }
            loss = k
        } else {
            loss = source == .synthetic(.uat) ? .mse : .crossEntropy
        }
        guard let o = OptimizerKind(name: t.optimizer) else {
            throw CLIError("--optimizer: unknown optimizer '\(t.optimizer)'; expected \(OptimizerKind.allCases.map(\.rawValue).joined(separator: ", "))")
        }
        optimizer = o
        if let lr = t.lr, !(lr > 0 && lr.isFinite) { throw CLIError("--lr must be a positive number, got \(lr)") }
        lr = t.lr
        guard t.batchSize >= 1 else { throw CLIError("--batch-size must be ≥ 1, got \(t.batchSize)") }
        batchSize = t.batchSize
        guard t.epochs >= 1 else { throw CLIError("--epochs must be ≥ 1, got \(t.epochs)") }
        epochs = t.epochs
        guard t.l1 >= 0, t.l1.isFinite else { throw CLIError("--l1 must be ≥ 0, got \(t.l1)") }
        guard t.l2 >= 0, t.l2.isFinite else { throw CLIError("--l2 must be ≥ 0, got \(t.l2)") }
        l1 = t.l1
        l2 = t.l2
        guard t.dropout >= 0 && t.dropout < 1 else { throw CLIError("--dropout must be in [0, 1), got \(t.dropout)") }
        dropout = t.dropout
        if let p = t.earlyStopping, p < 1 { throw CLIError("--early-stopping patience must be ≥ 1, got \(p)") }
        earlyStopping = t.earlyStopping
        if let c = t.clipNorm, !(c > 0 && c.isFinite) { throw CLIError("--clip-norm must be > 0, got \(c)") }
        if let c = t.clipValue, !(c > 0 && c.isFinite) { throw CLIError("--clip-value must be > 0, got \(c)") }
        if t.clipNorm != nil && t.clipValue != nil { throw CLIError("--clip-norm and --clip-value: choose one") }
        clipping = t.clipNorm.map { .norm($0) } ?? t.clipValue.map { .value($0) }
        guard t.accumulate >= 1 else { throw CLIError("--accumulate must be ≥ 1, got \(t.accumulate)") }
        accumulate = t.accumulate
        guard t.validationSplit >= 0 && t.validationSplit < 1 else {
            throw CLIError("--validation-split must be in [0, 1), got \(t.validationSplit)")
        }
        validationSplit = t.validationSplit
        guard let s = LearningRateSchedule(parsing: t.schedule, epochs: t.epochs) else {
            throw CLIError("--schedule: '\(t.schedule)' is not constant, step:EVERY:GAMMA, exp:GAMMA, cosine or cosine:EPOCHS:MIN")
        }
        schedule = s
        switch t.scale ?? "auto" {
        case "auto": if case .csv = source { scaling = .standard } else { scaling = nil }
        case "none": scaling = nil
        case let s:
            guard let k = FeatureScaler.Kind(rawValue: s) else { throw CLIError("--scale: unknown scaling '\(s)'; expected none, standard, minmax") }
            scaling = k
        }
        seed = t.seed
        if let n = t.classes, n < 1 { throw CLIError("--classes must be ≥ 1, got \(n)") }
        classes = t.classes
    }
}
