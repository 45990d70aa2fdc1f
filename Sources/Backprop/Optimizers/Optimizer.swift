/// Updates parameters from their gradients. Each optimiser's doc comment gives its update rule
/// (PyTorch's formulas and defaults; where Keras differs, the comment says how).
///
/// `step` reads each parameter's `grad` (it may modify it, e.g. to add weight decay) and updates
/// `value` in place. Per-parameter state is created on the first step and reused.
public protocol Optimizer<B>: AnyObject {
    associatedtype B: Backend
    var backend: B { get }
    /// The step size η; learning-rate schedules set it between epochs.
    var learningRate: Float { get set }
    /// The name used on the command line.
    var name: String { get }
    func step(_ parameters: [Parameter])
}

/// Per-parameter state tensors ("slots"), zero-initialised, keyed by parameter identity.
final class OptimizerSlots {
    private var slots: [ObjectIdentifier: [Tensor]] = [:]

    /// The `count` slots of `p` (created, filled with `initial`, on first use).
    func slots(for p: Parameter, count: Int, initial: Float = 0) -> [Tensor] {
        if let s = slots[ObjectIdentifier(p)] { return s }
        let s = (0..<count).map { _ -> Tensor in
            let t = Tensor(shape: p.value.shape)
            if initial != 0 { t.data.update(repeating: initial, count: t.count) }
            return t
        }
        slots[ObjectIdentifier(p)] = s
        return s
    }
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
    public func make<B: Backend>(_ backend: B, learningRate: Float? = nil) -> any Optimizer<B> {
        let lr = learningRate ?? defaultLearningRate
        switch self {
        case .sgd: return SGD(backend, learningRate: lr)
        case .momentum: return SGD(backend, learningRate: lr, momentum: 0.9)
        case .nesterov: return SGD(backend, learningRate: lr, momentum: 0.9, nesterov: true)
        case .adagrad: return AdaGrad(backend, learningRate: lr)
        case .adadelta: return Adadelta(backend, learningRate: lr)
        case .rmsprop: return RMSprop(backend, learningRate: lr)
        case .rmspropCentered: return RMSprop(backend, learningRate: lr, centered: true)
        case .adamax: return AdaMax(backend, learningRate: lr)
        case .adam: return Adam(backend, learningRate: lr)
        case .adamw: return AdamW(backend, learningRate: lr)
        }
    }
}
