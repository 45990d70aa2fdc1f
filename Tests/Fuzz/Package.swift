// swift-tools-version: 6.2
// libFuzzer harnesses for every parser that reads files, built from the public API:
//   swift build -c release --package-path Tests/Fuzz -Xswiftc -sanitize=fuzzer -Xswiftc -sanitize=address
//   Tests/Fuzz/.build/release/FuzzIDX Tests/Fuzz/Corpus/idx -max_total_time=60
// (`Tests/Fuzz/run` does both for every harness; the README's test command runs it briefly.)
import Foundation
import PackageDescription

/// A path dependency's identity is its folder's name, which depends on where Backprop is checked out.
let root = URL(fileURLWithPath: Context.packageDirectory).deletingLastPathComponent().deletingLastPathComponent()
    .lastPathComponent.lowercased()

let harnesses = ["FuzzIDX", "FuzzCSV", "FuzzSafeTensors", "FuzzModelFile"]

let package = Package(
    name: "BackpropFuzz",
    dependencies: [.package(path: "../..")],
    targets: [.target(name: "FuzzerDriver")] + harnesses.map { name in
        .executableTarget(name: name, dependencies: ["FuzzerDriver", .product(name: "Backprop", package: root)],
                          swiftSettings: [.unsafeFlags(["-parse-as-library"])])
    }
)
