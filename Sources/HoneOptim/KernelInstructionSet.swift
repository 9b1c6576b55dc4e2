import CHoneKernels

/// The instruction set the fused kernels run with, chosen at run time from the CPU's
/// features (no compiler flags, so Hone works as a package dependency). Every level gives
/// bit-identical results: the kernels never fuse a·b + c implicitly, and where they fuse
/// (as torch does) they do so explicitly on every level.
public enum KernelInstructionSet: Int, Sendable, CaseIterable {
  /// The compiler's baseline target (SSE2 on x86-64).
  case baseline = 0
  /// AVX2 with FMA.
  case avx2 = 1
  /// AVX-512 (F and VL).
  case avx512 = 2

  /// The level in use.
  public static var current: KernelInstructionSet { KernelInstructionSet(rawValue: Int(hone_cpu_level())) ?? .baseline }

  /// Uses `level`, or the best the CPU has if that is lower; returns the level in force.
  @discardableResult
  public static func use(_ level: KernelInstructionSet) -> KernelInstructionSet {
    KernelInstructionSet(rawValue: Int(hone_set_cpu_level(Int32(level.rawValue)))) ?? .baseline
  }

  /// Goes back to the best level the CPU has.
  @discardableResult
  public static func useBest() -> KernelInstructionSet {
    KernelInstructionSet(rawValue: Int(hone_set_cpu_level(-1))) ?? .baseline
  }
}
