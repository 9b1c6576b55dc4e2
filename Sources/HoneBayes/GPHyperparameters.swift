#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// The hyperparameters of a Matérn-5/2 GP, on the log scale where they are fitted:
/// θ = (log ℓ₁ … log ℓ_d, log s, log σ²ₙ).
public struct GPHyperparameters: Sendable, Equatable, Codable {
  /// log length scale per input dimension (inputs live in the unit cube).
  public var logLengthscales: [Double]
  /// log output scale s (the prior variance of the standardized outputs).
  public var logOutputScale: Double
  /// log noise variance σ²ₙ (on the standardized outputs).
  public var logNoise: Double

  /// Explicit values.
  public init(logLengthscales: [Double], logOutputScale: Double, logNoise: Double) {
    self.logLengthscales = logLengthscales
    self.logOutputScale = logOutputScale
    self.logNoise = logNoise
  }

  /// The prior modes for `dimensions` inputs: ℓ = exp(√2 + ½ln d), s = 1, σ²ₙ = 1e-3.
  public init(priorModeFor dimensions: Int) {
    self.init(logLengthscales: Array(repeating: GPPrior.lengthscaleLocation(dimensions), count: dimensions),
              logOutputScale: 0, logNoise: log(1e-3))
  }

  /// θ as one vector.
  public var vector: [Double] { logLengthscales + [logOutputScale, logNoise] }

  /// From θ as one vector.
  public init(vector: [Double]) {
    self.init(logLengthscales: Array(vector.dropLast(2)), logOutputScale: vector[vector.count - 2], logNoise: vector[vector.count - 1])
  }
}

/// The priors of the MAP fit, as log densities of θ (up to constants), and θ's bounds.
///
/// - length scales: log ℓ ~ N(√2 + ½·ln d, 3), the dimension-scaled log-normal of Hvarfner,
///   Hellsten & Nardi 2024 ("Vanilla Bayesian Optimization Performs Great in High
///   Dimensions"), BoTorch's default;
/// - output scale: log s ~ N(0, 1);
/// - noise: σ²ₙ ~ Gamma(1.1, rate 30) (Optuna's GPSampler), i.e. 1.1·θ − 30·e^θ in θ = log σ²ₙ,
///   with σ²ₙ ≥ `minimumNoise` (10⁻⁶; deterministic objectives reach the floor).
public enum GPPrior {
  /// The smallest noise variance (standardized outputs).
  public static let minimumNoise = 1e-6

  /// √2 + ½·ln d.
  public static func lengthscaleLocation(_ d: Int) -> Double { 2.0.squareRoot() + 0.5 * log(Double(Swift.max(d, 1))) }

  /// log p(θ) and its gradient.
  public static func logDensity(_ theta: [Double], dimensions d: Int) -> (value: Double, gradient: [Double]) {
    var value = 0.0
    var gradient = [Double](repeating: 0, count: theta.count)
    let mu = lengthscaleLocation(d)
    for j in 0..<d {
      value -= (theta[j] - mu) * (theta[j] - mu) / 6
      gradient[j] = -(theta[j] - mu) / 3
    }
    value -= theta[d] * theta[d] / 2
    gradient[d] = -theta[d]
    let noise = exp(theta[d + 1])
    value += 1.1 * theta[d + 1] - 30 * noise
    gradient[d + 1] = 1.1 - 30 * noise
    return (value, gradient)
  }

  /// Bounds of θ: ℓ ∈ [10⁻³, 10³], s ∈ [10⁻³, 10³], σ²ₙ ∈ [10⁻⁶, 1].
  public static func bounds(dimensions d: Int) -> (lower: [Double], upper: [Double]) {
    (Array(repeating: log(1e-3), count: d) + [log(1e-3), log(minimumNoise)],
     Array(repeating: log(1e3), count: d) + [log(1e3), 0])
  }
}
