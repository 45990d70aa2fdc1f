/// A recurrent layer's state: h (and c for an LSTM), [layers, batch, hidden] each — PyTorch's
/// `h_n` / `(h_n, c_n)`.
public struct RecurrentState {
    public var hidden: Tensor
    /// The LSTM's cell state; nil for RNN and GRU.
    public var cell: Tensor?

    public init(hidden: Tensor, cell: Tensor? = nil) {
        self.hidden = hidden
        self.cell = cell
    }
}
