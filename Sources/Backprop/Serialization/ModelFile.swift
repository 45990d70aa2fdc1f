import Foundation

/// A trained model as a safetensors file that PyTorch users can load as it is.
///
/// **Tensors** are the model's `stateDict()`: named and laid out as `torch.nn.Sequential` of
/// `Linear` and activation modules names them — `0.weight` [out, in], `0.bias` [out], `2.weight`,
/// ... (a dense layer with an activation is two modules) — so
/// `model.load_state_dict(safetensors.torch.load_file(path))` works on the equivalent PyTorch
/// model, and outputs are x @ W.T + b. A fitted feature scaler adds `scaler.shift` and
/// `scaler.scale` [features].
///
/// **`__metadata__`**: `format` = `backprop/2`; `architecture` = the model's configuration as JSON
/// (`{"kind": "sequential", "config": {"layers": [{"kind": "dense", "config": {...}}, ...]}}`);
/// `loss` = the loss's (`{"kind": "cross_entropy", "config": {...}}`); `torch` = the equivalent
/// `torch.nn.Sequential`, as PyTorch prints it; `classes` and `scaler` when there are any.
///
/// Files of the first format (`backprop/1`: `layers.I.weight` [in, out]) still load.
public struct ModelFile {
    public static let format = "backprop/2"
    static let legacyFormat = "backprop/1"

    public var architecture: any ModelConfiguration
    public var loss: any LossConfiguration
    public var classes: Int?
    public var scaler: FeatureScaler?
    /// The state dict, PyTorch-named.
    public var tensors: [String: Tensor]
    /// The state dict's names, in model order.
    public var order: [String]
    /// The equivalent `torch.nn.Sequential`, when known.
    public var torchDescription: String?
    /// A language model's tokens (metadata `vocabulary`, JSON `{"tokens": "bytes", "symbols": [...]}`).
    public var vocabulary: Vocabulary?

    /// Describes `model` for saving.
    public init(model: any Model, loss: any LossConfiguration, classes: Int?, scaler: FeatureScaler?) {
        architecture = model.configuration
        self.loss = loss
        self.classes = classes
        self.scaler = scaler
        let dict = model.stateDict()
        tensors = Dictionary(dict.map { ($0.name, $0.tensor) }, uniquingKeysWith: { a, _ in a })
        order = dict.map(\.name)
        torchDescription = (model as? any TorchDescribable)?.torchDescription
    }

    /// The metadata and tensors as saved.
    func contents() throws -> (metadata: [String: String], tensors: [(name: String, tensor: Tensor)]) {
        var md = ["format": Self.format,
                  "architecture": try Self.encode(kind: architecture.kind, architecture),
                  "loss": try Self.encode(kind: loss.kind, loss)]
        if let c = classes { md["classes"] = "\(c)" }
        if let v = vocabulary { md["vocabulary"] = try Self.json(v) }
        if let t = torchDescription { md["torch"] = t }
        var list = order.map { ($0, tensors[$0]!) }
        if let s = scaler {
            md["scaler"] = s.kind.rawValue
            list += [("scaler.shift", s.shift), ("scaler.scale", s.scale)]
        }
        return (md, list)
    }

    /// Saves atomically (a temporary file renamed into place).
    public func save(to path: String) throws {
        let (md, list) = try contents()
        try SafeTensors.write(list, metadata: md, to: path)
    }

    /// Reads and validates a model file: the metadata must describe a model of registered kinds
    /// whose layers chain, every tensor must have the shape the architecture implies, and every
    /// value must be finite.
    public static func load(_ path: String) throws -> ModelFile {
        let (tensors, order, md) = try SafeTensors.read(path)
        return try ModelFile(path: path, tensors: tensors, order: order, metadata: md)
    }

    /// Parses and validates the bytes of a model file (as `load` does); `source` names it in errors.
    public static func parse(_ bytes: [UInt8], source: String) throws -> ModelFile {
        let (tensors, order, md) = try SafeTensors.parse(bytes, source: source)
        return try ModelFile(path: source, tensors: tensors, order: order, metadata: md)
    }

    /// A model file from what a safetensors file held (`path` names it in errors).
    init(path: String, tensors: [String: Tensor], order: [String], metadata md: [String: String]) throws {
        var tensors = tensors, order = order
        switch md["format"] {
        case Self.format?:
            guard let archText = md["architecture"] else { throw DataError(path, "metadata 'architecture' is missing") }
            architecture = try Self.decodeModel(archText, path: path)
            guard let lossText = md["loss"] else { throw DataError(path, "metadata 'loss' is missing") }
            loss = try Self.decodeLoss(lossText, path: path)
        case Self.legacyFormat?:
            (architecture, loss) = try LegacyModelFile.configurations(md, path: path)
            (tensors, order) = try LegacyModelFile.stateDict(tensors, architecture: architecture, path: path)
        default:
            throw DataError(path, "not a Backprop model (metadata format is \(md["format"].map { "'\($0)'" } ?? "missing"), expected '\(Self.format)')")
        }
        if let c = md["classes"] {
            guard let n = Int(c), n >= 1 else { throw DataError(path, "metadata 'classes' is '\(c)'; expected a positive integer") }
            classes = n
        } else {
            classes = nil
        }
        torchDescription = md["torch"]
        if let v = md["vocabulary"] {
            do {
                vocabulary = try JSONDecoder().decode(Vocabulary.self, from: Data(v.utf8))
            } catch {
                throw DataError(path, "metadata 'vocabulary': \(Self.describe(error))")
            }
            if let c = classes, c != vocabulary!.count {
                throw DataError(path, "metadata 'vocabulary' has \(vocabulary!.count) tokens but 'classes' is \(c)")
            }
        } else {
            vocabulary = nil
        }
        // Sizes in the architecture are untrusted: a large architecture's parameters must be in
        // the file before anything of that size is allocated (a small one is built and checked
        // tensor by tensor below, with the precise message).
        if let declared = architecture.parameterCount, declared > 1 << 24 {
            let held = tensors.values.reduce(0) { $0 + $1.count }
            guard declared <= held else {
                throw DataError(path, "the architecture declares \(declared == .max ? "more than 2^63" : "\(declared)") parameters but the file holds \(held) values")
            }
        }
        // Build the model once on the reference to check that it chains and that the tensors fit.
        var g = RandomGenerator(seed: 0)
        let probe: any Model<NaiveBackend>
        do {
            probe = try architecture.makeModel(on: NaiveBackend(), generator: &g)
        } catch {
            throw DataError(path, "architecture: \(error)")
        }
        try probe.loadStateDict(tensors, source: path)
        for (name, t) in tensors {
            if let bad = (0..<t.count).first(where: { !t.data[$0].isFinite }) {
                throw DataError(path, "tensor \(name) holds \(t.data[bad]) at element \(bad); a model's weights must be finite")
            }
        }
        if let k = md["scaler"] {
            guard let kind = FeatureScaler.Kind(rawValue: k) else { throw DataError(path, "unknown scaler '\(k)'") }
            let d = probe.inputSize
            guard let shift = tensors["scaler.shift"], let scale = tensors["scaler.scale"], shift.shape == [d], scale.shape == [d] else {
                throw DataError(path, "scaler tensors missing or not of shape [\(d)]")
            }
            scaler = FeatureScaler(kind: kind, shift: shift, scale: scale)
        } else {
            scaler = nil
        }
        tensors["scaler.shift"] = nil
        tensors["scaler.scale"] = nil
        self.tensors = tensors
        self.order = order.filter { tensors[$0] != nil }
    }

    /// The model on `backend`, with the stored weights.
    public func model<B: Backend>(on backend: B) throws -> any Model<B> {
        var g = RandomGenerator(seed: 0)
        let m = try architecture.makeModel(on: backend, generator: &g)
        try m.loadStateDict(tensors, source: "model file")
        return m
    }

    /// The loss the model was trained with, on `backend`.
    public func makeLoss<B: Backend>(on backend: B) throws -> any Loss<B> { try loss.makeLoss(on: backend) }

    /// The built-in loss kind, when the loss is one.
    public var lossKind: LossKind? { (loss as? BuiltInLossConfiguration)?.loss }

    // MARK: Configuration records: {"kind": ..., "config": ...}

    struct Record<C: Encodable>: Encodable {
        let kind: String
        let config: C
    }

    struct KindOnly: Decodable { let kind: String }

    struct ConfigOf<C: Decodable>: Decodable { let config: C }

    static func encode<C: Encodable>(kind: String, _ c: C) throws -> String {
        try json(Record(kind: kind, config: c))
    }

    /// JSON with sorted keys: a keyed container's order otherwise changes from process to
    /// process, and the same model must give the same file.
    static func json<T: Encodable>(_ value: T) throws -> String {
        let e = JSONEncoder()
        e.outputFormatting = [.sortedKeys]
        return String(decoding: try e.encode(value), as: UTF8.self)
    }

    static func decodeModel(_ text: String, path: String) throws -> any ModelConfiguration {
        let data = Data(text.utf8)
        guard let k = try? JSONDecoder().decode(KindOnly.self, from: data) else {
            throw DataError(path, "metadata 'architecture' is not a {\"kind\", \"config\"} record")
        }
        guard let type = ModelKinds.type(k.kind) else {
            throw DataError(path, "architecture: unknown model kind '\(k.kind)'; a model defined outside Backprop must be registered with ModelKinds.register")
        }
        do {
            return try open(type, data)
        } catch let e as ConfigurationError {
            throw DataError(path, "architecture: \(e)")
        } catch {
            throw DataError(path, "architecture: \(describe(error))")
        }
    }

    static func decodeLoss(_ text: String, path: String) throws -> any LossConfiguration {
        let data = Data(text.utf8)
        guard let k = try? JSONDecoder().decode(KindOnly.self, from: data) else {
            throw DataError(path, "metadata 'loss' is not a {\"kind\", \"config\"} record")
        }
        guard let type = LossKinds.type(k.kind) else {
            throw DataError(path, "loss: unknown kind '\(k.kind)' (known: \(LossKinds.names.joined(separator: ", "))); a loss defined outside Backprop must be registered with LossKinds.register")
        }
        do {
            return try open(type, data)
        } catch {
            throw DataError(path, "loss: \(describe(error))")
        }
    }

    private static func open<C: Decodable>(_ type: C.Type, _ data: Data) throws -> C {
        try JSONDecoder().decode(ConfigOf<C>.self, from: data).config
    }

    /// A decoding error in one line: what is wrong and where.
    static func describe(_ error: Error) -> String {
        switch error {
        case DecodingError.keyNotFound(let key, let ctx):
            return "missing '\(key.stringValue)'" + path(ctx.codingPath)
        case DecodingError.typeMismatch(_, let ctx), DecodingError.valueNotFound(_, let ctx):
            return "wrong type" + path(ctx.codingPath) + ": " + ctx.debugDescription
        case DecodingError.dataCorrupted(let ctx):
            return ctx.debugDescription + path(ctx.codingPath)
        default:
            return "\(error)"
        }
    }

    private static func path(_ p: [CodingKey]) -> String {
        p.isEmpty ? "" : " at " + p.map { $0.intValue.map { "[\($0)]" } ?? $0.stringValue }.joined(separator: ".")
    }
}

/// A model that can print the equivalent `torch.nn.Sequential` (saved as the `torch` metadata).
public protocol TorchDescribable {
    var torchDescription: String { get }
}

extension Sequential: TorchDescribable {
    /// The equivalent `torch.nn.Sequential`, as PyTorch prints it.
    public var torchDescription: String {
        let modules = layers.flatMap(\.torchModules)
        return "Sequential(\n" + modules.enumerated().map { "  (\($0.offset)): \($0.element)" }.joined(separator: "\n") + "\n)"
    }
}
