/// An elementwise map y = f(x).
///
/// `activation` covers sigmoid, tanh, ReLU, leaky ReLU, ELU and identity; the others are the plain
/// maths functions: e^x, ln x (NaN for x < 0, −∞ at 0), √x, x², |x|, −x, and sign x (−1, 0 or 1;
/// the subgradient of |x| used by L1 penalties). NaN inputs give NaN outputs for every map (ReLU
/// included), except the step activation, which maps NaN to 0.
public enum UnaryOp: Hashable, Sendable, CustomStringConvertible {
    case activation(Activation)
    case exp
    case log
    case sqrt
    case square
    case abs
    case negate
    case sign

    /// Every map, with default activation parameters: the conformance suite walks this list.
    public static let all: [UnaryOp] = Activation.allDefaults.map { .activation($0) } + [.exp, .log, .sqrt, .square, .abs, .negate, .sign]

    public var description: String {
        switch self {
        case .activation(let a): return a.description
        case .exp: return "exp"
        case .log: return "log"
        case .sqrt: return "sqrt"
        case .square: return "square"
        case .abs: return "abs"
        case .negate: return "negate"
        case .sign: return "sign"
        }
    }
}
