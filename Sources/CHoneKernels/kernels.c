#include "hone_kernels.h"
#include <string.h>

// Multi-versioning: each kernel is a plain loop, compiled for several instruction sets and
// dispatched by the loader. __builtin_elementwise_sqrt has no errno, so the loops vectorize
// without -fno-math-errno (flags a package dependency cannot set).
#if defined(__x86_64__) && defined(__linux__) && defined(__clang__)
#define HONE_KERNEL __attribute__((target_clones("avx512f", "arch=haswell", "default")))
#else
#define HONE_KERNEL
#endif

#define HONE_SQRT(x) __builtin_elementwise_sqrt(x)
// a·b + c with one rounding, as torch's add_(x, alpha=) computes on CPU; explicit so that
// debug and release builds (and every clone with FMA) give the same bits.
#define HONE_FMA(a, b, c) __builtin_elementwise_fma(a, b, c)

#define DEFINE_SGD(T, SUFFIX)                                                                     \
  HONE_KERNEL void hone_sgd_##SUFFIX(T *restrict p, const T *restrict g, T *restrict buf, size_t n, \
                                     T lr, T momentum, T dampening, T weight_decay, int nesterov,   \
                                     int maximize, int first_step) {                               \
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
  }

#define DEFINE_ADAM(T, SUFFIX)                                                                    \
  HONE_KERNEL void hone_adam_##SUFFIX(T *restrict p, const T *restrict g, T *restrict m,           \
                                      T *restrict v, T *restrict vmax, size_t n, T w1, T beta2,    \
                                      T w2, T eps, T coupled_decay, T decay_factor, int maximize,  \
                                      T step_size, T bc2_sqrt) {                                   \
    const T sign = maximize ? (T)-1 : (T)1;                                                       \
    for (size_t i = 0; i < n; i++) {                                                              \
      T x = p[i];                                                                                 \
      T d = sign * g[i];                                                                          \
      if (coupled_decay != 0) d = d + coupled_decay * x;                                          \
      if (decay_factor != 1) x = x * decay_factor;                                                \
      T mi = m[i] + w1 * (d - m[i]);                                                              \
      T vi = v[i] * beta2 + w2 * (d * d);                                                         \
      m[i] = mi;                                                                                  \
      v[i] = vi;                                                                                  \
      if (vmax != NULL) {                                                                         \
        vi = __builtin_elementwise_max(vmax[i], vi);                                              \
        vmax[i] = vi;                                                                             \
      }                                                                                           \
      T denom = HONE_SQRT(vi) / bc2_sqrt + eps;                                                   \
      p[i] = x - step_size * (mi / denom);                                                        \
    }                                                                                             \
  }

#define DEFINE_LION(T, SUFFIX)                                                                    \
  HONE_KERNEL void hone_lion_##SUFFIX(T *restrict p, const T *restrict g, T *restrict m, size_t n, \
                                      T lr, T beta1, T w1, T beta2, T w2, T decay_factor,          \
                                      int maximize) {                                              \
    const T sign = maximize ? (T)-1 : (T)1;                                                       \
    for (size_t i = 0; i < n; i++) {                                                              \
      T d = sign * g[i];                                                                          \
      T c = m[i] * beta1 + w1 * d;                                                                \
      T u = (T)(c > 0) - (T)(c < 0);                                                              \
      p[i] = p[i] * decay_factor - lr * u;                                                        \
      m[i] = m[i] * beta2 + w2 * d;                                                               \
    }                                                                                             \
  }

#define DEFINE_EXADAM(T, SUFFIX)                                                                  \
  HONE_KERNEL void hone_exadam_##SUFFIX(T *restrict p, const T *restrict g, T *restrict m,         \
                                        T *restrict v, size_t n, T beta1, T w1, T beta2, T w2,     \
                                        T eps, T b1t, T b2t, T bc1, T bc2, T neg_alpha,            \
                                        T neg_lr_wd, int maximize) {                               \
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
  }

DEFINE_SGD(float, f32)
DEFINE_SGD(double, f64)
DEFINE_ADAM(float, f32)
DEFINE_ADAM(double, f64)
DEFINE_LION(float, f32)
DEFINE_LION(double, f64)
DEFINE_EXADAM(float, f32)
DEFINE_EXADAM(double, f64)

void hone_copy_f32(float *dst, const float *src, size_t n) { memcpy(dst, src, n * sizeof(float)); }
