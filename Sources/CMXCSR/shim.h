// Direct access to the SSE control/status register (MXCSR), for the SIMD backend's
// flush-to-zero mode. fegetenv/fesetenv also save and load the whole x87 environment
// (~100+ cycles each); stmxcsr/ldmxcsr cost a few. Static inline: nothing to link.
#pragma once
#if defined(__x86_64__)
#include <xmmintrin.h>
static inline unsigned int backprop_mxcsr_get(void) { return _mm_getcsr(); }
static inline void backprop_mxcsr_set(unsigned int value) { _mm_setcsr(value); }
#endif
