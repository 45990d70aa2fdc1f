import Backprop
import FuzzerDriver

/// Model files: safetensors, then the architecture and loss records, the layers built on the
/// reference backend and the state dict checked against them (both formats).
@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzOne(_ data: UnsafePointer<UInt8>?, _ size: Int) -> Int32 {
    guard let data, size > 0 else { return 0 }
    let bytes = [UInt8](UnsafeBufferPointer(start: data, count: size))
    if let file = try? ModelFile.parse(bytes, source: "fuzz") {
        _ = try? file.model(on: NaiveBackend())
    }
    return 0
}

@_cdecl("FuzzModelFile_main")
func fuzzerMain(_ argc: Int32, _ argv: UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>?) -> Int32 {
    var argc = argc
    var argv = argv
    return LLVMFuzzerRunDriver(&argc, &argv) { fuzzOne($0, $1) }
}
