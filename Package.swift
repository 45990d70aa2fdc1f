// swift-tools-version: 6.2
// 6.2: SwiftPM accepts unsafe flags in versioned dependencies from this tools version on, so the
// SIMD target's `-target-cpu` flag does not stop another package from depending on Backprop.
import PackageDescription

/// The SIMD backend must be compiled for AVX2+FMA: on baseline x86-64, `SIMD.addingProduct`
/// becomes calls to `fmaf` (about 100x slower). `BACKPROP_FMA` tells the code the flag is set,
/// so `backprop backends` can report it (and warn when it is not).
/// Set BACKPROP_TARGET_CPU=native (or another LLVM CPU name) to override; `none` drops the flag.
let simdSettings: [SwiftSetting] = {
    #if arch(x86_64)
    let cpu = Context.environment["BACKPROP_TARGET_CPU"] ?? "haswell"
    if cpu == "none" { return [] }
    return [.unsafeFlags(["-target-cpu", cpu]), .define("BACKPROP_FMA")]
    #else
    return []
    #endif
}()

/// The same SIMD kernel sources compiled a second time for AVX-512 (`skylake-avx512`: F, CD, BW,
/// DQ, VL — Intel Skylake-SP and later, AMD Zen 4 and later), as module `BackpropSIMD512`
/// (`Kernels/SIMD512` is a link to `Kernels/SIMD`). The backends pick one of the two at run time
/// from CPUID (`ISALevel`), so one binary runs on every x86-64 CPU with AVX2.
let simd512Settings: [SwiftSetting] = {
    #if arch(x86_64)
    return [.unsafeFlags(["-target-cpu", "skylake-avx512"]), .define("BACKPROP_FMA"), .define("BACKPROP_AVX512")]
    #else
    return []
    #endif
}()

let package = Package(
    name: "Backprop",
    products: [
        .library(name: "Backprop", targets: ["Backprop"]),
        .library(name: "BackpropCore", targets: ["BackpropCore"]),
        .executable(name: "backprop", targets: ["BackpropCLI"]),
    ],
    // Opt-in data-parallel training over Open MPI (`--traits MPI`; needs Debian's openmpi-bin and
    // libopenmpi-dev). Without it nothing refers to MPI, and Backprop builds without Open MPI.
    traits: [.trait(name: "MPI", description: "Data-parallel training on Open MPI: backprop train --distributed")],
    dependencies: [
        .package(url: "https://github.com/apple/swift-argument-parser", from: "1.5.0"),
        // `swift package generate-documentation --target Backprop` (the plugin is built only when
        // invoked; resolving it adds no build time).
        .package(url: "https://github.com/swiftlang/swift-docc-plugin", from: "1.4.0"),
    ],
    targets: [
        // The contract: Backend protocol, tensors, registry, conformance suite. Depends on no backend.
        .target(name: "BackpropCore", path: "Sources/BackpropCore"),

        // One target per backend.
        .target(name: "BackpropNaive", dependencies: ["BackpropCore"], path: "Kernels/Naive"),
        .target(name: "BackpropSIMD", dependencies: ["BackpropCore", "CIntrinsics", "CWorkerJob"], path: "Kernels/SIMD",
                swiftSettings: simdSettings),
        .target(name: "BackpropSIMD512", dependencies: ["BackpropCore", "CIntrinsics", "CWorkerJob"], path: "Kernels/SIMD512",
                swiftSettings: simd512Settings),
        .systemLibrary(name: "CBLAS", path: "Kernels/CBLAS"),
        .target(name: "BackpropBLAS", dependencies: ["BackpropCore", "CBLAS"], path: "Kernels/BLAS"),

        // x86 instructions for the SIMD kernels (MXCSR for flush-to-zero, prefetch): a header of
        // static inline functions.
        .systemLibrary(name: "CIntrinsics", path: "Kernels/CIntrinsics"),
        // The SIMD worker pool's jobs: a Swift closure called on other threads without a
        // heap-allocated escaping copy (two words recorded and called through the Swift calling
        // convention; see its header).
        .target(name: "CWorkerJob", path: "Kernels/CWorkerJob"),
        // zlib, for gzip-compressed IDX files (Debian's zlib1g-dev).
        .systemLibrary(name: "CZlib", path: "Sources/CZlib"),

        // The umbrella: networks, training, data; registers the built-in backends.
        .target(name: "Backprop",
                dependencies: ["BackpropCore", "BackpropNaive", "BackpropSIMD", "BackpropSIMD512", "BackpropBLAS", "CZlib", "CIntrinsics"],
                path: "Sources/Backprop"),
        // Open MPI's C API (a header of handle functions) and the `Communicator` over it; compiled
        // to nothing without the MPI trait.
        .systemLibrary(name: "CMPI", path: "Sources/CMPI", pkgConfig: "ompi-c"),
        .target(name: "BackpropMPI",
                dependencies: ["Backprop", .target(name: "CMPI", condition: .when(traits: ["MPI"]))],
                path: "Sources/BackpropMPI"),
        .executableTarget(name: "BackpropCLI",
                          dependencies: ["Backprop", "BackpropMPI",
                                         .product(name: "ArgumentParser", package: "swift-argument-parser")],
                          path: "Sources/BackpropCLI"),

        .testTarget(name: "BackpropCoreTests", dependencies: ["BackpropCore", "BackpropNaive"],
                    path: "Tests/BackpropCoreTests"),
        .testTarget(name: "BackendTests", dependencies: ["Backprop"], path: "Tests/BackendTests"),
        // A backend defined outside the core, registered and validated without editing Backprop.
        .testTarget(name: "ExternalBackendTests", dependencies: ["Backprop"],
                    path: "Tests/ExternalBackendTests"),
        .testTarget(name: "BackpropTests", dependencies: ["Backprop"], path: "Tests/BackpropTests"),
        // Runs the built `backprop` binary: bad input, model round trips.
        .testTarget(name: "CLITests", dependencies: ["BackpropCLI", "Backprop"], path: "Tests/CLITests"),
    ]
)
