#include "worker_job.h"

// Called from Swift as `(UnsafeMutablePointer<backprop_job>, (Int) -> Void) -> Void` with the
// Swift calling convention: the closure argument is its function and context words.
__attribute__((swiftcall)) void backprop_job_capture(backprop_job *job, void *function, void *context) {
    job->function = function;
    job->context = context;
}
