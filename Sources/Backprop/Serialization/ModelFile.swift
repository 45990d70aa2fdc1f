import Foundation

/// A trained model as a safetensors file.
///
/// Tensors: `layers.I.weight` [in, out] and `layers.I.bias` [out] for each dense layer I (the
/// weight is stored as used in Y = X·W, i.e. transposed relative to PyTorch's `Linear.weight`),
/// plus `scaler.shift` and `scaler.scale` [features] when features were scaled.
/// `__metadata__`: `format` = `backprop/1`, `architecture` = JSON array of `LayerSpec`
/// (kind, inputs, outputs, activation, rate), `loss`, `output_kind`, `classes`, `scaler`.
public struct ModelFile {
    public static let format = "backprop/1"

    public var architecture: [LayerSpec]
    public var loss: LossKind
    public var classes: Int?
    public var scalerKind: FeatureScaler.Kind?
    public var tensors: [String: Tensor]

    /// Describes `model` for saving.
    public init<B: Backend>(model: Sequential<B>, loss: LossKind, classes: Int?, scaler: FeatureScaler?) {
        architecture = model.specs
        self.loss = loss
        self.classes = classes
        scalerKind = scaler?.kind
        var t: [String: Tensor] = [:]
        for p in model.parameters { t[p.name] = p.value }
        if let s = scaler {
            t["scaler.shift"] = s.shift
            t["scaler.scale"] = s.scale
        }
        tensors = t
    }

    /// Saves atomically.
    public func save(to path: String) throws {
        let arch = String(decoding: try JSONEncoder().encode(architecture), as: UTF8.self)
        var md = ["format": Self.format, "architecture": arch, "loss": loss.rawValue]
        if let c = classes { md["classes"] = "\(c)" }
        if let s = scalerKind { md["scaler"] = s.rawValue }
        let names = tensors.keys.sorted { a, b in Self.order(a) < Self.order(b) }
        try SafeTensors.write(names.map { ($0, tensors[$0]!) }, metadata: md, to: path)
    }

    private static func order(_ name: String) -> (Int, String) {
        let parts = name.split(separator: ".")
        if parts.count == 3, parts[0] == "layers", let i = Int(parts[1]) { return (i, String(parts[2])) }
        return (Int.max, name)
    }

    /// Reads and validates a model file: the metadata must describe a chain of known layers and
    /// every tensor must have the shape the architecture implies.
    public static func load(_ path: String) throws -> ModelFile {
        let (tensors, _, md) = try SafeTensors.read(path)
        guard md["format"] == format else {
            throw DataError(path, "not a Backprop model (metadata format is \(md["format"].map { "'\($0)'" } ?? "missing"), expected '\(format)')")
        }
        guard let archText = md["architecture"],
              let arch = try? JSONDecoder().decode([LayerSpec].self, from: Data(archText.utf8)), !arch.isEmpty else {
            throw DataError(path, "metadata 'architecture' is missing or not a list of layers")
        }
        guard let lossName = md["loss"], let loss = LossKind(name: lossName) else {
            throw DataError(path, "metadata 'loss' is missing or unknown")
        }
        for (i, (a, b)) in zip(arch, arch.dropFirst()).enumerated() where a.outputs != b.inputs {
            throw DataError(path, "layer \(i) outputs \(a.outputs) but layer \(i + 1) takes \(b.inputs)")
        }
        for (i, s) in arch.enumerated() {
            guard s.inputs > 0, s.outputs > 0 else { throw DataError(path, "layer \(i): sizes must be positive") }
            switch s.kind {
            case "dense":
                guard let a = s.activation, Activation(name: a) != nil else { throw DataError(path, "layer \(i): unknown activation '\(s.activation ?? "")'") }
                for (name, shape) in [("weight", [s.inputs, s.outputs]), ("bias", [s.outputs])] {
                    guard let t = tensors["layers.\(i).\(name)"] else { throw DataError(path, "missing tensor layers.\(i).\(name)") }
                    guard t.shape == shape else {
                        throw DataError(path, "tensor layers.\(i).\(name) has shape \(t.shape); the architecture says \(shape)")
                    }
                }
            case "activation":
                guard let a = s.activation, Activation(name: a) != nil else { throw DataError(path, "layer \(i): unknown activation '\(s.activation ?? "")'") }
            case "dropout", "softmax":
                guard s.inputs == s.outputs else { throw DataError(path, "layer \(i): \(s.kind) must keep its size") }
                if s.kind == "dropout", let r = s.rate, !(r >= 0 && r < 1) { throw DataError(path, "layer \(i): dropout rate \(r) is outside [0, 1)") }
            default:
                throw DataError(path, "layer \(i): unknown kind '\(s.kind)'")
            }
        }
        var scaler: FeatureScaler.Kind? = nil
        if let k = md["scaler"] {
            guard let kind = FeatureScaler.Kind(rawValue: k) else { throw DataError(path, "unknown scaler '\(k)'") }
            guard let shift = tensors["scaler.shift"], let scale = tensors["scaler.scale"],
                  shift.shape == [arch[0].inputs], scale.shape == [arch[0].inputs] else {
                throw DataError(path, "scaler tensors missing or not of shape [\(arch[0].inputs)]")
            }
            scaler = kind
        }
        return ModelFile(architecture: arch, loss: loss, classes: md["classes"].flatMap { Int($0) }, scalerKind: scaler, tensors: tensors)
    }

    private init(architecture: [LayerSpec], loss: LossKind, classes: Int?, scalerKind: FeatureScaler.Kind?, tensors: [String: Tensor]) {
        self.architecture = architecture
        self.loss = loss
        self.classes = classes
        self.scalerKind = scalerKind
        self.tensors = tensors
    }

    /// The model on `backend`, with the stored weights.
    public func model<B: Backend>(on backend: B) -> Sequential<B> {
        var g = RandomGenerator(seed: 0)
        var layers: [any Layer<B>] = []
        for (i, s) in architecture.enumerated() {
            switch s.kind {
            case "dense":
                let d = Dense(backend, inputs: s.inputs, outputs: s.outputs, activation: Activation(name: s.activation!)!,
                              initializer: .zeros, generator: &g)
                d.weight.value.assign(from: tensors["layers.\(i).weight"]!)
                d.bias.value.assign(from: tensors["layers.\(i).bias"]!)
                layers.append(d)
            case "activation": layers.append(ActivationLayer(backend, Activation(name: s.activation!)!, size: s.inputs))
            case "dropout": layers.append(Dropout(backend, rate: s.rate ?? 0, size: s.inputs, generator: g))
            default: layers.append(Softmax(backend, size: s.inputs))
            }
        }
        return Sequential(backend, layers: layers)
    }

    /// The stored feature scaler, if any.
    public var scaler: FeatureScaler? {
        guard let k = scalerKind else { return nil }
        return FeatureScaler(kind: k, shift: tensors["scaler.shift"]!, scale: tensors["scaler.scale"]!)
    }
}
