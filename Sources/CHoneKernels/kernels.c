#include "hone_kernels.h"
#include <string.h>
#include "dispatch.h"

// No implicit a·b + c fusion: every path (scalar, vector, debug, release) rounds the same way;
// fused operations are written out with HONE_FMA where torch fuses them.
#pragma STDC FP_CONTRACT OFF

// Each kernel is a plain loop, written once for float and double and dispatched by CPU
// features (dispatch.h). __builtin_elementwise_sqrt has no errno, so the loops vectorize
// without -fno-math-errno.
#define HONE_SQRT(x) __builtin_elementwise_sqrt(x)
// a·b + c with one rounding, as torch's add_(x, alpha=) computes on CPU; explicit so that
// debug and release builds give the same bits.
#define HONE_FMA(a, b, c) __builtin_elementwise_fma(a, b, c)

#define SGD_PARAMS(T, SUFFIX) \
  (T *restrict p, const T *restrict g, T *restrict buf, size_t n, const hone_sgd_step_##SUFFIX *step)
#define SGD_ARGS (p, g, buf, n, step)

// Each kernel reads its scalars from the step struct into locals first, so the loops see
// the same values as plain parameters and compile to the same code.
#define DEFINE_SGD(T, SUFFIX)                                                                     \
  HONE_KERNEL_BODY void hone_sgd_##SUFFIX##_impl SGD_PARAMS(T, SUFFIX) {                          \
    const T lr = step->lr, momentum = step->momentum, dampening = step->dampening;                \
    const T weight_decay = step->weight_decay;                                                    \
    const int nesterov = step->nesterov, maximize = step->maximize, first_step = step->first_step; \
    const T sign = maximize ? (T)-1 : (T)1;                                                       \
    const T keep = (T)1 - dampening;                                                              \
    if (buf == NULL) {                                                                            \
      for (size_t i = 0; i < n; i++) {                                                            \
        T d = sign * g[i];                                                                        \
        if (weight_decay != 0) d = HONE_FMA(weight_decay, p[i], d);                               \
        p[i] = HONE_FMA(-lr, d, p[i]);                                                            \
      }                                                                                           \
      return;                                                                                     \
    }                                                                                             \
    for (size_t i = 0; i < n; i++) {                                                              \
      T d = sign * g[i];                                                                          \
      if (weight_decay != 0) d = HONE_FMA(weight_decay, p[i], d);                                 \
      T mb = momentum * buf[i];                                                                   \
      T b = first_step ? d : HONE_FMA(keep, d, mb);                                               \
      buf[i] = b;                                                                                 \
      d = nesterov ? HONE_FMA(momentum, b, d) : b;                                                \
      p[i] = HONE_FMA(-lr, d, p[i]);                                                              \
    }                                                                                             \
  }                                                                                               \
  HONE_DISPATCH(void, hone_sgd_##SUFFIX, SGD_PARAMS(T, SUFFIX), SGD_ARGS)

#define ADAM_PARAMS(T, SUFFIX)                                                                    \
  (T *restrict p, const T *restrict g, T *restrict m, T *restrict v, T *restrict vmax, size_t n,  \
   const hone_adam_step_##SUFFIX *step)
#define ADAM_ARGS (p, g, m, v, vmax, n, step)

// The loop is written twice (with and without AMSGrad's maximum) so that each vectorizes.
#define ADAM_LOOP(T, AMSGRAD)                                                                     \
  for (size_t i = 0; i < n; i++) {                                                                \
    T x = p[i];                                                                                   \
    T d = sign * g[i];                                                                            \
    d = d + coupled_decay * x;                                                                    \
    x = x * decay_factor;                                                                         \
    T mi = m[i] + w1 * (d - m[i]);                                                                \
    T vi = v[i] * beta2 + w2 * (d * d);                                                           \
    m[i] = mi;                                                                                    \
    v[i] = vi;                                                                                    \
    if (AMSGRAD) {                                                                                \
      vi = __builtin_elementwise_max(vmax[i], vi);                                                \
      vmax[i] = vi;                                                                               \
    }                                                                                             \
    T denom = HONE_SQRT(vi) * inv_bc2 + eps;                                                      \
    p[i] = x - step_size * (mi / denom);                                                          \
  }

#define DEFINE_ADAM(T, SUFFIX)                                                                    \
  HONE_KERNEL_BODY void hone_adam_##SUFFIX##_impl ADAM_PARAMS(T, SUFFIX) {                        \
    const T w1 = step->w1, beta2 = step->beta2, w2 = step->w2, eps = step->eps;                   \
    const T coupled_decay = step->coupled_decay, decay_factor = step->decay_factor;               \
    const T step_size = step->step_size, bc2_sqrt = step->bc2_sqrt;                               \
    const int maximize = step->maximize;                                                          \
    const T sign = maximize ? (T)-1 : (T)1;                                                       \
    const T inv_bc2 = (T)1 / bc2_sqrt;                                                            \
    if (vmax != NULL) {                                                                           \
      ADAM_LOOP(T, 1)                                                                             \
    } else {                                                                                      \
      ADAM_LOOP(T, 0)                                                                             \
    }                                                                                             \
  }                                                                                               \
  HONE_DISPATCH(void, hone_adam_##SUFFIX, ADAM_PARAMS(T, SUFFIX), ADAM_ARGS)

#define LION_PARAMS(T, SUFFIX) \
  (T *restrict p, const T *restrict g, T *restrict m, size_t n, const hone_lion_step_##SUFFIX *step)
#define LION_ARGS (p, g, m, n, step)

#define DEFINE_LION(T, SUFFIX)                                                                    \
  HONE_KERNEL_BODY void hone_lion_##SUFFIX##_impl LION_PARAMS(T, SUFFIX) {                        \
    const T lr = step->lr, beta1 = step->beta1, w1 = step->w1, beta2 = step->beta2, w2 = step->w2; \
    const T decay_factor = step->decay_factor;                                                    \
    const int maximize = step->maximize;                                                          \
    const T sign = maximize ? (T)-1 : (T)1;                                                       \
    for (size_t i = 0; i < n; i++) {                                                              \
      T d = sign * g[i];                                                                          \
      T c = m[i] * beta1 + w1 * d;                                                                \
      T u = (T)(c > 0) - (T)(c < 0);                                                              \
      p[i] = p[i] * decay_factor - lr * u;                                                        \
      m[i] = m[i] * beta2 + w2 * d;                                                               \
    }                                                                                             \
  }                                                                                               \
  HONE_DISPATCH(void, hone_lion_##SUFFIX, LION_PARAMS(T, SUFFIX), LION_ARGS)

#define EXADAM_PARAMS(T, SUFFIX)                                                                  \
  (T *restrict p, const T *restrict g, T *restrict m, T *restrict v, size_t n,                    \
   const hone_exadam_step_##SUFFIX *step)
#define EXADAM_ARGS (p, g, m, v, n, step)

#define DEFINE_EXADAM(T, SUFFIX)                                                                  \
  HONE_KERNEL_BODY void hone_exadam_##SUFFIX##_impl EXADAM_PARAMS(T, SUFFIX) {                    \
    const T beta1 = step->beta1, w1 = step->w1, beta2 = step->beta2, w2 = step->w2, eps = step->eps; \
    const T b1t = step->b1t, b2t = step->b2t, bc1 = step->bc1, bc2 = step->bc2;                   \
    const T neg_alpha = step->neg_alpha, neg_lr_wd = step->neg_lr_wd;                             \
    const int maximize = step->maximize;                                                          \
    const T sign = maximize ? (T)-1 : (T)1;                                                       \
    for (size_t i = 0; i < n; i++) {                                                              \
      T x = p[i];                                                                                 \
      if (neg_lr_wd != 0) x = x + neg_lr_wd * x;                                                  \
      T gi = sign * g[i];                                                                         \
      T mi = beta1 * m[i] + w1 * gi;                                                              \
      T vi = beta2 * v[i] + (w2 * gi) * gi;                                                       \
      m[i] = mi;                                                                                  \
      v[i] = vi;                                                                                  \
      T d1 = (T)1 + (vi / (vi + eps)) * b2t;                                                      \
      T d2 = (T)1 + ((mi * mi) / (mi * mi + eps)) * b1t;                                          \
      T mt = (mi / bc1) * d1, vt = (vi / bc2) * d2, gt = (gi / bc1) * d1;                         \
      p[i] = x + (neg_alpha * (mt + gt)) / (HONE_SQRT(vt) + eps);                                 \
    }                                                                                             \
  }                                                                                               \
  HONE_DISPATCH(void, hone_exadam_##SUFFIX, EXADAM_PARAMS(T, SUFFIX), EXADAM_ARGS)

DEFINE_SGD(float, f32)
DEFINE_SGD(double, f64)
DEFINE_ADAM(float, f32)
DEFINE_ADAM(double, f64)
DEFINE_LION(float, f32)
DEFINE_LION(double, f64)
DEFINE_EXADAM(float, f32)
DEFINE_EXADAM(double, f64)

void hone_copy_f32(float *dst, const float *src, size_t n) { memcpy(dst, src, n * sizeof(float)); }
