import CIntrinsics
import Foundation

/// Which build of the SIMD kernels runs: the same kernel sources are compiled twice, for AVX2 +
/// FMA (`BackpropSIMD`, `-target-cpu haswell`) and for AVX-512 (`BackpropSIMD512`,
/// `-target-cpu skylake-avx512`), and the backends choose at run time from CPUID, as OpenBLAS's
/// DYNAMIC_ARCH and oneDNN do. This code is compiled for baseline x86-64, so the check itself
/// runs on any CPU.
public enum SIMDLevel: String, CaseIterable, Sendable, Comparable, CustomStringConvertible {
    /// AVX2 and FMA: 16 ymm registers, 8 floats per register.
    case avx2
    /// AVX-512 F, CD, BW, DQ, VL with the OS saving the zmm state: 32 zmm registers, 16 floats.
    case avx512

    public var description: String { rawValue }

    public static func < (a: SIMDLevel, b: SIMDLevel) -> Bool { a == .avx2 && b == .avx512 }

    /// The CPU features a choice depends on, as CPUID and XGETBV report them.
    public struct Features: Sendable, Equatable {
        public var avx2: Bool
        public var fma: Bool
        /// AVX-512 F, CD, BW, DQ and VL, all of them.
        public var avx512: Bool
        /// CPUID.1:ECX.OSXSAVE, so that XGETBV may be asked.
        public var osxsave: Bool
        /// XCR0 (from XGETBV), 0 when OSXSAVE is off.
        public var xcr0: UInt64

        public init(avx2: Bool, fma: Bool, avx512: Bool, osxsave: Bool, xcr0: UInt64) {
            self.avx2 = avx2
            self.fma = fma
            self.avx512 = avx512
            self.osxsave = osxsave
            self.xcr0 = xcr0
        }

        /// This CPU's.
        public static let current: Features = {
            #if arch(x86_64)
            var r: [UInt32] = [0, 0, 0, 0]
            guard backprop_cpuid(1, 0, &r) != 0 else { return Features(avx2: false, fma: false, avx512: false, osxsave: false, xcr0: 0) }
            let ecx1 = r[2]
            let osxsave = ecx1 & (1 << 27) != 0
            let fma = ecx1 & (1 << 12) != 0
            var ebx7: UInt32 = 0
            if backprop_cpuid(7, 0, &r) != 0 { ebx7 = r[1] }
            let has = { (bit: UInt32) in ebx7 & (1 << bit) != 0 }
            return Features(avx2: has(5), fma: fma, avx512: has(16) && has(17) && has(28) && has(30) && has(31),
                            osxsave: osxsave, xcr0: osxsave ? backprop_xgetbv0() : 0)
            #else
            return Features(avx2: false, fma: false, avx512: false, osxsave: false, xcr0: 0)
            #endif
        }()
    }

    /// The best level `features` allow, and why (nil: not even AVX2 + FMA).
    public static func best(for f: Features) -> (level: SIMDLevel?, reason: String) {
        let ymmSaved = f.osxsave && f.xcr0 & 0b110 == 0b110          // SSE and AVX state
        let zmmSaved = f.osxsave && f.xcr0 & 0b1110_0110 == 0b1110_0110 // + opmask, ZMM_Hi256, Hi16_ZMM
        guard f.avx2 && f.fma && ymmSaved else {
            return (nil, "the CPU or OS lacks AVX2+FMA (avx2 \(f.avx2), fma \(f.fma), OS saves ymm \(ymmSaved))")
        }
        guard f.avx512 else { return (.avx2, "the CPU has AVX2+FMA but not AVX-512 F/CD/BW/DQ/VL") }
        guard zmmSaved else { return (.avx2, "the CPU has AVX-512 but the OS does not save the zmm state (XCR0 \(String(f.xcr0, radix: 16)))") }
        return (.avx512, "the CPU has AVX-512 F/CD/BW/DQ/VL and the OS saves the zmm state")
    }

    /// The level in use and why: the best this CPU allows, or a lower one forced with
    /// `BACKPROP_SIMD_ISA=avx2` (for tests and comparisons; asking for more than the CPU has is
    /// ignored, and the reason says so).
    public static func choose(features: Features, environment: [String: String]) -> (level: SIMDLevel?, reason: String) {
        let (best, why) = best(for: features)
        guard let forced = environment["BACKPROP_SIMD_ISA"], !forced.isEmpty else { return (best, why) }
        guard let level = SIMDLevel(rawValue: forced.lowercased()) else {
            return (best, "\(why); BACKPROP_SIMD_ISA=\(forced) is not avx2 or avx512, ignored")
        }
        guard let b = best, level <= b else { return (best, "\(why); BACKPROP_SIMD_ISA=\(forced) asks for more than it has, ignored") }
        return (level, level == b ? why : "forced by BACKPROP_SIMD_ISA=\(forced) (\(why))")
    }

    /// The level in use in this process.
    public static let selected: (level: SIMDLevel?, reason: String) =
        choose(features: .current, environment: ProcessInfo.processInfo.environment)
}
