// swift-tools-version: 6.2
// Example programs, built by CI (`.ci/run`) so they cannot rot. Run one with
// `swift run -c release --package-path Examples QuickStart simd`.
import Foundation
import PackageDescription

/// A path dependency's identity is its folder's name, which depends on where Backprop is checked out.
let root = URL(fileURLWithPath: Context.packageDirectory).deletingLastPathComponent().lastPathComponent.lowercased()

let package = Package(
    name: "BackpropExamples",
    dependencies: [.package(path: "..")],
    targets: [
        // The README's "Swift API" example: a backend picked by name, train, save, load, evaluate.
        .executableTarget(name: "QuickStart", dependencies: [.product(name: "Backprop", package: root)]),
        // A layer of your own: forward, backward, a configuration that saves and loads.
        .executableTarget(name: "CustomLayer", dependencies: [.product(name: "Backprop", package: root)]),
        // Checkpoints: stop a run, resume it, get the uninterrupted run's weights bit for bit.
        .executableTarget(name: "CheckpointResume", dependencies: [.product(name: "Backprop", package: root)]),
        // The lecture's GradientTape training loop on Fashion-MNIST: record, gradient, apply.
        .executableTarget(name: "GradientTapeLoop", dependencies: [.product(name: "Backprop", package: root)]),
        // Layers and a loss written only as expressions (no backward code), trained on the spiral.
        .executableTarget(name: "ExpressionLayer", dependencies: [.product(name: "Backprop", package: root)]),
    ]
)
