// Elementwise tensor kernels. Both operands are read unconditionally so that the select
// vectorizes (with `x > 0 ? v[i] : 0` the load of v[i] is conditional and stays a branch).
#include "hone_kernels.h"

void hone_relu_select_f32(const float *restrict x, const float *restrict v, float *restrict out, size_t n) {
  for (size_t i = 0; i < n; i++) {
    float vi = v[i];
    out[i] = x[i] > 0.0f ? vi : 0.0f;
  }
}

void hone_relu_select_f64(const double *restrict x, const double *restrict v, double *restrict out, size_t n) {
  for (size_t i = 0; i < n; i++) {
    double vi = v[i];
    out[i] = x[i] > 0.0 ? vi : 0.0;
  }
}
