// swift-tools-version: 6.1
// The benchmark suite, a package of its own so that ordo-one/benchmark (a ~2 minute first build)
// stays out of the main package's test build. Run: `cd Benchmarks && swift package benchmark`.
import Foundation
import PackageDescription

/// A path dependency's identity is its folder's name, which depends on where Backprop is checked out.
let root = URL(fileURLWithPath: Context.packageDirectory).deletingLastPathComponent().lastPathComponent.lowercased()

let package = Package(
    name: "BackpropBenchmarks",
    platforms: [.macOS(.v14)],
    dependencies: [
        .package(path: ".."),
        .package(url: "https://github.com/ordo-one/benchmark", from: "1.38.1", traits: ["MallocInterposer"]),
    ],
    targets: [
        .executableTarget(
            name: "BackpropBenchmarks",
            dependencies: [
                .product(name: "Backprop", package: root),
                .product(name: "Benchmark", package: "benchmark"),
            ],
            path: "Benchmarks/BackpropBenchmarks",
            plugins: [.plugin(name: "BenchmarkPlugin", package: "benchmark")]
        ),
    ]
)
