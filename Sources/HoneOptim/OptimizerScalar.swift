import CHoneKernels

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
}

extension Float: OptimizerScalar {
  @inlinable public static func _sqrt(_ x: Float) -> Float { x.squareRoot() }
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
