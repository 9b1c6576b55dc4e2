#include "hone_kernels.h"
#include <string.h>
#include "dispatch.h"

// No implicit a·b + c fusion: every path (scalar, AVX2, debug, release) rounds the same way.
#pragma STDC FP_CONTRACT OFF

// Nearest code of v ∈ [-1, 1] from the codebook's table (see Codebook.lookup): the entry of
// v's sign, clamped exponent and top 7 mantissa bits holds the count of midpoints below that
// range and the low 16 bits of the midpoint inside it (or a value no float passes); one more
// code when that midpoint lies below v (compared on the low bits, reversed for negative
// floats; equality keeps the lower code).
#define HONE_LOWEST_EXPONENT 103u
#define HONE_ENTRIES_PER_SIGN (25u * 128u)

static inline uint32_t table_index(uint32_t bits) {
  const uint32_t exponent = (bits >> 23) & 0xFF;
  uint32_t mantissa = (bits >> 16) & 0x7F;
  if (exponent < HONE_LOWEST_EXPONENT) mantissa = 0;
  if (exponent > 127) mantissa = 0x7F;
  uint32_t clamped = exponent < HONE_LOWEST_EXPONENT ? HONE_LOWEST_EXPONENT : (exponent > 127 ? 127 : exponent);
  return (bits >> 31) * HONE_ENTRIES_PER_SIGN + ((clamped - HONE_LOWEST_EXPONENT) << 7 | mantissa);
}

static inline uint8_t nearest_code(float v, const uint32_t *lut) {
  uint32_t bits;
  memcpy(&bits, &v, sizeof bits);
  const uint32_t entry = lut[table_index(bits)], low = bits & 0xFFFF, mid = entry >> 16;
  const uint32_t above = (bits & 0x80000000u) ? mid > low : mid < low;
  return (uint8_t)((entry & 0xFF) + above);
}

static inline float absf(float x) { return x < 0 ? -x : x; }

// A block's requantization: absmax of the updated states, then the codes.
static void requantize_scalar(const float *s, size_t len, uint8_t *q, float *absmax, const uint32_t *lut) {
  float top = 0;
  for (size_t j = 0; j < len; j++) top = __builtin_elementwise_max(top, absf(s[j]));
  *absmax = top;
  const float inv = top > 0 ? 1.0f / top : 0.0f;
  for (size_t j = 0; j < len; j++) q[j] = nearest_code(s[j] * inv, lut);
}

#if defined(__x86_64__) && (defined(__clang__) || defined(__GNUC__))
#include <immintrin.h>
#define HONE_HAS_AVX2_PATH 1

// AVX2: 8 values at a time, table reads by gathers; the same operations in the same order as
// the scalar code, so the results are identical.
__attribute__((target("avx2,fma"))) static inline __m256 gather_codes(const uint8_t *q, const float *code) {
  return _mm256_i32gather_ps(code, _mm256_cvtepu8_epi32(_mm_loadl_epi64((const __m128i *)q)), 4);
}

__attribute__((target("avx2,fma"))) static void requantize_avx2(const float *s, size_t len, uint8_t *q, float *absmax,
                                                                 const uint32_t *lut) {
  const __m256 sign_mask = _mm256_set1_ps(-0.0f);
  __m256 top8 = _mm256_setzero_ps();
  size_t j = 0;
  for (; j + 8 <= len; j += 8) top8 = _mm256_max_ps(top8, _mm256_andnot_ps(sign_mask, _mm256_loadu_ps(s + j)));
  float lanes[8], top = 0;
  _mm256_storeu_ps(lanes, top8);
  for (int k = 0; k < 8; k++) top = __builtin_elementwise_max(top, lanes[k]);
  for (; j < len; j++) top = __builtin_elementwise_max(top, absf(s[j]));
  *absmax = top;
  const float inv = top > 0 ? 1.0f / top : 0.0f;
  const __m256 vinv = _mm256_set1_ps(inv);
  const __m256i low_mask = _mm256_set1_epi32(0xFFFF), byte = _mm256_set1_epi32(0xFF), one = _mm256_set1_epi32(1);
  const __m256i lowest = _mm256_set1_epi32((int)HONE_LOWEST_EXPONENT), highest = _mm256_set1_epi32(127);
  const __m256i per_sign = _mm256_set1_epi32((int)HONE_ENTRIES_PER_SIGN), seven = _mm256_set1_epi32(0x7F);
  for (j = 0; j + 8 <= len; j += 8) {
    const __m256i bits = _mm256_castps_si256(_mm256_mul_ps(_mm256_loadu_ps(s + j), vinv));
    const __m256i exponent = _mm256_and_si256(_mm256_srli_epi32(bits, 23), byte);
    const __m256i below = _mm256_cmpgt_epi32(lowest, exponent), above_range = _mm256_cmpgt_epi32(exponent, highest);
    __m256i mantissa = _mm256_and_si256(_mm256_srli_epi32(bits, 16), seven);
    mantissa = _mm256_or_si256(_mm256_andnot_si256(below, mantissa), _mm256_and_si256(above_range, seven));
    const __m256i clamped = _mm256_sub_epi32(_mm256_min_epi32(_mm256_max_epi32(exponent, lowest), highest), lowest);
    const __m256i index = _mm256_add_epi32(_mm256_mullo_epi32(_mm256_srli_epi32(bits, 31), per_sign),
                                           _mm256_or_si256(_mm256_slli_epi32(clamped, 7), mantissa));
    const __m256i entry = _mm256_i32gather_epi32((const int *)lut, index, 4);
    const __m256i low = _mm256_and_si256(bits, low_mask), mid = _mm256_srli_epi32(entry, 16);
    const __m256i negative = _mm256_srai_epi32(bits, 31);
    const __m256i above = _mm256_blendv_epi8(_mm256_cmpgt_epi32(low, mid), _mm256_cmpgt_epi32(mid, low), negative);
    const __m256i c = _mm256_add_epi32(_mm256_and_si256(entry, byte), _mm256_and_si256(above, one));
    const __m128i words = _mm_packus_epi32(_mm256_castsi256_si128(c), _mm256_extracti128_si256(c, 1));
    _mm_storel_epi64((__m128i *)(q + j), _mm_packus_epi16(words, words));
  }
  for (; j < len; j++) q[j] = nearest_code(s[j] * inv, lut);
}

__attribute__((target("avx2,fma"))) static void adam8bit_avx2(
    float *restrict p, const float *restrict g, uint8_t *restrict q1, uint8_t *restrict q2, float *restrict absmax1,
    float *restrict absmax2, size_t n, size_t block, const float *code1, const uint32_t *lut1, const float *code2,
    const uint32_t *lut2, float beta1, float w1, float beta2, float w2, float eps, float neg_step_size, float bc2_sqrt,
    float decay_factor, int maximize) {
  float s1[HONE_MAX_BLOCK], s2[HONE_MAX_BLOCK];
  const float sign = maximize ? -1.0f : 1.0f;
  const __m256 vsign = _mm256_set1_ps(sign), vb1 = _mm256_set1_ps(beta1), vw1 = _mm256_set1_ps(w1),
               vb2 = _mm256_set1_ps(beta2), vw2 = _mm256_set1_ps(w2), veps = _mm256_set1_ps(eps),
               vstep = _mm256_set1_ps(neg_step_size), vbc2 = _mm256_set1_ps(bc2_sqrt), vdecay = _mm256_set1_ps(decay_factor);
  for (size_t start = 0, b = 0; start < n; start += block, b++) {
    const size_t len = n - start < block ? n - start : block;
    const float a1 = absmax1[b], a2 = absmax2[b];
    const __m256 va1 = _mm256_set1_ps(a1), va2 = _mm256_set1_ps(a2);
    float *restrict pb = p + start;
    const float *restrict gb = g + start;
    const uint8_t *c1 = q1 + start, *c2 = q2 + start;
    size_t j = 0;
    for (; j + 8 <= len; j += 8) {
      const __m256 d = _mm256_mul_ps(vsign, _mm256_loadu_ps(gb + j));
      const __m256 m = _mm256_add_ps(_mm256_mul_ps(_mm256_mul_ps(gather_codes(c1 + j, code1), va1), vb1), _mm256_mul_ps(vw1, d));
      const __m256 v = _mm256_add_ps(_mm256_mul_ps(_mm256_mul_ps(gather_codes(c2 + j, code2), va2), vb2),
                                     _mm256_mul_ps(_mm256_mul_ps(vw2, d), d));
      _mm256_storeu_ps(s1 + j, m);
      _mm256_storeu_ps(s2 + j, v);
      const __m256 denom = _mm256_add_ps(_mm256_div_ps(_mm256_sqrt_ps(v), vbc2), veps);
      const __m256 x = _mm256_mul_ps(_mm256_loadu_ps(pb + j), vdecay);
      _mm256_storeu_ps(pb + j, _mm256_add_ps(x, _mm256_div_ps(_mm256_mul_ps(vstep, m), denom)));
    }
    for (; j < len; j++) {
      const float d = sign * gb[j];
      const float m = code1[c1[j]] * a1 * beta1 + w1 * d;
      const float v = code2[c2[j]] * a2 * beta2 + (w2 * d) * d;
      s1[j] = m;
      s2[j] = v;
      const float denom = __builtin_elementwise_sqrt(v) / bc2_sqrt + eps;
      pb[j] = pb[j] * decay_factor + (neg_step_size * m) / denom;
    }
    requantize_avx2(s1, len, q1 + start, absmax1 + b, lut1);
    requantize_avx2(s2, len, q2 + start, absmax2 + b, lut2);
  }
}
#endif

typedef void (*requantize_fn)(const float *, size_t, uint8_t *, float *, const uint32_t *);

static requantize_fn best_requantize(void) {
#ifdef HONE_HAS_AVX2_PATH
  if (hone_cpu_level() >= 1) return requantize_avx2;
#endif
  return requantize_scalar;
}

void hone_adam8bit_f32(float *restrict p, const float *restrict g, uint8_t *restrict q1, uint8_t *restrict q2,
                       float *restrict absmax1, float *restrict absmax2, size_t n, size_t block, const float *code1,
                       const uint32_t *lut1, const float *code2, const uint32_t *lut2, const hone_adam8bit_step *step) {
  const float beta1 = step->beta1, w1 = step->w1, beta2 = step->beta2, w2 = step->w2, eps = step->eps;
  const float neg_step_size = step->neg_step_size, bc2_sqrt = step->bc2_sqrt, decay_factor = step->decay_factor;
  const int maximize = step->maximize;
#ifdef HONE_HAS_AVX2_PATH
  if (hone_cpu_level() >= 1) {
    adam8bit_avx2(p, g, q1, q2, absmax1, absmax2, n, block, code1, lut1, code2, lut2, beta1, w1, beta2, w2, eps,
                  neg_step_size, bc2_sqrt, decay_factor, maximize);
    return;
  }
#endif
  float s1[HONE_MAX_BLOCK], s2[HONE_MAX_BLOCK];
  const float sign = maximize ? -1.0f : 1.0f;
  for (size_t start = 0, b = 0; start < n; start += block, b++) {
    const size_t len = n - start < block ? n - start : block;
    const float a1 = absmax1[b], a2 = absmax2[b];
    float *restrict pb = p + start;
    const float *restrict gb = g + start;
    for (size_t j = 0; j < len; j++) {
      const float d = sign * gb[j];
      const float m = code1[q1[start + j]] * a1 * beta1 + w1 * d;
      const float v = code2[q2[start + j]] * a2 * beta2 + (w2 * d) * d;
      s1[j] = m;
      s2[j] = v;
      const float denom = __builtin_elementwise_sqrt(v) / bc2_sqrt + eps;
      pb[j] = pb[j] * decay_factor + (neg_step_size * m) / denom;
    }
    requantize_scalar(s1, len, q1 + start, absmax1 + b, lut1);
    requantize_scalar(s2, len, q2 + start, absmax2 + b, lut2);
  }
}

void hone_lion8bit_f32(float *restrict p, const float *restrict g, uint8_t *restrict q1, float *restrict absmax1, size_t n,
                       size_t block, const float *code1, const uint32_t *lut1, const hone_lion_step_f32 *step) {
  const float lr = step->lr, beta1 = step->beta1, w1 = step->w1, beta2 = step->beta2, w2 = step->w2;
  const float decay_factor = step->decay_factor;
  const int maximize = step->maximize;
  const requantize_fn requantize = best_requantize();
  float s1[HONE_MAX_BLOCK];
  const float sign = maximize ? -1.0f : 1.0f;
  for (size_t start = 0, b = 0; start < n; start += block, b++) {
    const size_t len = n - start < block ? n - start : block;
    const float a1 = absmax1[b];
    float *restrict pb = p + start;
    const float *restrict gb = g + start;
    for (size_t j = 0; j < len; j++) {
      const float d = sign * gb[j];
      const float m = code1[q1[start + j]] * a1;
      const float c = m * beta1 + d * w1;
      const float u = (float)(c > 0) - (float)(c < 0);
      pb[j] = pb[j] * decay_factor - lr * u;
      s1[j] = m * beta2 + d * w2;
    }
    requantize(s1, len, q1 + start, absmax1 + b, lut1);
  }
}

void hone_sgd8bit_f32(float *restrict p, const float *restrict g, uint8_t *restrict q1, float *restrict absmax1, size_t n,
                      size_t block, const float *code1, const uint32_t *lut1, const hone_sgd_step_f32 *step) {
  const float lr = step->lr, momentum = step->momentum, dampening = step->dampening, weight_decay = step->weight_decay;
  const int nesterov = step->nesterov, maximize = step->maximize, first_step = step->first_step;
  const requantize_fn requantize = best_requantize();
  float s1[HONE_MAX_BLOCK];
  const float sign = maximize ? -1.0f : 1.0f, keep = 1.0f - dampening;
  for (size_t start = 0, b = 0; start < n; start += block, b++) {
    const size_t len = n - start < block ? n - start : block;
    const float a1 = absmax1[b];
    float *restrict pb = p + start;
    const float *restrict gb = g + start;
    for (size_t j = 0; j < len; j++) {
      float d = sign * gb[j];
      if (weight_decay != 0) d = __builtin_elementwise_fma(weight_decay, pb[j], d);
      const float mb = momentum * (code1[q1[start + j]] * a1);
      const float buf = first_step ? d : __builtin_elementwise_fma(keep, d, mb);
      s1[j] = buf;
      d = nesterov ? __builtin_elementwise_fma(momentum, buf, d) : buf;
      pb[j] = __builtin_elementwise_fma(-lr, d, pb[j]);
    }
    requantize(s1, len, q1 + start, absmax1 + b, lut1);
  }
}

void hone_quantize_blockwise_f32(const float *x, uint8_t *q, float *absmax, size_t n, size_t block, const uint32_t *lut) {
  const requantize_fn requantize = best_requantize();
  for (size_t start = 0, b = 0; start < n; start += block, b++) {
    const size_t len = n - start < block ? n - start : block;
    requantize(x + start, len, q + start, absmax + b, lut);
  }
}
