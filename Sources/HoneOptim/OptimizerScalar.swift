import CHoneKernels
import CLAPACK

/// The element types optimizers run on: `Float` (training) and `Double` (reference checks).
/// Each conformance routes the fused kernels to their C implementation for that type.
public protocol OptimizerScalar: BinaryFloatingPoint, Sendable, Codable where Self.RawSignificand: FixedWidthInteger {
  /// The square root, as one machine instruction.
  static func _sqrt(_ x: Self) -> Self
  /// `Self(value)` for a value computed in double precision (bias corrections, schedules).
  init(_ value: Double)
  /// One fused SGD step over n elements (`buf` nil without momentum).
  static func _sgd(_ p: UnsafeMutablePointer<Self>, _ g: UnsafePointer<Self>, _ buf: UnsafeMutablePointer<Self>?, _ n: Int,
                   _ step: SGDKernelStep<Self>)
  /// One fused Adam step over n elements (`vmax` non-nil for AMSGrad).
  static func _adam(_ p: UnsafeMutablePointer<Self>, _ g: UnsafePointer<Self>, _ m: UnsafeMutablePointer<Self>,
                    _ v: UnsafeMutablePointer<Self>, _ vmax: UnsafeMutablePointer<Self>?, _ n: Int, _ step: AdamKernelStep<Self>)
  /// One fused Lion step over n elements.
  static func _lion(_ p: UnsafeMutablePointer<Self>, _ g: UnsafePointer<Self>, _ m: UnsafeMutablePointer<Self>, _ n: Int,
                    _ step: LionKernelStep<Self>)
  /// One fused EXAdam step over n elements.
  static func _exadam(_ p: UnsafeMutablePointer<Self>, _ g: UnsafePointer<Self>, _ m: UnsafeMutablePointer<Self>,
                      _ v: UnsafeMutablePointer<Self>, _ n: Int, _ step: EXAdamKernelStep<Self>)
  /// C ← α·op(A)·op(B) + β·C for row-major A (m×k after op), B (k×n after op), C (m×n) by BLAS
  /// `gemm` in this precision (Shampoo's preconditioned direction).
  static func _gemm(transposeA: Bool, transposeB: Bool, _ m: Int, _ n: Int, _ k: Int, alpha: Self, _ a: UnsafePointer<Self>,
                    _ b: UnsafePointer<Self>, beta: Self, _ c: UnsafeMutablePointer<Self>)
  /// The lower triangle of C (n×n, row-major) ← α·A·Aᵀ + β·C, or α·Aᵀ·A + β·C with
  /// `transpose` (A is n×k, or k×n), by BLAS `syrk` in this precision (Shampoo's factors).
  static func _syrk(transpose: Bool, _ n: Int, _ k: Int, alpha: Self, _ a: UnsafePointer<Self>, beta: Self,
                    _ c: UnsafeMutablePointer<Self>)
}

extension Float: OptimizerScalar {
  @inlinable public static func _sqrt(_ x: Float) -> Float { x.squareRoot() }
  /// Implements `OptimizerScalar._gemm` (`cblas_sgemm`).
  public static func _gemm(transposeA: Bool, transposeB: Bool, _ m: Int, _ n: Int, _ k: Int, alpha: Float, _ a: UnsafePointer<Float>,
                           _ b: UnsafePointer<Float>, beta: Float, _ c: UnsafeMutablePointer<Float>) {
    cblas_sgemm(CblasRowMajor, transposeA ? CblasTrans : CblasNoTrans, transposeB ? CblasTrans : CblasNoTrans, Int32(m), Int32(n),
                Int32(k), alpha, a, Int32(max(1, transposeA ? m : k)), b, Int32(max(1, transposeB ? k : n)), beta, c, Int32(max(1, n)))
  }
  /// Implements `OptimizerScalar._syrk` (`cblas_ssyrk`).
  public static func _syrk(transpose: Bool, _ n: Int, _ k: Int, alpha: Float, _ a: UnsafePointer<Float>, beta: Float,
                           _ c: UnsafeMutablePointer<Float>) {
    cblas_ssyrk(CblasRowMajor, CblasLower, transpose ? CblasTrans : CblasNoTrans, Int32(n), Int32(k), alpha, a,
                Int32(max(1, transpose ? n : k)), beta, c, Int32(max(1, n)))
  }
  /// Implements `OptimizerScalar._sgd`.
  public static func _sgd(_ p: UnsafeMutablePointer<Float>, _ g: UnsafePointer<Float>, _ buf: UnsafeMutablePointer<Float>?, _ n: Int,
                          _ s: SGDKernelStep<Float>) {
    var step = s.c
    hone_sgd_f32(p, g, buf, n, &step)
  }
  /// Implements `OptimizerScalar._adam`.
  public static func _adam(_ p: UnsafeMutablePointer<Float>, _ g: UnsafePointer<Float>, _ m: UnsafeMutablePointer<Float>,
                           _ v: UnsafeMutablePointer<Float>, _ vmax: UnsafeMutablePointer<Float>?, _ n: Int, _ s: AdamKernelStep<Float>) {
    var step = s.c
    hone_adam_f32(p, g, m, v, vmax, n, &step)
  }
  /// Implements `OptimizerScalar._lion`.
  public static func _lion(_ p: UnsafeMutablePointer<Float>, _ g: UnsafePointer<Float>, _ m: UnsafeMutablePointer<Float>, _ n: Int,
                           _ s: LionKernelStep<Float>) {
    var step = s.c
    hone_lion_f32(p, g, m, n, &step)
  }
  /// Implements `OptimizerScalar._exadam`.
  public static func _exadam(_ p: UnsafeMutablePointer<Float>, _ g: UnsafePointer<Float>, _ m: UnsafeMutablePointer<Float>,
                             _ v: UnsafeMutablePointer<Float>, _ n: Int, _ s: EXAdamKernelStep<Float>) {
    var step = s.c
    hone_exadam_f32(p, g, m, v, n, &step)
  }
}

extension Double: OptimizerScalar {
  @inlinable public static func _sqrt(_ x: Double) -> Double { x.squareRoot() }
  /// Implements `OptimizerScalar._gemm` (`cblas_dgemm`).
  public static func _gemm(transposeA: Bool, transposeB: Bool, _ m: Int, _ n: Int, _ k: Int, alpha: Double, _ a: UnsafePointer<Double>,
                           _ b: UnsafePointer<Double>, beta: Double, _ c: UnsafeMutablePointer<Double>) {
    cblas_dgemm(CblasRowMajor, transposeA ? CblasTrans : CblasNoTrans, transposeB ? CblasTrans : CblasNoTrans, Int32(m), Int32(n),
                Int32(k), alpha, a, Int32(max(1, transposeA ? m : k)), b, Int32(max(1, transposeB ? k : n)), beta, c, Int32(max(1, n)))
  }
  /// Implements `OptimizerScalar._syrk` (`cblas_dsyrk`).
  public static func _syrk(transpose: Bool, _ n: Int, _ k: Int, alpha: Double, _ a: UnsafePointer<Double>, beta: Double,
                           _ c: UnsafeMutablePointer<Double>) {
    cblas_dsyrk(CblasRowMajor, CblasLower, transpose ? CblasTrans : CblasNoTrans, Int32(n), Int32(k), alpha, a,
                Int32(max(1, transpose ? n : k)), beta, c, Int32(max(1, n)))
  }
  /// Implements `OptimizerScalar._sgd`.
  public static func _sgd(_ p: UnsafeMutablePointer<Double>, _ g: UnsafePointer<Double>, _ buf: UnsafeMutablePointer<Double>?, _ n: Int,
                          _ s: SGDKernelStep<Double>) {
    var step = s.c
    hone_sgd_f64(p, g, buf, n, &step)
  }
  /// Implements `OptimizerScalar._adam`.
  public static func _adam(_ p: UnsafeMutablePointer<Double>, _ g: UnsafePointer<Double>, _ m: UnsafeMutablePointer<Double>,
                           _ v: UnsafeMutablePointer<Double>, _ vmax: UnsafeMutablePointer<Double>?, _ n: Int, _ s: AdamKernelStep<Double>) {
    var step = s.c
    hone_adam_f64(p, g, m, v, vmax, n, &step)
  }
  /// Implements `OptimizerScalar._lion`.
  public static func _lion(_ p: UnsafeMutablePointer<Double>, _ g: UnsafePointer<Double>, _ m: UnsafeMutablePointer<Double>, _ n: Int,
                           _ s: LionKernelStep<Double>) {
    var step = s.c
    hone_lion_f64(p, g, m, n, &step)
  }
  /// Implements `OptimizerScalar._exadam`.
  public static func _exadam(_ p: UnsafeMutablePointer<Double>, _ g: UnsafePointer<Double>, _ m: UnsafeMutablePointer<Double>,
                             _ v: UnsafeMutablePointer<Double>, _ n: Int, _ s: EXAdamKernelStep<Double>) {
    var step = s.c
    hone_exadam_f64(p, g, m, v, n, &step)
  }
}
