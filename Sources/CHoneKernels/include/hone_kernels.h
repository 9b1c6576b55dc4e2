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

// SGD as torch.optim.SGD: d = ±g (+ wd·p); with momentum b = first ? d : μ·b + (1−τ)·d,
// d = nesterov ? d + μ·b : b; then p ← p − lr·d. `buf` may be NULL when momentum is 0.
void hone_sgd_f32(float *p, const float *g, float *buf, size_t n, float lr, float momentum,
                  float dampening, float weight_decay, int nesterov, int maximize, int first_step);
void hone_sgd_f64(double *p, const double *g, double *buf, size_t n, double lr, double momentum,
                  double dampening, double weight_decay, int nesterov, int maximize, int first_step);

// Adam / AdamW / AMSGrad as torch.optim.Adam(W) (single-tensor order of operations):
// g = ±g (+ wd·p when coupled); p ← p·decay (decoupled); m ← m + (1−β1)(g − m);
// v ← β2·v + (1−β2)·g²; v̂max ← max(v̂max, v) (AMSGrad, `vmax` non-NULL);
// p ← p − step_size · m / (√v · (1/bc2_sqrt) + ε), step_size = lr / (1 − β1^t), bc2_sqrt = √(1 − β2^t)
// (torch divides by bc2_sqrt; the reciprocal saves a division and stays within one ulp).
// w1 = 1 − β1 and w2 = 1 − β2 are passed rounded once from double, as torch's Python scalars are.
void hone_adam_f32(float *p, const float *g, float *m, float *v, float *vmax, size_t n,
                   float w1, float beta2, float w2, float eps, float coupled_decay, float decay_factor,
                   int maximize, float step_size, float bc2_sqrt);
void hone_adam_f64(double *p, const double *g, double *m, double *v, double *vmax, size_t n,
                   double w1, double beta2, double w2, double eps, double coupled_decay, double decay_factor,
                   int maximize, double step_size, double bc2_sqrt);

// Lion (Chen et al. 2023) as lion-pytorch: p ← p·(1 − lr·wd); u = sign(β1·m + (1−β1)·g);
// p ← p − lr·u; m ← β2·m + (1−β2)·g.
void hone_lion_f32(float *p, const float *g, float *m, size_t n, float lr, float beta1, float w1,
                   float beta2, float w2, float decay_factor, int maximize);
void hone_lion_f64(double *p, const double *g, double *m, size_t n, double lr, double beta1, double w1,
                   double beta2, double w2, double decay_factor, int maximize);

// EXAdam (Adly 2024): p ← p + (−lr·λ)·p; m ← β1·m + (1−β1)·g; v ← β2·v + (1−β2)·g²;
// d1 = 1 + v/(v+ε)·β2^t; d2 = 1 + m²/(m²+ε)·β1^t; m̃ = m/bc1·d1; ṽ = v/bc2·d2; g̃ = g/bc1·d1;
// p ← p + (−α)·(m̃ + g̃)/(√ṽ + ε).
void hone_exadam_f32(float *p, const float *g, float *m, float *v, size_t n, float beta1, float w1,
                     float beta2, float w2, float eps, float b1t, float b2t, float bc1, float bc2,
                     float neg_alpha, float neg_lr_wd, int maximize);
void hone_exadam_f64(double *p, const double *g, double *m, double *v, size_t n, double beta1, double w1,
                     double beta2, double w2, double eps, double b1t, double b2t, double bc1, double bc2,
                     double neg_alpha, double neg_lr_wd, int maximize);

// 8-bit block-wise states (Dettmers et al. 2021): per block of `block` ≤ HONE_MAX_BLOCK elements,
// dequantize (code value × absmax), update, write p, then requantize the block's new states to
// the nearest code with the new absmax. `code` is a codebook's 256 values and `lut` its
// nearest-code table (2^16 entries by the top 16 bits of a float; see Codebook.swift).
#define HONE_MAX_BLOCK 4096
void hone_adam8bit_f32(float *p, const float *g, uint8_t *q1, uint8_t *q2, float *absmax1, float *absmax2,
                       size_t n, size_t block, const float *code1, const uint32_t *lut1, const float *code2,
                       const uint32_t *lut2, float beta1, float w1, float beta2, float w2, float eps,
                       float neg_step_size, float bc2_sqrt, float decay_factor, int maximize);
void hone_lion8bit_f32(float *p, const float *g, uint8_t *q1, float *absmax1, size_t n, size_t block,
                       const float *code1, const uint32_t *lut1, float lr, float beta1, float w1, float beta2,
                       float w2, float decay_factor, int maximize);
void hone_sgd8bit_f32(float *p, const float *g, uint8_t *q1, float *absmax1, size_t n, size_t block,
                      const float *code1, const uint32_t *lut1, float lr, float momentum, float dampening,
                      float weight_decay, int nesterov, int maximize, int first_step);
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
