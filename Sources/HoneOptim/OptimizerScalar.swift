import CHoneKernels

/// The element types optimizers run on: `Float` (training) and `Double` (reference checks).
/// Each conformance routes the fused kernels to their C implementation for that type.
public protocol OptimizerScalar: BinaryFloatingPoint, Sendable, Codable where Self.RawSignificand: FixedWidthInteger {
  /// The square root, as one machine instruction.
  static func _sqrt(_ x: Self) -> Self
  /// `Self(value)` for a value computed in double precision (bias corrections, schedules).
  init(_ value: Double)
  static func _sgd(_ p: UnsafeMutablePointer<Self>, _ g: UnsafePointer<Self>, _ buf: UnsafeMutablePointer<Self>?, _ n: Int,
                   _ lr: Self, _ momentum: Self, _ dampening: Self, _ weightDecay: Self, _ nesterov: Bool, _ maximize: Bool,
                   _ firstStep: Bool)
  static func _adam(_ p: UnsafeMutablePointer<Self>, _ g: UnsafePointer<Self>, _ m: UnsafeMutablePointer<Self>,
                    _ v: UnsafeMutablePointer<Self>, _ vmax: UnsafeMutablePointer<Self>?, _ n: Int, _ w1: Self, _ beta2: Self,
                    _ w2: Self, _ eps: Self, _ coupledDecay: Self, _ decayFactor: Self, _ maximize: Bool, _ stepSize: Self, _ bc2Sqrt: Self)
  static func _lion(_ p: UnsafeMutablePointer<Self>, _ g: UnsafePointer<Self>, _ m: UnsafeMutablePointer<Self>, _ n: Int,
                    _ lr: Self, _ beta1: Self, _ w1: Self, _ beta2: Self, _ w2: Self, _ decayFactor: Self, _ maximize: Bool)
  static func _exadam(_ p: UnsafeMutablePointer<Self>, _ g: UnsafePointer<Self>, _ m: UnsafeMutablePointer<Self>,
                      _ v: UnsafeMutablePointer<Self>, _ n: Int, _ beta1: Self, _ w1: Self, _ beta2: Self, _ w2: Self,
                      _ eps: Self, _ b1t: Self,
                      _ b2t: Self, _ bc1: Self, _ bc2: Self, _ negAlpha: Self, _ negLrWd: Self, _ maximize: Bool)
}

extension Float: OptimizerScalar {
  @inlinable public static func _sqrt(_ x: Float) -> Float { x.squareRoot() }
  /// Implements `OptimizerScalar._sgd`.
  public static func _sgd(_ p: UnsafeMutablePointer<Float>, _ g: UnsafePointer<Float>, _ buf: UnsafeMutablePointer<Float>?, _ n: Int,
                          _ lr: Float, _ momentum: Float, _ dampening: Float, _ weightDecay: Float, _ nesterov: Bool,
                          _ maximize: Bool, _ firstStep: Bool) {
    hone_sgd_f32(p, g, buf, n, lr, momentum, dampening, weightDecay, nesterov ? 1 : 0, maximize ? 1 : 0, firstStep ? 1 : 0)
  }
  /// Implements `OptimizerScalar._adam`.
  public static func _adam(_ p: UnsafeMutablePointer<Float>, _ g: UnsafePointer<Float>, _ m: UnsafeMutablePointer<Float>,
                           _ v: UnsafeMutablePointer<Float>, _ vmax: UnsafeMutablePointer<Float>?, _ n: Int, _ w1: Float,
                           _ beta2: Float, _ w2: Float, _ eps: Float, _ coupledDecay: Float, _ decayFactor: Float, _ maximize: Bool,
                           _ stepSize: Float, _ bc2Sqrt: Float) {
    hone_adam_f32(p, g, m, v, vmax, n, w1, beta2, w2, eps, coupledDecay, decayFactor, maximize ? 1 : 0, stepSize, bc2Sqrt)
  }
  /// Implements `OptimizerScalar._lion`.
  public static func _lion(_ p: UnsafeMutablePointer<Float>, _ g: UnsafePointer<Float>, _ m: UnsafeMutablePointer<Float>, _ n: Int,
                           _ lr: Float, _ beta1: Float, _ w1: Float, _ beta2: Float, _ w2: Float, _ decayFactor: Float,
                           _ maximize: Bool) {
    hone_lion_f32(p, g, m, n, lr, beta1, w1, beta2, w2, decayFactor, maximize ? 1 : 0)
  }
  /// Implements `OptimizerScalar._exadam`.
  public static func _exadam(_ p: UnsafeMutablePointer<Float>, _ g: UnsafePointer<Float>, _ m: UnsafeMutablePointer<Float>,
                             _ v: UnsafeMutablePointer<Float>, _ n: Int, _ beta1: Float, _ w1: Float, _ beta2: Float, _ w2: Float,
                             _ eps: Float,
                             _ b1t: Float, _ b2t: Float, _ bc1: Float, _ bc2: Float, _ negAlpha: Float, _ negLrWd: Float,
                             _ maximize: Bool) {
    hone_exadam_f32(p, g, m, v, n, beta1, w1, beta2, w2, eps, b1t, b2t, bc1, bc2, negAlpha, negLrWd, maximize ? 1 : 0)
  }
}

extension Double: OptimizerScalar {
  @inlinable public static func _sqrt(_ x: Double) -> Double { x.squareRoot() }
  /// Implements `OptimizerScalar._sgd`.
  public static func _sgd(_ p: UnsafeMutablePointer<Double>, _ g: UnsafePointer<Double>, _ buf: UnsafeMutablePointer<Double>?,
                          _ n: Int, _ lr: Double, _ momentum: Double, _ dampening: Double, _ weightDecay: Double,
                          _ nesterov: Bool, _ maximize: Bool, _ firstStep: Bool) {
    hone_sgd_f64(p, g, buf, n, lr, momentum, dampening, weightDecay, nesterov ? 1 : 0, maximize ? 1 : 0, firstStep ? 1 : 0)
  }
  /// Implements `OptimizerScalar._adam`.
  public static func _adam(_ p: UnsafeMutablePointer<Double>, _ g: UnsafePointer<Double>, _ m: UnsafeMutablePointer<Double>,
                           _ v: UnsafeMutablePointer<Double>, _ vmax: UnsafeMutablePointer<Double>?, _ n: Int, _ w1: Double,
                           _ beta2: Double, _ w2: Double, _ eps: Double, _ coupledDecay: Double, _ decayFactor: Double, _ maximize: Bool,
                           _ stepSize: Double, _ bc2Sqrt: Double) {
    hone_adam_f64(p, g, m, v, vmax, n, w1, beta2, w2, eps, coupledDecay, decayFactor, maximize ? 1 : 0, stepSize, bc2Sqrt)
  }
  /// Implements `OptimizerScalar._lion`.
  public static func _lion(_ p: UnsafeMutablePointer<Double>, _ g: UnsafePointer<Double>, _ m: UnsafeMutablePointer<Double>,
                           _ n: Int, _ lr: Double, _ beta1: Double, _ w1: Double, _ beta2: Double, _ w2: Double, _ decayFactor: Double,
                           _ maximize: Bool) {
    hone_lion_f64(p, g, m, n, lr, beta1, w1, beta2, w2, decayFactor, maximize ? 1 : 0)
  }
  /// Implements `OptimizerScalar._exadam`.
  public static func _exadam(_ p: UnsafeMutablePointer<Double>, _ g: UnsafePointer<Double>, _ m: UnsafeMutablePointer<Double>,
                             _ v: UnsafeMutablePointer<Double>, _ n: Int, _ beta1: Double, _ w1: Double, _ beta2: Double, _ w2: Double,
                             _ eps: Double,
                             _ b1t: Double, _ b2t: Double, _ bc1: Double, _ bc2: Double, _ negAlpha: Double,
                             _ negLrWd: Double, _ maximize: Bool) {
    hone_exadam_f64(p, g, m, v, n, beta1, w1, beta2, w2, eps, b1t, b2t, bc1, bc2, negAlpha, negLrWd, maximize ? 1 : 0)
  }
}
