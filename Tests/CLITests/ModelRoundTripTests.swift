import Foundation
import XCTest

final class ModelRoundTripTests: CLITestCase {
    func testSavedModelEvaluatesToTheSameAccuracyAndReport() throws {
        let model = dir.appendingPathComponent("moons.safetensors").path
        let report = dir.appendingPathComponent("report.json").path
        let t = try CLI.run(["train", "--dataset", "moons", "--layers", "16,16", "--epochs", "20", "--batch-size", "32", "--lr", "0.01",
                             "--backend", "simd", "--save", model, "--report", report])
        XCTAssertEqual(t.status, 0, t.stderr)
        XCTAssertTrue(t.stdout.contains("epoch 20/20"), t.stdout)
        let trainAcc = try XCTUnwrap(accuracy(t.stdout))
        XCTAssertGreaterThan(trainAcc, 0.95)
        for backend in ["naive", "blas", "simd"] {
            let e = try CLI.run(["evaluate", "--model", model, "--dataset", "moons", "--backend", backend])
            XCTAssertEqual(e.status, 0, e.stderr)
            XCTAssertEqual(accuracy(e.stdout), trainAcc, "\(backend): \(e.stdout)")
        }
        let json = try JSONSerialization.jsonObject(with: Data(contentsOf: URL(fileURLWithPath: report))) as! [String: Any]
        for key in ["backend", "threads", "epochs", "test_accuracy", "test_loss", "train_seconds", "samples_per_second", "history"] {
            XCTAssertNotNil(json[key], "report has \(key)")
        }
        XCTAssertEqual(json["test_accuracy"] as? Double ?? 0, Double(trainAcc), accuracy: 1e-4)
        XCTAssertEqual((json["history"] as? [Any])?.count, 20)
        // predict: one line per row, a class and probabilities.
        let input = try file("in.csv", "0.0,1.0\n1.0,-0.5\n")
        let p = try CLI.run(["predict", "--model", model, "--input", input])
        XCTAssertEqual(p.status, 0, p.stderr)
        XCTAssertEqual(p.stdout.split(separator: "\n").first, "class,p0,p1")
        XCTAssertEqual(p.stdout.split(separator: "\n").count, 3)
    }

    func accuracy(_ s: String) -> Float? {
        guard let r = s.range(of: "test accuracy ") else { return nil }
        return Float(s[r.upperBound...].prefix(6))
    }

    /// The file is standard safetensors: Python's reference reader loads every tensor with
    /// PyTorch's state-dict names and shapes (CI installs the `safetensors` package; see README).
    func testPythonSafetensorsReadsTheModel() throws {
        let model = dir.appendingPathComponent("m.safetensors").path
        let t = try CLI.run(["train", "--dataset", "circles", "--layers", "8", "--epochs", "1", "--quiet", "--save", model])
        XCTAssertEqual(t.status, 0, t.stderr)
        let script = """
        from safetensors.numpy import load_file
        from safetensors import safe_open
        t = load_file("\(model)")
        print(sorted((k, v.shape, str(v.dtype)) for k, v in t.items()))
        with safe_open("\(model)", "np") as f:
            print(f.metadata()["format"])
        """
        let r = try CLI.run(URL(fileURLWithPath: "/usr/bin/env"), ["python3", "-c", script])
        XCTAssertEqual(r.status, 0, "python3 with the safetensors package must be installed: \(r.stderr)")
        XCTAssertTrue(r.stdout.contains("('0.bias', (8,), 'float32'), ('0.weight', (8, 2), 'float32'), "
                                        + "('2.bias', (2,), 'float32'), ('2.weight', (2, 8), 'float32')"), r.stdout)
        XCTAssertTrue(r.stdout.contains("backprop/2"))
    }
}
