import Foundation
import XCTest

/// Model files are PyTorch state dicts: numpy reproduces Backprop's outputs from them as
/// x @ W.T + b through the activations, and a state dict written outside Backprop, with F64, F16
/// and BF16 tensors, imports and predicts what numpy computes from it.
final class TorchStateDictTests: CLITestCase {
    func python(_ script: String) throws -> String {
        let r = try CLI.run(URL(fileURLWithPath: "/usr/bin/env"), ["python3", "-c", script])
        XCTAssertEqual(r.status, 0, "python3 with numpy and safetensors must be installed: \(r.stderr)")
        return r.stdout
    }

    /// The rows of `backprop predict`'s output after the header, without the class column.
    func predictions(_ stdout: String, classColumn: Bool = true) -> [[Double]] {
        stdout.split(separator: "\n").dropFirst().map { line in
            line.split(separator: ",").dropFirst(classColumn ? 1 : 0).map { Double($0)! }
        }
    }

    func assertClose(_ a: [[Double]], _ b: [[Double]], tolerance: Double, file: StaticString = #filePath, line: UInt = #line) {
        XCTAssertEqual(a.count, b.count, file: file, line: line)
        for (r, s) in zip(a, b) {
            XCTAssertEqual(r.count, s.count, file: file, line: line)
            for (x, y) in zip(r, s) { XCTAssertEqual(x, y, accuracy: tolerance, "\(r) vs \(s)", file: file, line: line) }
        }
    }

    func testExportedWeightsReproduceBackpropsOutputsInNumpy() throws {
        let model = dir.appendingPathComponent("m.safetensors").path
        let t = try CLI.run(["train", "--dataset", "circles", "--layers", "8,4", "--activation", "tanh", "--epochs", "3",
                             "--quiet", "--save", model])
        XCTAssertEqual(t.status, 0, t.stderr)
        let rows = "0.5,-0.25\n-1.0,0.75\n0.1,0.2\n"
        let input = try file("x.csv", rows)
        let p = try CLI.run(["predict", "--model", model, "--input", input])
        XCTAssertEqual(p.status, 0, p.stderr)
        let ours = predictions(p.stdout)
        let out = try python("""
        import numpy as np
        from safetensors import safe_open
        from safetensors.numpy import load_file
        w = load_file("\(model)")
        x = np.array([[0.5, -0.25], [-1.0, 0.75], [0.1, 0.2]], dtype=np.float64)
        h = np.tanh(x @ w["0.weight"].T + w["0.bias"])
        h = np.tanh(h @ w["2.weight"].T + w["2.bias"])
        z = h @ w["4.weight"].T + w["4.bias"]
        p = np.exp(z - z.max(axis=1, keepdims=True)); p /= p.sum(axis=1, keepdims=True)
        for row in p: print(",".join(repr(float(v)) for v in row))
        with safe_open("\(model)", "np") as f: print(f.metadata()["torch"].replace("\\n", "|"))
        """)
        let lines = out.split(separator: "\n")
        let numpy = lines.prefix(3).map { $0.split(separator: ",").map { Double($0)! } }
        assertClose(ours, numpy, tolerance: 2e-6)
        XCTAssertTrue(lines.last!.contains("(0): Linear(in_features=2, out_features=8, bias=True)|  (1): Tanh()|  (2): Linear(in_features=8, out_features=4"),
                      String(lines.last!))
    }

    func testAStateDictWithF64F16AndBF16TensorsImports() throws {
        let state = dir.appendingPathComponent("state.safetensors").path
        // Written by hand in the safetensors layout (numpy has no bfloat16): 0.weight F64,
        // 0.bias F16, 2.weight BF16, 2.bias F32; numpy computes the expected outputs from the
        // values as stored.
        let out = try python("""
        import json, struct, numpy as np
        rng = np.random.default_rng(7)
        w0 = rng.normal(size=(4, 3)); b0 = rng.normal(size=4).astype(np.float16)
        w2 = rng.normal(size=(2, 4)).astype(np.float32); b2 = rng.normal(size=2).astype(np.float32)
        w2_bf16 = (w2.view(np.uint32) >> 16).astype(np.uint16)          # truncated to bfloat16
        blobs = [("0.weight", "F64", w0.shape, w0.astype("<f8").tobytes()),
                 ("0.bias", "F16", b0.shape, b0.astype("<f2").tobytes()),
                 ("2.weight", "BF16", w2.shape, w2_bf16.astype("<u2").tobytes()),
                 ("2.bias", "F32", b2.shape, b2.astype("<f4").tobytes())]
        header, offset = {"__metadata__": {"format": "pt"}}, 0
        for name, dtype, shape, data in blobs:
            header[name] = {"dtype": dtype, "shape": list(shape), "data_offsets": [offset, offset + len(data)]}
            offset += len(data)
        h = json.dumps(header).encode(); h += b" " * (-len(h) % 8)
        with open("\(state)", "wb") as f:
            f.write(struct.pack("<Q", len(h))); f.write(h)
            for _, _, _, data in blobs: f.write(data)
        W0 = w0.astype(np.float32).astype(np.float64); B0 = b0.astype(np.float64)
        W2 = (w2_bf16.astype(np.uint32) << 16).view(np.float32).astype(np.float64); B2 = b2.astype(np.float64)
        x = np.array([[0.5, -1.0, 2.0], [0.0, 0.25, -0.5]])
        z = np.maximum(x @ W0.T + B0, 0) @ W2.T + B2
        p = np.exp(z - z.max(axis=1, keepdims=True)); p /= p.sum(axis=1, keepdims=True)
        for row in p: print(",".join(repr(float(v)) for v in row))
        """)
        let numpy = out.split(separator: "\n").map { $0.split(separator: ",").map { Double($0)! } }
        let model = dir.appendingPathComponent("imported.safetensors").path
        let i = try CLI.run(["import", state, "--architecture", "3-4-2", "--activation", "relu", "--save", model])
        XCTAssertEqual(i.status, 0, i.stderr)
        let input = try file("x.csv", "0.5,-1.0,2.0\n0.0,0.25,-0.5\n")
        let p = try CLI.run(["predict", "--model", model, "--input", input])
        XCTAssertEqual(p.status, 0, p.stderr)
        assertClose(predictions(p.stdout), numpy, tolerance: 2e-6)
        // A state dict of another architecture is refused with the tensor's name.
        try assertFails(["import", state, "--architecture", "3-5-2", "--save", model], "tensor 0.weight has shape [4, 3]; the architecture says [5, 3]")
        try assertFails(["import", state, "--architecture", "3-4", "--save", model], "tensor 2.bias is not part of a 3-4 MLP")
    }
}
