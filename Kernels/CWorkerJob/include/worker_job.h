// A Swift closure handed to other threads without making it escape.
//
// `withoutActuallyEscaping` wraps its closure in a heap-allocated verification thunk, one malloc
// per call: the SIMD backend's worker pool would allocate at every parallel kernel (44 times per
// step of the two-thread LSTM). A Swift closure value is two words, the function and its
// context, and a call passes the context in the `swiftself` register (clang's swift_context).
// `backprop_job_capture` (declared in Swift with @_silgen_name, so a non-escaping closure
// argument arrives here as those two words) records them; `backprop_job_call` calls them. The
// caller of a pool run waits for every worker before it returns, so the context outlives each
// call, as a non-escaping closure's must.
#pragma once

typedef struct {
    void *function;
    void *context;
} backprop_job;

// The Swift function type (Int) -> Void: Int in the first argument register, the closure's
// context in swiftself, nothing returned, no error register.
typedef __attribute__((swiftcall)) void (*backprop_job_function)(long, void *__attribute__((swift_context)));

static inline void backprop_job_call(const backprop_job *job, long index) {
    ((backprop_job_function)job->function)(index, job->context);
}
