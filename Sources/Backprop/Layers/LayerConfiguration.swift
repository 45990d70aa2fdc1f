/// A layer's kind and settings as a Codable value that can build the layer: what model files
/// record for each layer.
///
/// ```swift
/// struct ScaleConfiguration: LayerConfiguration {
///     var kind: String { "scale" }
///     var size: Int
///     func makeLayer<B: Backend>(on backend: B, generator: inout RandomGenerator) throws -> any Layer<B> {
///         ScaleLayer(backend, size: size)
///     }
/// }
/// LayerKinds.register(ScaleConfiguration.self, as: "scale")
/// ```
public protocol LayerConfiguration: Codable, Sendable {
    /// The kind name model files record; `LayerKinds` maps it back to this type.
    var kind: String { get }
    /// A new layer with these settings on `backend`, its weights initialised from `generator`.
    /// Throws a message (`DataError`-style text is fine) when the settings are invalid, e.g. read
    /// from a damaged file.
    func makeLayer<B: Backend>(on backend: B, generator: inout RandomGenerator) throws -> any Layer<B>
}

/// Why a configuration read from a file cannot build its layer, loss or model.
public struct ConfigurationError: Error, CustomStringConvertible, Equatable {
    public let description: String
    public init(_ message: String) { description = message }
}
