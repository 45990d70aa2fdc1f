import ArgumentParser
import Backprop

struct BackendsCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "backends",
        abstract: "List the registered backends: what each is, its routing table (which kernels run which op group), threads and kernel details.")

    @OptionGroup var compute: ComputeOptions

    func run() throws {
        let (level, reason) = SIMDLevel.selected
        print("simd kernels: \(level.map { "\($0)" } ?? "none") — \(reason)")
        for entry in Backends.registry.all {
            print("\(entry.name): \(entry.summary)")
            guard entry.isAvailable() else {
                print("  available: no (this CPU lacks what it was compiled for)")
                continue
            }
            let b = try compute.make(entry.name)
            print("  threads: \(b.threads)")
            print("  routes:")
            let rows = b.routes.table
            let w0 = rows.map(\.group.count).max() ?? 0, w1 = rows.map(\.ops.count).max() ?? 0
            for r in rows {
                print("    " + r.group.padding(toLength: w0 + 2, withPad: " ", startingAt: 0)
                      + r.ops.padding(toLength: w1 + 2, withPad: " ", startingAt: 0) + "→ " + r.provider)
            }
            for (k, v) in b.details { print("  \(k): \(v)") }
        }
        if !CPUFeatures.compiledWithFMA {
            print("warning: the SIMD kernels were compiled without FMA (-target-cpu); they run far below their speed. Build with the flags in Package.swift.")
        }
    }
}
