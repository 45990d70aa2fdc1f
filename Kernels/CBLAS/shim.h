// OpenBLAS's CBLAS interface and LAPACKE, from Debian's libopenblas-dev and liblapacke-dev.
// There is no cblas.pc on Debian 12, so the module links "openblas" and "lapacke" directly.
#include <cblas.h>
#include <lapacke.h>
