// BLAS (OpenBLAS's CBLAS) and LAPACKE, as one module for Swift.
#include <cblas.h>
#include <lapacke.h>
