// x86 instructions Swift cannot emit by itself, for the SIMD kernels. Static inline: nothing to
// link, and the calls compile to the single instruction.
#pragma once
#if defined(__x86_64__)
#include <xmmintrin.h>
// The SSE control/status register (MXCSR), for the kernels' flush-to-zero mode. fegetenv and
// fesetenv also save and load the whole x87 environment (~100+ cycles each).
static inline unsigned int backprop_mxcsr_get(void) { return _mm_getcsr(); }
static inline void backprop_mxcsr_set(unsigned int value) { _mm_setcsr(value); }
#endif
// Prefetch the cache line at p for writing (the GEMM microkernel's C tile).
static inline void backprop_prefetch_write(const void *p) { __builtin_prefetch(p, 1, 3); }

// A vector square root. SIMD16<Float>.squareRoot() compiles to 16 scalar sqrtss, each behind a
// branch to libm's sqrtf for negative inputs (errno); this is one vsqrtps per 8 floats.
// ext_vector_type(16) float is imported as SIMD16<Float>.
typedef float backprop_float16 __attribute__((ext_vector_type(16)));
static inline backprop_float16 backprop_sqrt16(backprop_float16 x) { return __builtin_elementwise_sqrt(x); }
// The even and the odd lanes of a followed by b (one vpermt2ps each with AVX-512), for the
// in-register transposes. SIMD32's evenHalf/oddHalf are generic lane loops that the optimiser
// sometimes leaves as calls (measured: the 16x16 transpose became 16 calls per round).
static inline backprop_float16 backprop_even16(backprop_float16 a, backprop_float16 b) {
    return __builtin_shufflevector(a, b, 0, 2, 4, 6, 8, 10, 12, 14, 16, 18, 20, 22, 24, 26, 28, 30);
}
static inline backprop_float16 backprop_odd16(backprop_float16 a, backprop_float16 b) {
    return __builtin_shufflevector(a, b, 1, 3, 5, 7, 9, 11, 13, 15, 17, 19, 21, 23, 25, 27, 29, 31);
}
// Prefetch the cache line at p for reading (loops whose arithmetic outlasts their loads).
static inline void backprop_prefetch_read(const void *p) { __builtin_prefetch(p, 0, 3); }

// CPUID and XGETBV, for choosing the SIMD kernels at run time (compiled into the caller, which is
// built for baseline x86-64: these instructions need no target feature).
#if defined(__x86_64__)
#include <cpuid.h>
// Registers eax, ebx, ecx, edx of CPUID leaf/subleaf into out[0..3]; returns 0 when the leaf is
// beyond the CPU's maximum.
static inline int backprop_cpuid(unsigned int leaf, unsigned int subleaf, unsigned int out[4]) {
    if (leaf > __get_cpuid_max(leaf & 0x80000000u, 0)) return 0;
    __cpuid_count(leaf, subleaf, out[0], out[1], out[2], out[3]);
    return 1;
}
// XCR0: which register states the OS saves on a context switch (bit 1 SSE, 2 AVX, 5-7 AVX-512).
// Only valid when CPUID.1:ECX.OSXSAVE[bit 27] is set.
static inline unsigned long long backprop_xgetbv0(void) {
    unsigned int eax, edx;
    __asm__ volatile("xgetbv" : "=a"(eax), "=d"(edx) : "c"(0));
    return ((unsigned long long)edx << 32) | eax;
}
#endif
