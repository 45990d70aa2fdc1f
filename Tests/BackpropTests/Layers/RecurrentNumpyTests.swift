import Backprop
import Foundation
import XCTest

/// The recurrent layers against a float64 numpy transcription of PyTorch's documented
/// `torch.nn.LSTM` and `torch.nn.GRU` equations, from the state dict as Backprop exports it
/// (PyTorch's names and layouts), two stacked layers and a given initial state: the weights,
/// input, initial state and Backprop's outputs go to a safetensors file that numpy reads.
final class RecurrentNumpyTests: XCTestCase {
    static let script = """
    import sys, numpy as np
    from safetensors.numpy import load_file
    t = {k: v.astype(np.float64) for k, v in load_file(sys.argv[1]).items()}
    cell, layers = sys.argv[2], int(sys.argv[3])
    sig = lambda v: 1 / (1 + np.exp(-v))
    x = t["x"]; T = x.shape[0]
    for l in range(layers):
        Wi, Wh, bi, bh = (t[f"0.{n}_l{l}"] for n in ("weight_ih", "weight_hh", "bias_ih", "bias_hh"))
        h = t["h0"][l]; c = t["c0"][l] if cell == "lstm" else None
        out = []
        for s in range(T):
            gi = x[s] @ Wi.T + bi; gh = h @ Wh.T + bh
            if cell == "lstm":
                i, f, g, o = np.split(gi + gh, 4, axis=1)
                c = sig(f) * c + sig(i) * np.tanh(g); h = sig(o) * np.tanh(c)
            else:
                ir, iz, inn = np.split(gi, 3, axis=1); hr, hz, hn = np.split(gh, 3, axis=1)
                r = sig(ir + hr); z = sig(iz + hz); n = np.tanh(inn + r * hn)
                h = (1 - z) * n + z * h
            out.append(h)
        x = np.stack(out)
    print(repr(float(np.abs(x - t["y"]).max())))
    """

    /// Also at H = 128 over 8 x 9 rows, where a forward makes W_hhᵀ in 128-column panels and runs
    /// each step's recurrent GEMM panel by panel (4 for the LSTM's 4H, 3 for the GRU's 3H).
    func testLSTMAndGRUMatchNumpyFromTheExportedStateDict() throws {
        for (t, b, d, h) in [(7, 3, 5, 6), (8, 9, 5, 128)] {
            try match(t: t, b: b, d: d, h: h)
        }
    }

    func match(t: Int, b: Int, d: Int, h: Int) throws {
        for cell in ["lstm", "gru"] {
            try forEachBackend { backend in
                var g = RandomGenerator(seed: 21)
                let layer: Recurrent<RoutedBackend> = cell == "lstm"
                    ? LSTM(backend, inputSize: d, hiddenSize: h, layers: 2, generator: &g)
                    : GRU(backend, inputSize: d, hiddenSize: h, layers: 2, generator: &g)
                let x = randomTensor([t, b, d], &g)
                let h0 = randomTensor([2, b, h], &g), c0 = randomTensor([2, b, h], &g)
                layer.initialState = RecurrentState(hidden: h0, cell: cell == "lstm" ? c0 : nil)
                let y = layer.forward(TensorView(x), training: false)
                let out = Tensor(shape: [t, b, h])
                out.data.update(from: y.data, count: out.count)
                let path = FileManager.default.temporaryDirectory.appendingPathComponent("rnn-\(UUID()).safetensors").path
                defer { try? FileManager.default.removeItem(atPath: path) }
                try SafeTensors.write(layer.stateDict(moduleIndex: 0) + [("x", x), ("y", out), ("h0", h0), ("c0", c0)], metadata: [:], to: path)
                let p = Process()
                p.executableURL = URL(fileURLWithPath: "/usr/bin/env")
                p.arguments = ["python3", "-c", Self.script, path, cell, "2"]
                let pipe = Pipe(), err = Pipe()
                (p.standardOutput, p.standardError) = (pipe, err)
                try p.run()
                p.waitUntilExit()
                let text = String(decoding: pipe.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
                XCTAssertEqual(p.terminationStatus, 0, "python3 with numpy and safetensors: \(String(decoding: err.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self))")
                let worst = try XCTUnwrap(Double(text.trimmingCharacters(in: .whitespacesAndNewlines)), text)
                print("\(cell) \(backend.name) H=\(h): largest |y − y_numpy| = \(worst)")
                XCTAssertLessThanOrEqual(worst, 1e-5, "\(cell) \(backend.name) H=\(h)")
            }
        }
    }
}
