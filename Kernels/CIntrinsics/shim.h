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
// An 8x8 block transposed with AVX2's in-lane shuffles only, dst[q·ldd + c] = src[c·lds + q]:
// rows c and c + 4 go into one register as two 128-bit halves (a load and a vinsertf128), then
// each half is a 4x4 transpose (unpcklps/unpckhps, shufps). For the AVX2 build, where the
// 16x16 transpose of `backprop_even16`/`backprop_odd16` needs 32 registers of 16 and spills,
// and lane-crossing shuffles (vpermpd, vperm2f128) are slow on the first Zen cores.
typedef float backprop_float8 __attribute__((ext_vector_type(8)));
typedef float backprop_float4 __attribute__((ext_vector_type(4)));
static inline backprop_float8 backprop_rows4(const float *lo, const float *hi) {
    backprop_float4 a, b;
    __builtin_memcpy(&a, lo, 16);
    __builtin_memcpy(&b, hi, 16);
    return __builtin_shufflevector(a, b, 0, 1, 2, 3, 4, 5, 6, 7);
}
static inline void backprop_transpose8x4(const float *src, long lds, float *dst, long ldd, float beta) {
    backprop_float8 t0 = backprop_rows4(src, src + 4 * lds), t1 = backprop_rows4(src + lds, src + 5 * lds);
    backprop_float8 t2 = backprop_rows4(src + 2 * lds, src + 6 * lds), t3 = backprop_rows4(src + 3 * lds, src + 7 * lds);
    backprop_float8 a = __builtin_shufflevector(t0, t1, 0, 8, 1, 9, 4, 12, 5, 13);
    backprop_float8 b = __builtin_shufflevector(t0, t1, 2, 10, 3, 11, 6, 14, 7, 15);
    backprop_float8 c = __builtin_shufflevector(t2, t3, 0, 8, 1, 9, 4, 12, 5, 13);
    backprop_float8 d = __builtin_shufflevector(t2, t3, 2, 10, 3, 11, 6, 14, 7, 15);
    backprop_float8 o0 = __builtin_shufflevector(a, c, 0, 1, 8, 9, 4, 5, 12, 13);
    backprop_float8 o1 = __builtin_shufflevector(a, c, 2, 3, 10, 11, 6, 7, 14, 15);
    backprop_float8 o2 = __builtin_shufflevector(b, d, 0, 1, 8, 9, 4, 5, 12, 13);
    backprop_float8 o3 = __builtin_shufflevector(b, d, 2, 3, 10, 11, 6, 7, 14, 15);
    if (beta != 0) {
        // dst = fma(beta, dst, transposed): the arithmetic of the kernels' other C updates.
        backprop_float8 b = beta, d0, d1, d2, d3;
        __builtin_memcpy(&d0, dst, 32);
        __builtin_memcpy(&d1, dst + ldd, 32);
        __builtin_memcpy(&d2, dst + 2 * ldd, 32);
        __builtin_memcpy(&d3, dst + 3 * ldd, 32);
        o0 = __builtin_elementwise_fma(b, d0, o0);
        o1 = __builtin_elementwise_fma(b, d1, o1);
        o2 = __builtin_elementwise_fma(b, d2, o2);
        o3 = __builtin_elementwise_fma(b, d3, o3);
    }
    __builtin_memcpy(dst, &o0, 32);
    __builtin_memcpy(dst + ldd, &o1, 32);
    __builtin_memcpy(dst + 2 * ldd, &o2, 32);
    __builtin_memcpy(dst + 3 * ldd, &o3, 32);
}
// dst = srcᵀ + beta·dst (dst not read when beta == 0) for an 8x8 block; beta = 0 is the plain
// transpose.
static inline void backprop_transpose8x8_add(const float *src, long lds, float *dst, long ldd, float beta) {
    backprop_transpose8x4(src, lds, dst, ldd, beta);
    backprop_transpose8x4(src + 4, lds, dst + 4 * ldd, ldd, beta);
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
