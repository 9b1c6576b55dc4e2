#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
import CLAPACK
import HoneMath

/// The infinite-width Bayesian neural network as a surrogate: a GP with the
/// `NeuralNetworkKernel` (Li, Rudner & Wilson 2024 found it the strongest surrogate in high
/// dimensions). θ = (log σ²_w, log σ²_b, log s, log σ²ₙ) is fitted by MAP as the Matérn GP's
/// is — L-BFGS on the analytic gradient ½·tr((ααᵀ − K⁻¹)·∂K/∂θ) — with priors
/// log σ²_w ~ N(log 2, 1) (He initialization's variance), log σ²_b ~ N(log 0.1, 2²),
/// log s ~ N(0, 1) and σ²ₙ ~ Gamma(1.1, rate 30) (as `GPPrior`). The depth L ∈ {1, 2, 3, 4}
/// is chosen by the log posterior on a cold fit; a warm fit keeps it unless a neighbouring
/// depth scores higher at the new θ. The stored vector is (L, θ).
public struct InfiniteWidthSurrogate: SurrogateFitter {
  /// The depths tried.
  public let depths: ClosedRange<Int>

  /// A fitter over `depths` hidden layers.
  public init(depths: ClosedRange<Int> = 1...4) {
    precondition(depths.lowerBound >= 1, "InfiniteWidthSurrogate: depths ≥ 1")
    self.depths = depths
  }

  /// Implements `SurrogateFitter.name`.
  public var name: String { "infinite-width" }

  /// Implements `SurrogateFitter.fit`.
  public func fit(_ data: SurrogateData, initial: [Double]?, warmIterations: Int, seed: UInt64) throws -> any Surrogate {
    let (mean, scale) = data.outputStandardization
    let y = data.standardizedOutputs
    let bounds = Self.bounds(deterministic: data.deterministic)
    func minimize(_ depth: Int, from start: [Double], iterations: Int) -> (theta: [Double], value: Double) {
      var theta = start
      if data.deterministic { theta[3] = bounds.lower[3] }
      guard !y.isEmpty else { return (theta, 0) }
      let minimizer = BoundedLBFGS(maxIterations: iterations, gradientTolerance: 1e-4, relativeTolerance: 1e-9)
      let result = minimizer.minimize(start: theta, lower: bounds.lower, upper: bounds.upper) { t, g in
        guard let (value, gradient) = Self.negativeLogPosterior(t, depth: depth, data: data, targets: y) else { return .infinity }
        g = gradient
        return value
      }
      return result.value.isFinite ? (result.x, result.value) : (theta, Self.negativeLogPosterior(theta, depth: depth, data: data, targets: y)?.value ?? .infinity)
    }
    var chosen: (depth: Int, theta: [Double], value: Double)
    if let initial, initial.count == 5, depths.contains(Int(initial[0])) {
      let depth = Int(initial[0])
      let warm = minimize(depth, from: Array(initial.dropFirst()), iterations: warmIterations)
      chosen = (depth, warm.theta, warm.value)
      for neighbour in [depth - 1, depth + 1] where depths.contains(neighbour) {
        if let value = Self.negativeLogPosterior(warm.theta, depth: neighbour, data: data, targets: y, gradient: false)?.value,
           value < chosen.value {
          chosen = (neighbour, warm.theta, value)
        }
      }
    } else {
      chosen = (depths.lowerBound, Self.priorMode, .infinity)
      for depth in depths {
        let cold = minimize(depth, from: Self.priorMode, iterations: 40)
        if cold.value < chosen.value { chosen = (depth, cold.theta, cold.value) }
      }
    }
    return try KernelGaussianProcess(kernel: Self.kernel(chosen.theta, depth: chosen.depth, choices: data.choices, known: data.inputs),
                                     inputs: data.inputs,
                                     targets: y, dimensions: data.dimensions, noise: exp(chosen.theta[3]), outputMean: mean,
                                     outputScale: scale, hyperparameterVector: [Double(chosen.depth)] + chosen.theta)
  }

  /// The start of a cold fit: σ²_w = 2, σ²_b = 0.1, s = 1, σ²ₙ = 10⁻³.
  static let priorMode = [log(2.0), log(0.1), 0, log(1e-3)]

  /// θ's bounds: σ²_w ∈ [0.05, 20], σ²_b ∈ [10⁻⁴, 10], s ∈ [10⁻³, 10³], σ²ₙ ∈ [10⁻⁸, 1].
  static func bounds(deterministic: Bool) -> (lower: [Double], upper: [Double]) {
    ([log(0.05), log(1e-4), log(1e-3), log(GPPrior.minimumNoise)],
     [log(20.0), log(10.0), log(1e3), deterministic ? log(GPPrior.minimumNoise) : 0])
  }

  /// The kernel of θ.
  static func kernel(_ theta: [Double], depth: Int, choices: [Int?], known: [Double] = []) -> NeuralNetworkKernel {
    NeuralNetworkKernel(depth: depth, weightVariance: exp(theta[0]), biasVariance: exp(theta[1]), outputScale: exp(theta[2]), choices: choices,
                        known: known)
  }

  /// −(log p(y | θ) + log p(θ)) and its gradient (empty with `gradient: false`); nil when K
  /// cannot be factored.
  static func negativeLogPosterior(_ theta: [Double], depth: Int, data: SurrogateData, targets y: [Double],
                                   gradient wanted: Bool = true) -> (value: Double, gradient: [Double])? {
    let n = y.count
    let (k, dWeight, dBias) = kernel(theta, depth: depth, choices: data.choices).matrixWithGradients(data.inputs, gradients: wanted)
    let noise = exp(theta[3])
    var l = k
    for i in 0..<n { l[i * n + i] += noise }
    guard (try? Cholesky.factorInPlace(&l, count: n, initialJitter: 1e-8, maxAttempts: 10)) != nil else { return nil }
    var alpha = y
    LAPACKE_dpotrs_work(LAPACK_COL_MAJOR, Int8(UInt8(ascii: "U")), Int32(n), 1, l, Int32(n), &alpha, Int32(n))
    var logDet = 0.0, fit = 0.0
    for i in 0..<n { logDet += 2 * log(l[i * n + i]); fit += y[i] * alpha[i] }
    let lml = -0.5 * fit - 0.5 * logDet - 0.5 * Double(n) * log(2 * Double.pi)
    guard wanted else { return (-(lml + logPrior(theta).value), []) }
    // ½·Σ_ab W_ab·∂K_ab over the full matrix, W = ααᵀ − K⁻¹ (its lower triangle is valid).
    let kinv = inverseFromCholesky(l, count: n)
    var gradient = [0.0, 0, 0, 0]
    for a in 0..<n {
      for b in 0...a {
        let weight = (a == b ? 0.5 : 1) * (alpha[a] * alpha[b] - kinv[a * n + b])
        gradient[0] += weight * dWeight[a * n + b]
        gradient[1] += weight * dBias[a * n + b]
        gradient[2] += weight * k[a * n + b]
        if a == b { gradient[3] += weight * noise }
      }
    }
    let prior = logPrior(theta)
    return (-(lml + prior.value), (0..<4).map { -(gradient[$0] + prior.gradient[$0]) })
  }

  /// log p(θ) and its gradient.
  static func logPrior(_ theta: [Double]) -> (value: Double, gradient: [Double]) {
    let w = theta[0] - log(2.0), b = (theta[1] - log(0.1)) / 2, s = theta[2]
    let noise = exp(theta[3])
    return (-w * w / 2 - b * b / 2 - s * s / 2 + 1.1 * theta[3] - 30 * noise, [-w, -b / 2, -s, 1.1 - 30 * noise])
  }
}
