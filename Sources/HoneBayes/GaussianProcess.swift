#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
import CLAPACK
import HoneMath

/// Exact Gaussian-process regression in Double (Rasmussen & Williams 2006, Alg. 2.1) with the
/// Matérn-5/2 ARD kernel, an output scale and Gaussian noise, on inputs in the unit cube and
/// outputs standardized to mean 0 and standard deviation 1 (constant outputs: std 1).
///
/// Fitting maximizes the log posterior log p(y | θ) + log p(θ) (MAP, priors in `GPPrior`) with
/// `BoundedLBFGS` on the analytic gradient
/// ∂ log p(y|θ)/∂θ = ½·tr((ααᵀ − K⁻¹)·∂K/∂θ), α = K⁻¹y, from the previous fit's θ when given
/// (warm start), else from `GPHyperparameters(priorModeFor:)`. (A second start from there on
/// warm fits was measured on three functions and never won.) The Cholesky factorization adds jitter (×10 from
/// 10⁻⁸ of the output scale) when K is not numerically positive definite, so duplicated
/// inputs and constant outputs never fail. Costs O(n³) per likelihood evaluation.
public struct GaussianProcess: Sendable {
  /// The training inputs, n × d row-major.
  public let inputs: [Double]
  /// The number of training points n.
  public let count: Int
  /// The input dimension d.
  public let dimensions: Int
  /// Which dimensions hold category indices (Hamming kernel).
  public let categorical: [Bool]
  /// The mean and standard deviation used to standardize the outputs.
  public let outputMean: Double, outputScale: Double
  /// The standardized outputs.
  public let targets: [Double]
  /// The fitted hyperparameters.
  public let hyperparameters: GPHyperparameters
  /// L (lower Cholesky factor of K, n × n row-major), its inverse L⁻¹ (same layout, upper
  /// triangle zero: the single-point posteriors multiply by it instead of solving) and α = K⁻¹y.
  let factor: [Double]
  let inverseFactor: [Double]
  let alpha: [Double]
  /// exp(−2 log ℓ) per dimension, and s.
  let inverseSquared: [Double]
  let signal: Double

  /// Fits a GP to inputs (n × d, unit cube; categorical dimensions as indices) and outputs y.
  /// `fit: false` keeps `initial` (or the prior modes) without optimizing; `standardization`
  /// fixes the output mean and scale instead of computing them from y; `deterministic` fixes
  /// the noise at its floor (Optuna's `deterministic_objective`).
  public init(inputs: [Double], outputs: [Double], dimensions: Int, categorical: [Bool]? = nil,
              initial: GPHyperparameters? = nil, fit: Bool = true, maxIterations: Int = 60,
              standardization: (mean: Double, scale: Double)? = nil, deterministic: Bool = false) throws {
    let n = outputs.count
    precondition(inputs.count == n * dimensions, "GaussianProcess: \(inputs.count) input values for \(n) × \(dimensions)")
    let cats = categorical ?? Array(repeating: false, count: dimensions)
    let (mean, scale) = standardization ?? SurrogateData.standardization(of: outputs)
    let y = outputs.map { ($0 - mean) / scale }
    var theta = (initial ?? GPHyperparameters(priorModeFor: dimensions)).vector
    if deterministic { theta[dimensions + 1] = log(GPPrior.minimumNoise) }
    if fit && n > 0 {
      let (lower, upper) = GPPrior.bounds(dimensions: dimensions, deterministic: deterministic)
      let minimizer = BoundedLBFGS(maxIterations: maxIterations, gradientTolerance: 1e-4, relativeTolerance: 1e-9)
      let distances = PairwiseDistances(inputs: inputs, count: n, dimensions: dimensions, categorical: cats)
      let result = minimizer.minimize(start: theta, lower: lower, upper: upper) { t, g in
        guard let (value, gradient) = Self.negativeLogPosterior(t, distances: distances, targets: y) else { return .infinity }
        g = gradient
        return value
      }
      if result.value.isFinite { theta = result.x }
    }
    let hyper = GPHyperparameters(vector: theta)
    let factored = try Self.factorize(hyper, inputs: inputs, count: n, dimensions: dimensions, categorical: cats)
    var alpha = y
    if n > 0 { LAPACKE_dpotrs_work(LAPACK_COL_MAJOR, Int8(UInt8(ascii: "U")), Int32(n), 1, factored, Int32(n), &alpha, Int32(n)) }
    self.inputs = inputs
    count = n
    self.dimensions = dimensions
    self.categorical = cats
    outputMean = mean
    outputScale = scale
    targets = y
    hyperparameters = hyper
    factor = factored
    inverseFactor = inverseOfFactor(factored, count: n)
    self.alpha = alpha
    inverseSquared = hyper.logLengthscales.map { exp(-2 * $0) }
    signal = exp(hyper.logOutputScale)
  }

  /// The kernel matrix K = s·M + σ²ₙ·I (both triangles).
  static func kernelMatrix(_ hyper: GPHyperparameters, inputs: [Double], count n: Int, dimensions d: Int,
                           categorical: [Bool]) -> [Double] {
    let inv = hyper.logLengthscales.map { exp(-2 * $0) }
    let s = exp(hyper.logOutputScale)
    let noise = exp(hyper.logNoise)
    return [Double](unsafeUninitializedCapacity: n * n) { k, initialized in
      Matern52.withMetric(inverseSquared: inv, categorical: categorical) { w, c in
        inputs.withUnsafeBufferPointer { x in
          for a in 0..<n {
            for b in 0...a {
              let m = Matern52.shape(Matern52.squaredDistance(x.baseAddress! + a * d, x.baseAddress! + b * d,
                                                              inverseSquared: w, categorical: c, dimensions: d))
              k[a * n + b] = s * m
              k[b * n + a] = s * m
            }
            k[a * n + a] += noise
          }
        }
      }
      initialized = n * n
    }
  }

  /// The Cholesky factor of K, with escalating jitter when needed.
  static func factorize(_ hyper: GPHyperparameters, inputs: [Double], count n: Int, dimensions d: Int,
                        categorical: [Bool]) throws -> [Double] {
    try factorize(kernelMatrix(hyper, inputs: inputs, count: n, dimensions: d, categorical: categorical), count: n,
                  outputScale: exp(hyper.logOutputScale))
  }

  /// The lower Cholesky factor (row-major) of a symmetric K, adding jitter ×10 from 10⁻⁸·s
  /// until it succeeds (HoneMath's `Cholesky.factorInPlace`, ten attempts).
  static func factorize(_ k: consuming [Double], count n: Int, outputScale s: Double) throws -> [Double] {
    var l = k
    _ = try Cholesky.factorInPlace(&l, count: n, initialJitter: 1e-8 * s, maxAttempts: 10)
    return l
  }

  /// −(log p(y | θ) + log p(θ)) and its gradient in θ; nil when K cannot be factored.
  static func negativeLogPosterior(_ theta: [Double], inputs: [Double], targets y: [Double], dimensions d: Int,
                                   categorical: [Bool]) -> (value: Double, gradient: [Double])? {
    negativeLogPosterior(theta, distances: PairwiseDistances(inputs: inputs, count: y.count, dimensions: d, categorical: categorical),
                         targets: y)
  }

  /// The same from the pairwise distances, which a fit computes once for all its evaluations.
  /// With wₚ = αₐα_b − (K⁻¹)ₐ_b for the pair p = (a, b): ∂/∂log ℓⱼ = Σₚ wₚ·s·m′(r²ₚ)·(−2dⱼₚ/ℓⱼ²),
  /// ∂/∂log s = ½·Σ_ab W_ab·K_ab without the noise, ∂/∂log σ²ₙ = ½·σ²ₙ·tr W.
  static func negativeLogPosterior(_ theta: [Double], distances: PairwiseDistances,
                                   targets y: [Double]) -> (value: Double, gradient: [Double])? {
    let n = y.count, d = distances.dimensions
    let hyper = GPHyperparameters(vector: theta)
    let inv = hyper.logLengthscales.map { exp(-2 * $0) }
    let s = exp(hyper.logOutputScale)
    let noise = exp(hyper.logNoise)
    // The kernel and s·dm/d(r²) of every pair, from r² in one flat loop.
    let pairs = distances.pairs
    var packed = distances.squaredDistances(inverseSquared: inv)
    var slopes = [Double](unsafeUninitializedCapacity: pairs) { slopes, initialized in
      packed.withUnsafeMutableBufferPointer { packed in
        for p in 0..<pairs {
          let (m, slope) = Matern52.shapeAndSlope(packed[p])
          packed[p] = s * m
          slopes[p] = s * slope
        }
      }
      initialized = pairs
    }
    let k = [Double](unsafeUninitializedCapacity: n * n) { k, initialized in
      packed.withUnsafeBufferPointer { packed in
        var p = 0
        for a in 0..<n {
          for b in 0..<a {
            k[a * n + b] = packed[p]
            k[b * n + a] = packed[p]
            p += 1
          }
          k[a * n + a] = s + noise
        }
      }
      initialized = n * n
    }
    guard let l = try? factorize(consume k, count: n, outputScale: s) else { return nil }
    var alpha = y
    LAPACKE_dpotrs_work(LAPACK_COL_MAJOR, Int8(UInt8(ascii: "U")), Int32(n), 1, l, Int32(n), &alpha, Int32(n))
    var logDet = 0.0, fit = 0.0
    for i in 0..<n {
      logDet += 2 * log(l[i * n + i])
      fit += y[i] * alpha[i]
    }
    let lml = -0.5 * fit - 0.5 * logDet - 0.5 * Double(n) * log(2 * Double.pi)
    // W = ααᵀ − K⁻¹ (the lower triangle of K⁻¹ is the valid one); the slopes become W·slopes.
    let kinv = inverseFromCholesky(l, count: n)
    var outputScaleTerm = 0.0, noiseTerm = 0.0
    slopes.withUnsafeMutableBufferPointer { slopes in
      packed.withUnsafeBufferPointer { packed in
        alpha.withUnsafeBufferPointer { alpha in
          kinv.withUnsafeBufferPointer { kinv in
            var p = 0
            for a in 0..<n {
              let row = kinv.baseAddress! + a * n
              for b in 0..<a {
                let weight = alpha[a] * alpha[b] - row[b]
                outputScaleTerm += weight * packed[p]
                slopes[p] *= weight
                p += 1
              }
              // The diagonal counts once in ½·Σ over the full symmetric matrix.
              let weight = 0.5 * (alpha[a] * alpha[a] - row[a])
              outputScaleTerm += weight * s
              noiseTerm += weight * noise
            }
          }
        }
      }
    }
    let sums = slopes.withUnsafeBufferPointer { distances.weightedSums($0.baseAddress!) }
    let gradient = (0..<d).map { -2 * inv[$0] * sums[$0] } + [outputScaleTerm, noiseTerm]
    let prior = GPPrior.logDensity(theta, dimensions: d)
    return (-(lml + prior.value), (0..<(d + 2)).map { -(gradient[$0] + prior.gradient[$0]) })
  }

  /// The log marginal likelihood log p(y | θ) of the standardized outputs at `hyperparameters`.
  public func logMarginalLikelihood() -> Double {
    guard count > 0 else { return 0 }
    guard let (value, _) = Self.negativeLogPosterior(hyperparameters.vector, inputs: inputs, targets: targets,
                                                     dimensions: dimensions, categorical: categorical) else { return -.infinity }
    return -value - GPPrior.logDensity(hyperparameters.vector, dimensions: dimensions).value
  }
}
