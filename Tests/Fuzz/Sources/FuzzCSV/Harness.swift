import Backprop
import FuzzerDriver

/// CSV text, then the table as a classification and as a regression set.
@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzOne(_ data: UnsafePointer<UInt8>?, _ size: Int) -> Int32 {
    guard let data, size > 0 else { return 0 }
    let text = String(decoding: UnsafeBufferPointer(start: data, count: size), as: UTF8.self)
    guard let table = try? CSVReader.parse(text, source: "fuzz") else { return 0 }
    _ = try? CSVReader.dataset(table, source: "fuzz", regression: false)
    _ = try? CSVReader.dataset(table, source: "fuzz", labelColumn: 0, regression: true)
    return 0
}

@_cdecl("FuzzCSV_main")
func fuzzerMain(_ argc: Int32, _ argv: UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>?) -> Int32 {
    var argc = argc
    var argv = argv
    return LLVMFuzzerRunDriver(&argc, &argv) { fuzzOne($0, $1) }
}
