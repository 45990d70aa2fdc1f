import ArgumentParser
import Backprop
import Foundation

struct ImportCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "import",
        abstract: "Turn a PyTorch state dict (safetensors; F32, F64, F16 or BF16) of a torch.nn.Sequential MLP into a Backprop model file.",
        discussion: """
        The state dict must hold the tensors `torch.nn.Sequential(Linear, activation, Linear, ..., Linear)` names: \
        0.weight [out, in], 0.bias, 2.weight, ... (save it with safetensors.torch.save_file(model.state_dict(), PATH)).
        """)

    @Argument(help: "The state dict, a .safetensors file.")
    var stateDict: String

    @Option(help: "The layer sizes, input first, e.g. 784-256-128-10.")
    var architecture: String

    @Option(help: "The activation between layers: relu, leaky_relu[(α)], elu[(α)], tanh, sigmoid (default: relu).")
    var activation: String = "relu"

    @Option(help: "The loss the model is for: cross_entropy, bce, bce_logits, mse (default: cross_entropy).")
    var loss: String = "cross_entropy"

    @Option(help: "The number of classes, for classifiers (default: the output size, or 2 for one sigmoid output).")
    var classes: Int?

    @Option(help: "Where to write the Backprop model file.")
    var save: String

    func run() throws {
        let sizes = try architecture.split(separator: "-", omittingEmptySubsequences: false).map { s -> Int in
            guard let n = Int(s), n >= 1 else { throw CLIError("--architecture: '\(s)' is not a positive layer size (expected e.g. 784-256-10)") }
            return n
        }
        guard sizes.count >= 2 else { throw CLIError("--architecture: needs at least an input and an output size, got '\(architecture)'") }
        guard let act = Activation(name: activation), act != .step else { throw CLIError("--activation: unknown activation '\(activation)'") }
        guard let lossKind = LossKind(name: loss) else {
            throw CLIError("--loss: unknown loss '\(loss)'; expected \(LossKind.allCases.map(\.rawValue).joined(separator: ", "))")
        }
        if let c = classes, c < 1 { throw CLIError("--classes must be ≥ 1, got \(c)") }
        let (tensors, _, _) = try SafeTensors.read(stateDict)
        let backend = NaiveBackend()
        var g = RandomGenerator(seed: 0)
        let model = Sequential.mlp(backend, sizes: sizes, activation: act, output: lossKind.outputActivation, generator: &g)
        try model.loadStateDict(tensors, source: stateDict)
        let expected = Set(model.stateDict().map(\.name))
        if let extra = tensors.keys.sorted().first(where: { !expected.contains($0) }) {
            throw CLIError("\(stateDict): tensor \(extra) is not part of a \(architecture) MLP with \(act) (expected \(expected.sorted().joined(separator: ", ")))")
        }
        for (name, t) in tensors {
            if let bad = (0..<t.count).first(where: { !t.data[$0].isFinite }) {
                throw CLIError("\(stateDict): tensor \(name) holds \(t.data[bad]) at element \(bad); weights must be finite")
            }
        }
        let out = sizes.last!
        let cls: Int? = lossKind == .mse ? classes : (classes ?? (out == 1 ? 2 : out))
        try ModelFile(model: model, loss: BuiltInLossConfiguration(lossKind), classes: cls, scaler: nil).save(to: save)
        print("imported \(stateDict) (\(tensors.count) tensors, \(model.parameters.parameterCount) parameters) as \(save)")
    }
}
