#include "hone_kernels.h"
#include <string.h>

#if defined(__x86_64__) && defined(__linux__) && defined(__clang__)
#define HONE_KERNEL __attribute__((target_clones("avx512f", "arch=haswell", "default")))
#else
#define HONE_KERNEL
#endif

// Nearest code of v in [-1, 1]: the number of codebook midpoints below v. `lut` gives that
// count at the most negative value of the 2^16 floats sharing v's top 16 bits; each such
// range holds at most one midpoint (the codebook's relative spacing exceeds the range's
// 2^-7), so one comparison finishes the search exactly.
static inline uint8_t nearest_code(float v, const uint8_t *lut, const float *mid) {
  uint32_t bits;
  memcpy(&bits, &v, sizeof bits);
  unsigned c = lut[bits >> 16];
  c += (c < 255) & (mid[c < 255 ? c : 254] < v);
  return (uint8_t)c;
}

static inline float absf(float x) { return x < 0 ? -x : x; }

// One block's requantization: absmax of the updated states, then the codes.
static inline void requantize(const float *s, size_t len, uint8_t *q, float *absmax, const uint8_t *lut,
                              const float *mid) {
  float top = 0;
  for (size_t j = 0; j < len; j++) top = __builtin_elementwise_max(top, absf(s[j]));
  *absmax = top;
  const float inv = top > 0 ? 1.0f / top : 0.0f;
  for (size_t j = 0; j < len; j++) q[j] = nearest_code(s[j] * inv, lut, mid);
}

HONE_KERNEL void hone_adam8bit_f32(float *restrict p, const float *restrict g, uint8_t *restrict q1,
                                   uint8_t *restrict q2, float *restrict absmax1, float *restrict absmax2,
                                   size_t n, size_t block, const float *code1, const uint8_t *lut1,
                                   const float *mid1, const float *code2, const uint8_t *lut2,
                                   const float *mid2, float beta1, float w1, float beta2, float w2,
                                   float eps, float neg_step_size, float bc2_sqrt, float decay_factor,
                                   int maximize) {
  float s1[HONE_MAX_BLOCK], s2[HONE_MAX_BLOCK];
  const float sign = maximize ? -1.0f : 1.0f;
  for (size_t start = 0, b = 0; start < n; start += block, b++) {
    const size_t len = n - start < block ? n - start : block;
    const float a1 = absmax1[b], a2 = absmax2[b];
    float *restrict pb = p + start;
    const float *restrict gb = g + start;
    const uint8_t *restrict c1 = q1 + start, *restrict c2 = q2 + start;
    for (size_t j = 0; j < len; j++) {
      const float d = sign * gb[j];
      const float m = code1[c1[j]] * a1 * beta1 + w1 * d;
      const float v = code2[c2[j]] * a2 * beta2 + (w2 * d) * d;
      s1[j] = m;
      s2[j] = v;
      const float denom = __builtin_elementwise_sqrt(v) / bc2_sqrt + eps;
      pb[j] = pb[j] * decay_factor + (neg_step_size * m) / denom;
    }
    requantize(s1, len, q1 + start, absmax1 + b, lut1, mid1);
    requantize(s2, len, q2 + start, absmax2 + b, lut2, mid2);
  }
}

HONE_KERNEL void hone_lion8bit_f32(float *restrict p, const float *restrict g, uint8_t *restrict q1,
                                   float *restrict absmax1, size_t n, size_t block, const float *code1,
                                   const uint8_t *lut1, const float *mid1, float lr, float beta1, float w1,
                                   float beta2, float w2, float decay_factor, int maximize) {
  float s1[HONE_MAX_BLOCK];
  const float sign = maximize ? -1.0f : 1.0f;
  for (size_t start = 0, b = 0; start < n; start += block, b++) {
    const size_t len = n - start < block ? n - start : block;
    const float a1 = absmax1[b];
    float *restrict pb = p + start;
    const float *restrict gb = g + start;
    const uint8_t *restrict c1 = q1 + start;
    for (size_t j = 0; j < len; j++) {
      const float d = sign * gb[j];
      const float m = code1[c1[j]] * a1;
      const float c = m * beta1 + d * w1;
      const float u = (float)(c > 0) - (float)(c < 0);
      pb[j] = pb[j] * decay_factor - lr * u;
      s1[j] = m * beta2 + d * w2;
    }
    requantize(s1, len, q1 + start, absmax1 + b, lut1, mid1);
  }
}

HONE_KERNEL void hone_sgd8bit_f32(float *restrict p, const float *restrict g, uint8_t *restrict q1,
                                  float *restrict absmax1, size_t n, size_t block, const float *code1,
                                  const uint8_t *lut1, const float *mid1, float lr, float momentum,
                                  float dampening, float weight_decay, int nesterov, int maximize,
                                  int first_step) {
  float s1[HONE_MAX_BLOCK];
  const float sign = maximize ? -1.0f : 1.0f, keep = 1.0f - dampening;
  for (size_t start = 0, b = 0; start < n; start += block, b++) {
    const size_t len = n - start < block ? n - start : block;
    const float a1 = absmax1[b];
    float *restrict pb = p + start;
    const float *restrict gb = g + start;
    const uint8_t *restrict c1 = q1 + start;
    for (size_t j = 0; j < len; j++) {
      float d = sign * gb[j];
      if (weight_decay != 0) d = d + weight_decay * pb[j];
      const float mb = momentum * (code1[c1[j]] * a1);
      const float buf = first_step ? d : mb + keep * d;
      s1[j] = buf;
      d = nesterov ? d + momentum * buf : buf;
      pb[j] = pb[j] - lr * d;
    }
    requantize(s1, len, q1 + start, absmax1 + b, lut1, mid1);
  }
}

void hone_quantize_blockwise_f32(const float *x, uint8_t *q, float *absmax, size_t n, size_t block,
                                 const uint8_t *lut, const float *mid) {
  for (size_t start = 0, b = 0; start < n; start += block, b++) {
    const size_t len = n - start < block ? n - start : block;
    requantize(x + start, len, q + start, absmax + b, lut, mid);
  }
}
