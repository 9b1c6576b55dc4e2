/// The standard normal distribution N(0, 1), accurate far into both tails.
///
/// - `cdf` and `logCDF` use the complementary error function, which keeps full relative
///   precision where Φ is tiny; below x = −20, `logCDF` switches to Laplace's continued
///   fraction for the Mills ratio, so log Φ(−1000) ≈ −500,007 is still exact to the last digits.
/// - `inverseCDF` starts from Acklam's rational approximation (relative error 1.15e−9) and
///   takes one Halley step on Φ(x) − p, which brings it to double precision (Acklam 2003,
///   "An algorithm for computing the inverse normal cumulative distribution function").
public enum Normal {
  static let logSqrt2Pi = 0.918_938_533_204_672_741_780_329_736_4
  static let sqrt2 = 1.414_213_562_373_095_048_801_688_724_2
  static let sqrt2Pi = 2.506_628_274_631_000_502_415_765_284_8

  /// Density φ(x) = exp(−x²/2) / √(2π).
  public static func pdf(_ x: Double) -> Double { _exp(-0.5 * x * x) / sqrt2Pi }

  /// log φ(x) = −x²/2 − log √(2π).
  public static func logPDF(_ x: Double) -> Double { -0.5 * x * x - logSqrt2Pi }

  /// Φ(x) = erfc(−x/√2) / 2.
  public static func cdf(_ x: Double) -> Double { 0.5 * _erfc(-x / sqrt2) }

  /// The upper tail 1 − Φ(x) = erfc(x/√2) / 2, without cancellation for large x.
  public static func survival(_ x: Double) -> Double { 0.5 * _erfc(x / sqrt2) }

  /// log Φ(x), finite for every finite x.
  ///
  /// x > 0: log1p(−erfc(x/√2)/2); −20 ≤ x ≤ 0: log(erfc(−x/√2)/2); x < −20:
  /// log φ(x) + log M(−x), with the Mills ratio M(t) = 1/(t + 1/(t + 2/(t + 3/(t + …)))).
  public static func logCDF(_ x: Double) -> Double {
    if x.isNaN { return .nan }
    if x > 0 { return _log1p(-survival(x)) }
    if x >= -20 { return _log(cdf(x)) }
    if x == -.infinity { return -.infinity }
    return logPDF(x) + _log(millsRatio(-x))
  }

  /// log(Φ(b) − Φ(a)) for a ≤ b, the log of the mass of [a, b]: computed as
  /// log Φ(b) + log1p(−exp(log Φ(a) − log Φ(b))) on the side of zero where Φ keeps full
  /// relative precision (mirrored when a > 0), so it stays finite far into either tail;
  /// directly as log(Φ(b) − Φ(a)) when the interval holds 0; −∞ when a = b.
  public static func logMass(_ a: Double, _ b: Double) -> Double {
    if a > 0 { return logMass(-b, -a) }
    if b >= 0 { return _log(cdf(b) - cdf(a)) }  // the interval holds 0: no tail to lose
    let la = logCDF(a), lb = logCDF(b)
    return lb + _log1p(-_exp(la - lb))
  }

  /// The u-quantile, u ∈ [0, 1], of the standard normal truncated to [a, b]:
  /// Φ⁻¹(Φ(a) + u·(Φ(b) − Φ(a))), mirrored when a > 0 so that Φ is evaluated where it is
  /// accurate; clipped to [a, b]. Inverse-transform sampling of truncated normals.
  public static func truncatedQuantile(_ u: Double, _ a: Double, _ b: Double) -> Double {
    if a > 0 { return -truncatedQuantile(1 - u, -b, -a) }
    let low = cdf(a)
    return min(max(inverseCDF(low + u * (cdf(b) - low)), a), b)
  }

  /// The Mills ratio M(t) = (1 − Φ(t)) / φ(t) for t ≥ 20 by its continued fraction,
  /// evaluated from the 60th term backwards (ample: at t = 20 the terms vanish after ~10).
  static func millsRatio(_ t: Double) -> Double {
    var tail = t
    for k in stride(from: 60, through: 1, by: -1) { tail = t + Double(k) / tail }
    return 1 / tail
  }

  /// Φ⁻¹(p) for p in (0, 1); −∞ at 0, +∞ at 1, NaN outside [0, 1].
  ///
  /// Symmetric: for p > 1/2 it returns −Φ⁻¹(1 − p) (1 − p is exact there), so the
  /// refinement always works on the lower tail where Φ has full relative precision.
  public static func inverseCDF(_ p: Double) -> Double {
    if p.isNaN || p < 0 || p > 1 { return .nan }
    if p == 0 { return -.infinity }
    if p == 1 { return .infinity }
    if p > 0.5 { return -inverseCDF(1 - p) }
    var x = acklam(p)
    // One Halley step on f(x) = Φ(x) − p: x ← x − u / (1 + x·u/2), u = f(x)/φ(x).
    let scale = _exp(0.5 * x * x)
    if scale.isFinite {
      let u = (cdf(x) - p) * sqrt2Pi * scale
      x -= u / (1 + 0.5 * x * u)
    }
    return x
  }

  /// Acklam's approximation on the lower half, p ≤ 1/2.
  private static func acklam(_ p: Double) -> Double {
    let a = [-3.969683028665376e+01, 2.209460984245205e+02, -2.759285104469687e+02,
             1.383577518672690e+02, -3.066479806614716e+01, 2.506628277459239e+00]
    let b = [-5.447609879822406e+01, 1.615858368580409e+02, -1.556989798598866e+02,
             6.680131188771972e+01, -1.328068155288572e+01]
    let c = [-7.784894002430293e-03, -3.223964580411365e-01, -2.400758277161838e+00,
             -2.549732539343734e+00, 4.374664141464968e+00, 2.938163982698783e+00]
    let d = [7.784695709041462e-03, 3.224671290700398e-01, 2.445134137142996e+00,
             3.754408661907416e+00]
    if p < 0.02425 {
      let q = (-2 * _log(p)).squareRoot()
      let num = ((((c[0] * q + c[1]) * q + c[2]) * q + c[3]) * q + c[4]) * q + c[5]
      let den = (((d[0] * q + d[1]) * q + d[2]) * q + d[3]) * q + 1
      return num / den
    }
    let q = p - 0.5
    let r = q * q
    let num = (((((a[0] * r + a[1]) * r + a[2]) * r + a[3]) * r + a[4]) * r + a[5]) * q
    let den = ((((b[0] * r + b[1]) * r + b[2]) * r + b[3]) * r + b[4]) * r + 1
    return num / den
  }
}
