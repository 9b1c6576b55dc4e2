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

  /// The starting point of a cold fit: ℓ = 1 (the length-scale prior's mode), s = 1, σ²ₙ = 10⁻³.
  public init(priorModeFor dimensions: Int) {
    self.init(logLengthscales: Array(repeating: 0, count: dimensions), logOutputScale: 0, logNoise: log(1e-3))
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
/// - length scales: with x = 1/ℓ², log p = −(0.1/x + 0.1·x) (Optuna's GPSampler), which keeps
///   ℓ within about [0.1, 10] on the unit cube. The dimension-scaled log-normal of Hvarfner,
///   Hellsten & Nardi 2024 (log ℓ ~ N(√2 + ½·ln d, 3), BoTorch's default) was measured too:
///   on Ackley-5, Levy-5, Rosenbrock-5 and Hartmann-6 (3 seeds each) its median regrets were
///   2–8× worse here, its length scales running to the 10⁻³ bound on rugged functions;
/// - output scale: log s ~ N(0, 1);
/// - noise: σ²ₙ ~ Gamma(1.1, rate 30) (Optuna's GPSampler), i.e. 1.1·θ − 30·e^θ in θ = log σ²ₙ,
///   with σ²ₙ ≥ `minimumNoise` (10⁻⁸; deterministic objectives reach the floor). The floor
///   bounds how finely the model resolves the optimum: Optuna's 10⁻⁶ left a regret near 10⁻⁴
///   on Branin and Hartmann-6 (noise standard deviation 10⁻³ of the outputs' spread), 10⁻⁸
///   took it to 4·10⁻⁵ and 1.3·10⁻⁵.
public enum GPPrior {
  /// The smallest noise variance (standardized outputs).
  public static let minimumNoise = 1e-8

  /// log p(θ) and its gradient.
  public static func logDensity(_ theta: [Double], dimensions d: Int) -> (value: Double, gradient: [Double]) {
    var value = 0.0
    var gradient = [Double](repeating: 0, count: theta.count)
    for j in 0..<d {
      let x = exp(-2 * theta[j])           // 1/ℓ²; dx/dθ = −2x
      value -= 0.1 / x + 0.1 * x
      gradient[j] = -0.2 / x + 0.2 * x
    }
    value -= theta[d] * theta[d] / 2
    gradient[d] = -theta[d]
    let noise = exp(theta[d + 1])
    value += 1.1 * theta[d + 1] - 30 * noise
    gradient[d + 1] = 1.1 - 30 * noise
    return (value, gradient)
  }

  /// Bounds of θ: ℓ ∈ [10⁻³, 10³], s ∈ [10⁻³, 10³], σ²ₙ ∈ [10⁻⁸, 1] (σ²ₙ = 10⁻⁸ exactly for a
  /// deterministic objective).
  public static func bounds(dimensions d: Int, deterministic: Bool = false) -> (lower: [Double], upper: [Double]) {
    (Array(repeating: log(1e-3), count: d) + [log(1e-3), log(minimumNoise)],
     Array(repeating: log(1e3), count: d) + [log(1e3), deterministic ? log(minimumNoise) : 0])
  }
}
