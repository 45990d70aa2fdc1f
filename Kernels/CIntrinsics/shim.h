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
// Prefetch the cache line at p for reading (loops whose arithmetic outlasts their loads).
static inline void backprop_prefetch_read(const void *p) { __builtin_prefetch(p, 0, 3); }
