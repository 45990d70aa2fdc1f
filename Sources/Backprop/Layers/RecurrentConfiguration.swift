/// The size checks and parameter counts the recurrent layers' configurations share.
enum RecurrentConfiguration {
    /// Parameters of `layers` stacked layers with `gates` gate blocks: layer 0 has
    /// G·H·(input + hidden) + 2·G·H, the others G·H·2·hidden + 2·G·H; nil for sizes out of range.
    static func parameterCount(gates g: Int, _ input: Int, _ hidden: Int, _ layers: Int) -> Int? {
        guard input > 0, hidden > 0, layers >= 1, layers <= 64 else { return nil }
        return checkedElementCount([[g, hidden, input], [g, hidden, hidden], [2, g, hidden],
                                    [layers - 1, g, hidden, 2 * hidden + 2]])
    }

    static func check(_ kind: String, _ input: Int, _ hidden: Int, _ layers: Int) throws {
        guard input > 0, hidden > 0, input <= 1 << 20, hidden <= 1 << 16, layers >= 1, layers <= 64 else {
            throw ConfigurationError("\(kind) layer with sizes \(input)→\(hidden) × \(layers) layers; sizes must be positive (input ≤ 2^20, hidden ≤ 2^16, 1…64 layers)")
        }
    }
}
