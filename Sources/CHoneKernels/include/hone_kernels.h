// Fused single-pass optimizer kernels over flat buffers (float and double).
// Each kernel reads and writes every buffer once per step. On x86-64 each is built for
// AVX-512, AVX2+FMA and the baseline target (function target attributes, no compiler flags)
// and picked at run time by CPU features; elsewhere it is built once for the target.
#ifndef HONE_KERNELS_H
#define HONE_KERNELS_H

#include <stddef.h>
#include <stdint.h>

#ifdef __cplusplus
extern "C" {
#endif

// Each kernel takes the buffers it updates and one struct of the step's scalars (`maximize`
// negates the gradient; flags are 0 or 1).

// SGD as torch.optim.SGD: d = ±g (+ wd·p); with momentum b = first ? d : μ·b + (1−τ)·d,
// d = nesterov ? d + μ·b : b; then p ← p − lr·d. `buf` may be NULL when momentum is 0.
#define HONE_SGD_STEP(T) \
  struct { T lr, momentum, dampening, weight_decay; int nesterov, maximize, first_step; }
typedef HONE_SGD_STEP(float) hone_sgd_step_f32;
typedef HONE_SGD_STEP(double) hone_sgd_step_f64;
void hone_sgd_f32(float *p, const float *g, float *buf, size_t n, const hone_sgd_step_f32 *step);
void hone_sgd_f64(double *p, const double *g, double *buf, size_t n, const hone_sgd_step_f64 *step);

// Adam / AdamW / AMSGrad as torch.optim.Adam(W) (single-tensor order of operations):
// g = ±g (+ wd·p when coupled); p ← p·decay (decoupled); m ← m + (1−β1)(g − m);
// v ← β2·v + (1−β2)·g²; v̂max ← max(v̂max, v) (AMSGrad, `vmax` non-NULL);
// p ← p − step_size · m / (√v · (1/bc2_sqrt) + ε), step_size = lr / (1 − β1^t), bc2_sqrt = √(1 − β2^t)
// (torch divides by bc2_sqrt; the reciprocal saves a division and stays within one ulp).
// w1 = 1 − β1 and w2 = 1 − β2 are passed rounded once from double, as torch's Python scalars are.
#define HONE_ADAM_STEP(T) \
  struct { T w1, beta2, w2, eps, coupled_decay, decay_factor, step_size, bc2_sqrt; int maximize; }
typedef HONE_ADAM_STEP(float) hone_adam_step_f32;
typedef HONE_ADAM_STEP(double) hone_adam_step_f64;
void hone_adam_f32(float *p, const float *g, float *m, float *v, float *vmax, size_t n, const hone_adam_step_f32 *step);
void hone_adam_f64(double *p, const double *g, double *m, double *v, double *vmax, size_t n, const hone_adam_step_f64 *step);

// Lion (Chen et al. 2023) as lion-pytorch: p ← p·(1 − lr·wd); u = sign(β1·m + (1−β1)·g);
// p ← p − lr·u; m ← β2·m + (1−β2)·g.
#define HONE_LION_STEP(T) struct { T lr, beta1, w1, beta2, w2, decay_factor; int maximize; }
typedef HONE_LION_STEP(float) hone_lion_step_f32;
typedef HONE_LION_STEP(double) hone_lion_step_f64;
void hone_lion_f32(float *p, const float *g, float *m, size_t n, const hone_lion_step_f32 *step);
void hone_lion_f64(double *p, const double *g, double *m, size_t n, const hone_lion_step_f64 *step);

// EXAdam (Adly 2024): p ← p + (−lr·λ)·p; m ← β1·m + (1−β1)·g; v ← β2·v + (1−β2)·g²;
// d1 = 1 + v/(v+ε)·β2^t; d2 = 1 + m²/(m²+ε)·β1^t; m̃ = m/bc1·d1; ṽ = v/bc2·d2; g̃ = g/bc1·d1;
// p ← p + (−α)·(m̃ + g̃)/(√ṽ + ε).
#define HONE_EXADAM_STEP(T) \
  struct { T beta1, w1, beta2, w2, eps, b1t, b2t, bc1, bc2, neg_alpha, neg_lr_wd; int maximize; }
typedef HONE_EXADAM_STEP(float) hone_exadam_step_f32;
typedef HONE_EXADAM_STEP(double) hone_exadam_step_f64;
void hone_exadam_f32(float *p, const float *g, float *m, float *v, size_t n, const hone_exadam_step_f32 *step);
void hone_exadam_f64(double *p, const double *g, double *m, double *v, size_t n, const hone_exadam_step_f64 *step);

// 8-bit block-wise states (Dettmers et al. 2021): per block of `block` ≤ HONE_MAX_BLOCK elements,
// dequantize (code value × absmax), update, write p, then requantize the block's new states to
// the nearest code with the new absmax. `code` is a codebook's 256 values and `lut` its
// nearest-code table (2^16 entries by the top 16 bits of a float; see Codebook.swift).
#define HONE_MAX_BLOCK 4096
// Adam8bit's scalars: the update is p ← p·decay + neg_step_size·m / (√v / bc2_sqrt + ε).
typedef struct { float beta1, w1, beta2, w2, eps, neg_step_size, bc2_sqrt, decay_factor; int maximize; } hone_adam8bit_step;
void hone_adam8bit_f32(float *p, const float *g, uint8_t *q1, uint8_t *q2, float *absmax1, float *absmax2,
                       size_t n, size_t block, const float *code1, const uint32_t *lut1, const float *code2,
                       const uint32_t *lut2, const hone_adam8bit_step *step);
// Lion and SGD with 8-bit states take the scalars of their 32-bit kernels.
void hone_lion8bit_f32(float *p, const float *g, uint8_t *q1, float *absmax1, size_t n, size_t block,
                       const float *code1, const uint32_t *lut1, const hone_lion_step_f32 *step);
void hone_sgd8bit_f32(float *p, const float *g, uint8_t *q1, float *absmax1, size_t n, size_t block,
                      const float *code1, const uint32_t *lut1, const hone_sgd_step_f32 *step);
// Block-wise quantization of x to the nearest codes (absmax per block).
void hone_quantize_blockwise_f32(const float *x, uint8_t *q, float *absmax, size_t n, size_t block,
                                 const uint32_t *lut);

// The instruction set the kernels use: 2 AVX-512, 1 AVX2+FMA, 0 the baseline target. Detected
// once; hone_set_cpu_level lowers it (for comparing paths; a negative value restores the
// best) and returns the level in force. Every level computes bit-identical results.
int hone_cpu_level(void);
int hone_set_cpu_level(int level);

// Copies n floats (the memory-bandwidth yardstick of the benchmarks).
void hone_copy_f32(float *dst, const float *src, size_t n);

// ReLU and its pullback as one select: out[i] = x[i] > 0 ? v[i] : 0 (v = x forward, v = dy
// backward). `out` may not overlap `x` or `v`.
void hone_relu_select_f32(const float *x, const float *v, float *out, size_t n);
void hone_relu_select_f64(const double *x, const double *v, double *out, size_t n);

#ifdef __cplusplus
}
#endif

#endif
