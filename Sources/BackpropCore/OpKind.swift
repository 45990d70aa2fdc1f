/// The kernels of the `Backend` contract, by name: used for capabilities (`Backend.supports(_:)`),
/// fallback routing and conformance tables.
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

    public static func < (a: OpKind, b: OpKind) -> Bool {
        allCases.firstIndex(of: a)! < allCases.firstIndex(of: b)!
    }
}
