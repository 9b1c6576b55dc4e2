#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
import HoneMath

/// The numerically stable log of expected improvement (Ament, Daulton, Eriksson, Balandat &
/// Bakshy 2023, "Unexpected Improvements to Expected Improvement for Bayesian Optimization").
///
/// With z = (μ − best)/σ, EI = σ·h(z), h(z) = φ(z) + z·Φ(z), so log EI = log σ + log h(z):
/// - z > −1: h directly;
/// - −30 < z ≤ −1: h = φ(z)·(1 − |z|·Φ(z)/φ(z)), the ratio from the tail-accurate log Φ;
/// - z ≤ −30: the asymptotic series h = φ(z)/z²·(1 − 3/z² + 15/z⁴ − 105/z⁶ + 945/z⁸ − …),
///   so log EI stays finite and smooth where EI underflows to 0.
/// d log h/dz = Φ(z)/h(z).
public enum LogExpectedImprovement {
  /// log h(z) and its derivative Φ(z)/h(z).
  public static func logH(_ z: Double) -> (value: Double, derivative: Double) {
    if z > -1 {
      let cdf = Normal.cdf(z)
      let h = Normal.pdf(z) + z * cdf
      return (log(h), cdf / h)
    }
    if z > -30 {
      let logCDF = Normal.logCDF(z)
      let logPDF = Normal.logPDF(z)
      let ratio = -z * exp(logCDF - logPDF)          // |z|·Φ/φ < 1
      let value = logPDF + log1p(-ratio)
      return (value, exp(logCDF - value))
    }
    let w = 1 / (z * z)
    let hSeries = 1 - 3 * w + 15 * w * w - 105 * w * w * w + 945 * w * w * w * w
    let cdfSeries = 1 - w + 3 * w * w - 15 * w * w * w + 105 * w * w * w * w
    let value = Normal.logPDF(z) + log(w) + log(hSeries)
    return (value, -z * cdfSeries / hSeries)
  }

  /// log EI of a posterior (μ, σ) over `best` (maximization).
  public static func value(mean: Double, standardDeviation sigma: Double, best: Double) -> Double {
    log(sigma) + logH((mean - best) / sigma).value
  }
}
