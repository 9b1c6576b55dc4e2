#include "dispatch.h"

#if defined(__x86_64__) && (defined(__clang__) || defined(__GNUC__))
static int level = -1;

static int detected_level(void) {
  int l;
  __builtin_cpu_init();
  if (__builtin_cpu_supports("avx512f") && __builtin_cpu_supports("avx512vl") && __builtin_cpu_supports("fma")) {
    l = 2;
  } else if (__builtin_cpu_supports("avx2") && __builtin_cpu_supports("fma")) {
    l = 1;
  } else {
    l = 0;
  }
  return l;
}

int hone_cpu_level(void) {
  int l = __atomic_load_n(&level, __ATOMIC_RELAXED);
  if (l < 0) {
    l = detected_level();
    __atomic_store_n(&level, l, __ATOMIC_RELAXED);
  }
  return l;
}

int hone_set_cpu_level(int wanted) {
  int best = detected_level();
  int l = wanted < 0 ? best : (wanted < best ? wanted : best);
  __atomic_store_n(&level, l, __ATOMIC_RELAXED);
  return l;
}
#else
int hone_cpu_level(void) { return 0; }
int hone_set_cpu_level(int wanted) { (void)wanted; return 0; }
#endif
