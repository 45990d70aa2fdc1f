/// How a weight tensor of a layer with `fanIn` inputs and `fanOut` outputs is initialised.
///
/// | case | distribution |
/// | --- | --- |
/// | `zeros`, `constant(c)` | all 0 / all c |
/// | `normal(std:)` | N(0, σ²) |
/// | `uniform(limit:)` | U(−limit, limit) |
/// | `xavierNormal` (Glorot) | N(0, 2/(fanIn + fanOut)) |
/// | `xavierUniform` (Glorot) | U(±√(6/(fanIn + fanOut))) |
/// | `heNormal` (Kaiming) | N(0, 2/fanIn) |
/// | `heUniform` (Kaiming) | U(±√(6/fanIn)) |
/// | `lecunNormal` | N(0, 1/fanIn) |
/// | `lecunUniform` | U(±√(3/fanIn)) |
///
/// The default follows the activation (`default(for:)`): He normal for ReLU, leaky ReLU and ELU
/// (it keeps the variance of ReLU outputs constant through the layers), Xavier uniform for
/// tanh, sigmoid, identity and step. Biases start at zero.
public enum Initializer: Hashable, Sendable {
    case zeros
    case constant(Float)
    case normal(std: Float)
    case uniform(limit: Float)
    case xavierNormal, xavierUniform
    case heNormal, heUniform
    case lecunNormal, lecunUniform

    /// He normal for the ReLU family, Xavier uniform otherwise.
    public static func `default`(for activation: Activation) -> Initializer {
        switch activation {
        case .relu, .leakyReLU, .elu: return .heNormal
        case .identity, .sigmoid, .tanh, .step: return .xavierUniform
        }
    }

    /// The distribution of the values for these fans (nil for constants).
    public func distribution(fanIn: Int, fanOut: Int) -> Distribution? {
        let fi = Float(max(fanIn, 1)), fo = Float(max(fanOut, 1))
        switch self {
        case .zeros, .constant: return nil
        case .normal(let s): return .normal(mean: 0, std: s)
        case .uniform(let l): return .uniform(low: -l, high: l)
        case .xavierNormal: return .normal(mean: 0, std: (2 / (fi + fo)).squareRoot())
        case .xavierUniform: let l = (6 / (fi + fo)).squareRoot(); return .uniform(low: -l, high: l)
        case .heNormal: return .normal(mean: 0, std: (2 / fi).squareRoot())
        case .heUniform: let l = (6 / fi).squareRoot(); return .uniform(low: -l, high: l)
        case .lecunNormal: return .normal(mean: 0, std: (1 / fi).squareRoot())
        case .lecunUniform: let l = (3 / fi).squareRoot(); return .uniform(low: -l, high: l)
        }
    }

    /// Fills `t` for a layer with these fans, drawing from `generator`.
    public func fill<B: Backend>(_ t: Tensor, fanIn: Int, fanOut: Int, backend: B, generator: inout RandomGenerator) {
        switch self {
        case .zeros: backend.fill(0, t.data, count: t.count)
        case .constant(let c): backend.fill(c, t.data, count: t.count)
        default: backend.fillRandom(distribution(fanIn: fanIn, fanOut: fanOut)!, t.data, count: t.count, generator: &generator)
        }
    }

    /// Parses `zeros`, `xavier_normal`, `glorot_uniform`, `he_normal`, `kaiming_uniform`, `lecun_normal`, ...
    public init?(name: String) {
        switch name.lowercased().replacingOccurrences(of: "-", with: "_") {
        case "zeros": self = .zeros
        case "xavier_normal", "glorot_normal": self = .xavierNormal
        case "xavier_uniform", "glorot_uniform", "xavier", "glorot": self = .xavierUniform
        case "he_normal", "kaiming_normal", "he": self = .heNormal
        case "he_uniform", "kaiming_uniform": self = .heUniform
        case "lecun_normal", "lecun": self = .lecunNormal
        case "lecun_uniform": self = .lecunUniform
        default: return nil
        }
    }
}
