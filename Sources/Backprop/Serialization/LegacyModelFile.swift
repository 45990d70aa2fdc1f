import Foundation

/// Reading files of the first model format, `backprop/1`: an `architecture` list of
/// `{kind, inputs, outputs, activation?, rate?}` and tensors `layers.I.weight` [in, out] (the
/// transpose of PyTorch's) and `layers.I.bias`.
enum LegacyModelFile {
    struct Spec: Decodable {
        var kind: String
        var inputs: Int
        var outputs: Int
        var activation: String?
        var rate: Float?
    }

    static func configurations(_ md: [String: String], path: String) throws -> (any ModelConfiguration, any LossConfiguration) {
        guard let text = md["architecture"], let specs = try? JSONDecoder().decode([Spec].self, from: Data(text.utf8)), !specs.isEmpty else {
            throw DataError(path, "metadata 'architecture' is missing or not a list of layers")
        }
        guard let lossName = md["loss"], let loss = LossKind(name: lossName) else {
            throw DataError(path, "metadata 'loss' is missing or unknown")
        }
        var layers: [any LayerConfiguration] = []
        for (i, s) in specs.enumerated() {
            func activation() throws -> Activation {
                guard let a = s.activation.flatMap(Activation.init(name:)) else {
                    throw DataError(path, "layer \(i): unknown activation '\(s.activation ?? "")'")
                }
                return a
            }
            switch s.kind {
            case "dense": layers.append(DenseConfiguration(inputs: s.inputs, outputs: s.outputs, activation: try activation()))
            case "activation": layers.append(ActivationConfiguration(size: s.inputs, activation: try activation()))
            case "dropout": layers.append(DropoutConfiguration(size: s.inputs, rate: s.rate ?? 0, seed: 0))
            case "softmax": layers.append(SoftmaxConfiguration(size: s.inputs))
            default: throw DataError(path, "layer \(i): unknown kind '\(s.kind)'")
            }
            if s.kind != "dense" && s.inputs != s.outputs { throw DataError(path, "layer \(i): \(s.kind) must keep its size") }
        }
        return (SequentialConfiguration(layers: layers), BuiltInLossConfiguration(loss))
    }

    /// The tensors renamed to the state dict of the same model (weights transposed to [out, in]).
    static func stateDict(_ tensors: [String: Tensor], architecture: any ModelConfiguration,
                          path: String) throws -> ([String: Tensor], [String]) {
        guard let seq = architecture as? SequentialConfiguration else { return (tensors, Array(tensors.keys)) }
        var out: [String: Tensor] = [:], order: [String] = []
        var module = 0
        for (i, c) in seq.layers.enumerated() {
            if let d = c as? DenseConfiguration {
                let w = try Dense<NaiveBackend>.tensor("layers.\(i).weight", shape: [d.inputs, d.outputs], in: tensors, source: path)
                let b = try Dense<NaiveBackend>.tensor("layers.\(i).bias", shape: [d.outputs], in: tensors, source: path)
                out["\(module).weight"] = Dense<NaiveBackend>.transposed(w, rows: d.inputs, cols: d.outputs)
                out["\(module).bias"] = b
                order += ["\(module).weight", "\(module).bias"]
                module += d.activation == .identity ? 1 : 2
            } else {
                module += 1
            }
        }
        for k in ["scaler.shift", "scaler.scale"] { out[k] = tensors[k] }
        return (out, order)
    }
}
