#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// The Yeo–Johnson power transform (Yeo & Johnson 2000, "A new family of power
/// transformations to improve normality or symmetry"), fitted by maximum likelihood as
/// scikit-learn's `PowerTransformer` does, on values first standardized to mean 0 and
/// standard deviation 1:
///
///   ψ(y; λ) = ((1 + y)^λ − 1)/λ            for y ≥ 0 (log(1 + y) when λ = 0),
///   ψ(y; λ) = −((1 − y)^(2−λ) − 1)/(2 − λ)  for y < 0 (−log(1 − y) when λ = 2),
///
/// with λ maximizing the profile log-likelihood of a normal model of ψ(y),
/// ℓ(λ) = −n/2·log σ̂²(ψ) + (λ − 1)·Σᵢ sign(yᵢ)·log(1 + |yᵢ|), by golden-section search on
/// [−2, 4] (λ = 1 is the identity). It is monotone increasing for every λ, so it keeps the
/// order of the values: a long tail on one side is drawn in (λ toward 2 for a lower tail,
/// toward 0 for an upper one). HEBO (Cowen-Rivers et al. 2022) warps a GP's outputs this way.
public struct YeoJohnsonTransform: Sendable, Equatable {
  /// The mean and standard deviation that standardize the values before ψ.
  public let mean: Double, scale: Double
  /// The fitted exponent λ.
  public let lambda: Double

  /// Fits λ to `values` (all finite). Fewer than 3 values, or values without spread, give
  /// the identity (λ = 1).
  public init(fitting values: [Double]) {
    let (mean, deviation) = meanAndStandardDeviation(values)
    let scale = deviation > 0 && deviation.isFinite ? deviation : 1
    self.mean = mean
    self.scale = scale
    guard values.count >= 3, deviation > 0, deviation.isFinite else { lambda = 1; return }
    let standardized = values.map { ($0 - mean) / scale }
    let jacobian = standardized.reduce(0) { $0 + ($1 >= 0 ? 1 : -1) * log1p(Swift.abs($1)) }
    func logLikelihood(_ lambda: Double) -> Double {
      let transformed = standardized.map { Self.psi($0, lambda) }
      // −n/2·log σ̂² = −n·log σ̂.
      let deviation = meanAndStandardDeviation(transformed).standardDeviation
      guard deviation > 0, deviation.isFinite else { return -.infinity }
      return -Double(values.count) * log(deviation) + (lambda - 1) * jacobian
    }
    let best = goldenSectionMaximum(in: -2, 4, logLikelihood)
    lambda = logLikelihood(best) >= logLikelihood(1) ? best : 1
  }

  /// ψ((value − mean)/scale; λ).
  public func callAsFunction(_ value: Double) -> Double { Self.psi((value - mean) / scale, lambda) }

  /// ψ(y; λ) for one standardized value.
  public static func psi(_ y: Double, _ lambda: Double) -> Double {
    if y >= 0 {
      return Swift.abs(lambda) < 1e-12 ? log1p(y) : (exp(lambda * log1p(y)) - 1) / lambda
    }
    let power = 2 - lambda
    return Swift.abs(power) < 1e-12 ? -log1p(-y) : -(exp(power * log1p(-y)) - 1) / power
  }
}
