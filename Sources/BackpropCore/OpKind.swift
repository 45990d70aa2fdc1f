/// The kernels of the `Backend` contract, by name: for routing tables, conformance tables and
/// `backprop conformance --op`.
public enum OpKind: String, CaseIterable, Hashable, Sendable, Comparable {
    case gemm
    case unary
    case activationGradient = "activation_gradient"
    case binary
    case axpy
    case scale
    case biasActivation = "bias_activation"
    case adamStep = "adam_step"
    case reduce
    case argmax
    case softmax
    case fill
    case copy
    case randomUniform = "random_uniform"
    case randomNormal = "random_normal"
    case solve
    case transpose
    case lstmCell = "lstm_cell"
    case gruCell = "gru_cell"

    /// The kernel group the op belongs to.
    public var group: KernelGroup {
        switch self {
        case .gemm: return .gemm
        case .axpy, .scale, .copy: return .vector
        case .unary, .activationGradient, .binary, .biasActivation, .fill, .transpose, .lstmCell, .gruCell: return .elementwise
        case .reduce, .argmax, .softmax: return .reduction
        case .randomUniform, .randomNormal: return .random
        case .adamStep: return .optimizer
        case .solve: return .solver
        }
    }

    public static func < (a: OpKind, b: OpKind) -> Bool {
        allCases.firstIndex(of: a)! < allCases.firstIndex(of: b)!
    }
}
