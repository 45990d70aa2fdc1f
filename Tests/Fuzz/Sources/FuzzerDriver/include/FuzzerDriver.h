// libFuzzer's entry point for programs that have their own main (LLVM ≥ 11). SwiftPM names an
// executable's entry `<Module>_main` and links `main` to it, so the harnesses start libFuzzer
// from there instead of from libFuzzer's own main.
#include <stddef.h>
#include <stdint.h>

int LLVMFuzzerRunDriver(int *argc, char ***argv, int (*callback)(const uint8_t *data, size_t size));
