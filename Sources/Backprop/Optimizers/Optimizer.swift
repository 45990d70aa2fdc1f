/// Updates a model's parameters from their gradients. Each optimiser's doc comment gives its
/// update rule (PyTorch's formulas and defaults; where Keras differs, the comment says how).
///
/// `step` reads the gradients of the whole `ParameterArena` (it may modify them, e.g. to add
/// weight decay) and updates the values in place, one pass of each kernel over the arena (Adam:
/// one fused `adamStep`). The learning rate and its schedule belong to the optimiser (`rate`);
/// the state it keeps between steps is public (`state`), and checkpoints save and restore it.
public protocol Optimizer<B>: AnyObject {
    associatedtype B: Backend
    var backend: B { get }
    /// The name used on the command line, e.g. `adam`.
    var name: String { get }
    /// The base rate η₀, its schedule and the position in it.
    var rate: ScheduledLearningRate { get set }
    /// The other constants, by name (β₁, β₂, ε, weight decay, ...).
    var hyperparameters: [(name: String, value: Float)] { get }
    /// The step count and per-parameter slots.
    var state: OptimizerState { get }
    func step(_ parameters: ParameterArena)
}

extension Optimizer {
    /// η for the current epoch of the schedule.
    public var learningRate: Float { rate.current }
}

/// Optimisers by name with their PyTorch defaults.
public enum OptimizerKind: String, CaseIterable, Sendable {
    case sgd, momentum, nesterov, adagrad, adadelta, rmsprop, rmspropCentered = "rmsprop_centered", adamax, adam, adamw

    public init?(name: String) {
        self.init(rawValue: name.lowercased().replacingOccurrences(of: "-", with: "_"))
    }

    /// The default learning rate (PyTorch's).
    public var defaultLearningRate: Float {
        switch self {
        case .sgd, .momentum, .nesterov: return 0.01
        case .adagrad, .rmsprop, .rmspropCentered: return 0.01
        case .adadelta: return 1.0
        case .adamax: return 0.002
        case .adam, .adamw: return 0.001
        }
    }

    /// An optimiser of this kind; `learningRate` nil takes the default.
    public func make<B: Backend>(_ backend: B, learningRate: Float? = nil, schedule: LearningRateSchedule = .constant) -> any Optimizer<B> {
        let lr = learningRate ?? defaultLearningRate
        let o: any Optimizer<B>
        switch self {
        case .sgd: o = SGD(backend, learningRate: lr)
        case .momentum: o = SGD(backend, learningRate: lr, momentum: 0.9)
        case .nesterov: o = SGD(backend, learningRate: lr, momentum: 0.9, nesterov: true)
        case .adagrad: o = AdaGrad(backend, learningRate: lr)
        case .adadelta: o = Adadelta(backend, learningRate: lr)
        case .rmsprop: o = RMSprop(backend, learningRate: lr)
        case .rmspropCentered: o = RMSprop(backend, learningRate: lr, centered: true)
        case .adamax: o = AdaMax(backend, learningRate: lr)
        case .adam: o = Adam(backend, learningRate: lr)
        case .adamw: o = AdamW(backend, learningRate: lr)
        }
        o.rate.schedule = schedule
        return o
    }
}
