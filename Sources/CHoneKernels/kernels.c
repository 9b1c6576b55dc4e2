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

#define SGD_PARAMS(T)                                                                             \
  (T *restrict p, const T *restrict g, T *restrict buf, size_t n, T lr, T momentum, T dampening,  \
   T weight_decay, int nesterov, int maximize, int first_step)
#define SGD_ARGS (p, g, buf, n, lr, momentum, dampening, weight_decay, nesterov, maximize, first_step)

#define DEFINE_SGD(T, SUFFIX)                                                                     \
  HONE_KERNEL_BODY void hone_sgd_##SUFFIX##_impl SGD_PARAMS(T) {                                  \
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
  HONE_DISPATCH(void, hone_sgd_##SUFFIX, SGD_PARAMS(T), SGD_ARGS)

#define ADAM_PARAMS(T)                                                                            \
  (T *restrict p, const T *restrict g, T *restrict m, T *restrict v, T *restrict vmax, size_t n,  \
   T w1, T beta2, T w2, T eps, T coupled_decay, T decay_factor, int maximize, T step_size,        \
   T bc2_sqrt)
#define ADAM_ARGS                                                                                 \
  (p, g, m, v, vmax, n, w1, beta2, w2, eps, coupled_decay, decay_factor, maximize, step_size, bc2_sqrt)

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
  HONE_KERNEL_BODY void hone_adam_##SUFFIX##_impl ADAM_PARAMS(T) {                                \
    const T sign = maximize ? (T)-1 : (T)1;                                                       \
    const T inv_bc2 = (T)1 / bc2_sqrt;                                                            \
    if (vmax != NULL) {                                                                           \
      ADAM_LOOP(T, 1)                                                                             \
    } else {                                                                                      \
      ADAM_LOOP(T, 0)                                                                             \
    }                                                                                             \
  }                                                                                               \
  HONE_DISPATCH(void, hone_adam_##SUFFIX, ADAM_PARAMS(T), ADAM_ARGS)

#define LION_PARAMS(T)                                                                            \
  (T *restrict p, const T *restrict g, T *restrict m, size_t n, T lr, T beta1, T w1, T beta2,     \
   T w2, T decay_factor, int maximize)
#define LION_ARGS (p, g, m, n, lr, beta1, w1, beta2, w2, decay_factor, maximize)

#define DEFINE_LION(T, SUFFIX)                                                                    \
  HONE_KERNEL_BODY void hone_lion_##SUFFIX##_impl LION_PARAMS(T) {                                \
    const T sign = maximize ? (T)-1 : (T)1;                                                       \
    for (size_t i = 0; i < n; i++) {                                                              \
      T d = sign * g[i];                                                                          \
      T c = m[i] * beta1 + w1 * d;                                                                \
      T u = (T)(c > 0) - (T)(c < 0);                                                              \
      p[i] = p[i] * decay_factor - lr * u;                                                        \
      m[i] = m[i] * beta2 + w2 * d;                                                               \
    }                                                                                             \
  }                                                                                               \
  HONE_DISPATCH(void, hone_lion_##SUFFIX, LION_PARAMS(T), LION_ARGS)

#define EXADAM_PARAMS(T)                                                                          \
  (T *restrict p, const T *restrict g, T *restrict m, T *restrict v, size_t n, T beta1, T w1,     \
   T beta2, T w2, T eps, T b1t, T b2t, T bc1, T bc2, T neg_alpha, T neg_lr_wd, int maximize)
#define EXADAM_ARGS (p, g, m, v, n, beta1, w1, beta2, w2, eps, b1t, b2t, bc1, bc2, neg_alpha, neg_lr_wd, maximize)

#define DEFINE_EXADAM(T, SUFFIX)                                                                  \
  HONE_KERNEL_BODY void hone_exadam_##SUFFIX##_impl EXADAM_PARAMS(T) {                            \
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
  HONE_DISPATCH(void, hone_exadam_##SUFFIX, EXADAM_PARAMS(T), EXADAM_ARGS)

DEFINE_SGD(float, f32)
DEFINE_SGD(double, f64)
DEFINE_ADAM(float, f32)
DEFINE_ADAM(double, f64)
DEFINE_LION(float, f32)
DEFINE_LION(double, f64)
DEFINE_EXADAM(float, f32)
DEFINE_EXADAM(double, f64)

void hone_copy_f32(float *dst, const float *src, size_t n) { memcpy(dst, src, n * sizeof(float)); }
