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
    /// How many floats of parameters the layer will allocate (`Int.max` when that overflows), or
    /// nil when unknown (default) or when the settings are invalid (`makeLayer` then says why). Model files check it against the tensors they hold before
    /// building anything, so a damaged or crafted architecture cannot ask for terabytes.
    var parameterCount: Int? { get }
}

extension LayerConfiguration {
    public var parameterCount: Int? { nil }
}

/// Σ Π dims over `shapes` in checked arithmetic; `Int.max` on overflow or a negative dimension.
func checkedElementCount(_ shapes: [[Int]]) -> Int {
    var total = 0
    for s in shapes {
        var n = 1
        for d in s {
            guard d >= 0 else { return .max }
            let (m, o) = n.multipliedReportingOverflow(by: d)
            if o { return .max }
            n = m
        }
        let (t, o) = total.addingReportingOverflow(n)
        if o { return .max }
        total = t
    }
    return total
}

/// Why a configuration read from a file cannot build its layer, loss or model.
public struct ConfigurationError: Error, CustomStringConvertible, Equatable {
    public let description: String
    public init(_ message: String) { description = message }
}
