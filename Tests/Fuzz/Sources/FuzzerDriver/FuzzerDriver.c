// Declarations only (FuzzerDriver.h); the definition is libFuzzer's (-sanitize=fuzzer).
#include "FuzzerDriver.h"
