/// An activation function f applied elementwise, with its derivative f′.
///
/// Formulas (x is the pre-activation, y = f(x)):
/// - `identity`: f(x) = x, f′ = 1
/// - `sigmoid`: f(x) = 1 / (1 + e^(−x)), f′ = y(1 − y)
/// - `tanh`: f(x) = tanh x, f′ = 1 − y²
/// - `relu`: f(x) = max(0, x) (NaN stays NaN), f′ = 1 if x > 0 else 0
/// - `leakyReLU(α)`: f(x) = x if x ≥ 0 else αx, f′ = 1 if x > 0 else α (PyTorch's default α = 0.01)
/// - `elu(α)`: f(x) = x if x > 0 else α(e^x − 1), f′ = 1 if x > 0 else y + α (default α = 1)
/// - `step`: the perceptron's Heaviside step, f(x) = 1 if x ≥ 0 else 0 (NaN → 0), f′ = 0
///
/// For the ReLU family and ELU (α ≥ 0), x > 0 exactly when y > 0, so the derivative can be taken
/// from the output alone; layers that fuse the activation in place rely on this.
///
/// At the kinks (x = 0) the derivative takes the value for x ≤ 0, as PyTorch does.
public enum Activation: Hashable, Sendable, CustomStringConvertible {
    case identity
    case sigmoid
    case tanh
    case relu
    case leakyReLU(alpha: Float)
    case elu(alpha: Float)
    case step

    /// All activations with their default parameters, for tables and tests.
    public static let allDefaults: [Activation] = [.identity, .sigmoid, .tanh, .relu, .leakyReLU(alpha: 0.01), .elu(alpha: 1), .step]

    /// The name used on the command line and in model files, e.g. `leaky_relu(0.01)`.
    public var description: String {
        switch self {
        case .identity: return "identity"
        case .sigmoid: return "sigmoid"
        case .tanh: return "tanh"
        case .relu: return "relu"
        case .leakyReLU(let a): return "leaky_relu(\(a))"
        case .elu(let a): return "elu(\(a))"
        case .step: return "step"
        }
    }

    /// Parses `identity`, `linear`, `sigmoid`, `tanh`, `relu`, `leaky_relu`, `leaky_relu(0.2)`, `elu`, `elu(0.5)`.
    public init?(name: String) {
        let s = name.lowercased().replacingOccurrences(of: "-", with: "_")
        var base = s
        var param: Float? = nil
        if let open = s.firstIndex(of: "("), s.hasSuffix(")") {
            base = String(s[..<open])
            guard let p = Float(s[s.index(after: open)..<s.index(before: s.endIndex)]), p.isFinite else { return nil }
            param = p
        }
        switch base {
        case "identity", "linear": self = .identity
        case "sigmoid": self = .sigmoid
        case "tanh": self = .tanh
        case "relu": self = .relu
        case "leaky_relu", "leakyrelu": self = .leakyReLU(alpha: param ?? 0.01)
        case "elu": self = .elu(alpha: param ?? 1)
        case "step", "heaviside": self = .step
        default: return nil
        }
        if param != nil, !(base.contains("leaky") || base == "elu") { return nil }
    }
}

/// Stored by name (`relu`, `leaky_relu(0.01)`, ...), as model files and the command line spell it.
extension Activation: Codable {
    public init(from decoder: Decoder) throws {
        let c = try decoder.singleValueContainer()
        let name = try c.decode(String.self)
        guard let a = Activation(name: name) else {
            throw DecodingError.dataCorruptedError(in: c, debugDescription: "unknown activation '\(name)'")
        }
        self = a
    }

    public func encode(to encoder: Encoder) throws {
        var c = encoder.singleValueContainer()
        try c.encode(description)
    }
}
