// Runtime dispatch by CPU features, without compiler flags (a package dependency cannot set
// them): HONE_DISPATCH(ret, name, params, args) defines name##_impl once as a static inline
// body, instantiates it for AVX-512 (F+VL), AVX2+FMA and the baseline target, and defines
// `name` to call the best one the CPU supports (checked once, with __builtin_cpu_supports).
#ifndef HONE_DISPATCH_H
#define HONE_DISPATCH_H

#include "hone_kernels.h"

#if defined(__x86_64__) && (defined(__clang__) || defined(__GNUC__))

#define HONE_DISPATCH(RET, NAME, PARAMS, ARGS)                                                    \
  __attribute__((target("avx512f,avx512vl,avx2,fma"))) static RET NAME##_avx512 PARAMS {          \
    return NAME##_impl ARGS;                                                                      \
  }                                                                                               \
  __attribute__((target("avx2,fma"))) static RET NAME##_avx2 PARAMS { return NAME##_impl ARGS; }  \
  static RET NAME##_base PARAMS { return NAME##_impl ARGS; }                                      \
  RET NAME PARAMS {                                                                               \
    switch (hone_cpu_level()) {                                                                   \
    case 2: return NAME##_avx512 ARGS;                                                            \
    case 1: return NAME##_avx2 ARGS;                                                              \
    default: return NAME##_base ARGS;                                                             \
    }                                                                                             \
  }
#else
#define HONE_DISPATCH(RET, NAME, PARAMS, ARGS) \
  RET NAME PARAMS { return NAME##_impl ARGS; }
#endif

// The body of a dispatched kernel: always inlined into each instantiation.
#define HONE_KERNEL_BODY static inline __attribute__((always_inline))

#endif
