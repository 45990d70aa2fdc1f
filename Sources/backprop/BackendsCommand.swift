import ArgumentParser
import Backprop

struct BackendsCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "backends",
        abstract: "List the registered backends: description, threads, SIMD/FMA status, BLAS configuration, native ops.")

    @OptionGroup var compute: ComputeOptions

    func run() throws {
        for entry in Backends.registry.all {
            print("\(entry.name): \(entry.summary)")
            guard entry.isAvailable() else {
                print("  available: no (this CPU lacks what it was compiled for)")
                continue
            }
            let b = try compute.make(entry.name)
            print("  threads: \(b.threads)")
            for (k, v) in b.details { print("  \(k): \(v)") }
        }
        if !CPUFeatures.compiledWithFMA {
            print("warning: the SIMD backend was compiled without FMA (-target-cpu); it runs far below its speed. Build with the flags in Package.swift.")
        }
    }
}
