#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
import CLAPACK
import HoneBayes
import HoneMath

/// A network trained to its MAP weights, with a Laplace approximation over its last layer
/// (Daxberger et al. 2021, "Laplace Redux", NeurIPS): with features φ̃(x) = (φ(x), 1) of the
/// last hidden layer, the head's weights are Gaussian, N(w, Σ), Σ = (Φ̃ᵀΦ̃/σ²ₙ + λI)⁻¹ — exact
/// Bayesian linear regression on fixed features. The noise σ²ₙ ∈ 10⁻⁴ … 1 and the prior
/// precision λ ∈ 10⁻⁴ … 10⁴ (half decades) maximize the Laplace evidence
/// −SSE/(2σ²ₙ) − (n/2)·log σ²ₙ − ½λ‖w‖² + (P/2)·log λ − ½·log det(Φ̃ᵀΦ̃/σ²ₙ + λI), SSE the MAP
/// network's squared error: taking σ²ₙ as the training error instead made an overfitted
/// network's posterior confident everywhere (mean log density −5,900 on held-out 20-D
/// Rosenbrock points against the Matérn GP's −0.86).
public struct LastLayerLaplaceSurrogate: SurrogateFitter {
  /// The hidden layers' widths.
  public let hidden: [Int]
  /// Adam steps of the MAP fit.
  public let steps: Int
  /// The MAP fit's L2 weight decay. 10⁻² rather than the ensemble's 10⁻⁴: on 200 random points
  /// of 20-D Rosenbrock, Levy and Styblinski–Tang it raised the held-out mean log density from
  /// −5,100, −28,000 and −114 to −52, −83 and −77 (BayesBenchmark fit); the features of a less
  /// overfitted network leave the last layer less certain.
  public let weightDecay: Double

  /// A fitter with `hidden` tanh layers trained for `steps` Adam steps.
  public init(hidden: [Int] = [50, 50], steps: Int = 500, weightDecay: Double = 1e-2) {
    precondition(!hidden.isEmpty && steps >= 1, "LastLayerLaplaceSurrogate: at least one hidden layer and one step")
    self.hidden = hidden
    self.steps = steps
    self.weightDecay = weightDecay
  }

  /// Implements `SurrogateFitter.name`.
  public var name: String { "laplace" }

  /// Implements `SurrogateFitter.fit`.
  public func fit(_ data: SurrogateData, initial: [Double]?, warmIterations: Int, seed: UInt64) throws -> any Surrogate {
    let x = data.numericInputs, y = data.standardizedOutputs, n = y.count
    var network = DenseNetwork(widths: [data.dimensions] + hidden + [1], seed: seed)
    try network.fitMeanSquaredError(inputs: x, targets: y, steps: steps, weightDecay: weightDecay)
    let body = network.body
    let head = network.head
    let weights = head.weights + [head.bias], p = weights.count
    let features = LastLayerLaplacePosterior.withBias(body.forward(x), width: p - 1)
    let predictions = network.forward(x)
    var squaredError = 0.0
    for i in 0..<n { squaredError += (predictions[i] - y[i]) * (predictions[i] - y[i]) }
    // Φ̃ᵀΦ̃, then the Laplace evidence of each (λ, σ²ₙ) on a grid of half decades.
    var gram = [Double](repeating: 0, count: p * p)
    if n > 0 {
      cblas_dgemm(CblasRowMajor, CblasTrans, CblasNoTrans, Int32(p), Int32(p), Int32(n), 1, features, Int32(p), features, Int32(p),
                  0, &gram, Int32(p))
    }
    let squaredNorm = weights.reduce(0) { $0 + $1 * $1 }
    var best: (evidence: Double, precision: Double, noise: Double) = (-.infinity, 1, 1e-2)
    for noiseStep in -8...0 {
      let noise = pow(10, Double(noiseStep) / 2)
      for step in -8...8 {
        let lambda = pow(10, Double(step) / 2)
        var h = gram.map { $0 / noise }
        for i in 0..<p { h[i * p + i] += lambda }
        guard (try? Cholesky.factorInPlace(&h, count: p, initialJitter: 1e-10, maxAttempts: 5)) != nil else { continue }
        var logDet = 0.0
        for i in 0..<p { logDet += 2 * log(h[i * p + i]) }
        let evidence = -0.5 * squaredError / noise - 0.5 * Double(n) * log(noise) - 0.5 * lambda * squaredNorm
          + 0.5 * Double(p) * log(lambda) - 0.5 * logDet
        if evidence > best.evidence { best = (evidence, lambda, noise) }
      }
    }
    let noise = best.noise
    var h = gram.map { $0 / noise }
    for i in 0..<p { h[i * p + i] += best.precision }
    return LastLayerLaplacePosterior(body: body, weights: weights, covariance: try positiveDefiniteInverse(h, count: p), noise: noise,
                                     fitted: FittedData(data))
  }
}

/// The posterior of a linear model on network features, f(x) = φ̃(x)ᵀw with w ~ N(m, Σ):
/// μ(x) = φ̃ᵀm, σ²(x) = φ̃ᵀΣφ̃, ∂μ/∂x = J̃ᵀm, ∂σ²/∂x = 2J̃ᵀΣφ̃ (J̃ the features' Jacobian, with a
/// zero row for the bias). Fantasies update (m, Σ) exactly: with S = Φ̃_PΣΦ̃_Pᵀ + σ²ₙI and
/// G = ΣΦ̃_PᵀS⁻¹, m′ = m + G(y_P − Φ̃_Pm) and Σ′ = Σ − GΦ̃_PΣ.
public struct LastLayerLaplacePosterior: NetworkPosterior {
  /// The feature map φ (its output layer is the last hidden layer, tanh applied).
  public let body: DenseNetwork
  /// m, the head's weights then its bias.
  public let weights: [Double]
  /// Σ (P × P).
  public let covariance: [Double]
  /// σ²ₙ.
  public let noise: Double
  /// Implements `NetworkPosterior.fitted`.
  public let fitted: FittedData

  /// A posterior with the given parts.
  public init(body: DenseNetwork, weights: [Double], covariance: [Double], noise: Double, fitted: FittedData) {
    self.body = body
    self.weights = weights
    self.covariance = covariance
    self.noise = noise
    self.fitted = fitted
  }

  var p: Int { weights.count }

  /// Rows of features (m × width) with a column of ones appended.
  static func withBias(_ features: [Double], width: Int) -> [Double] {
    stride(from: 0, to: features.count, by: Swift.max(width, 1)).flatMap { Array(features[$0..<($0 + width)]) + [1] }
  }

  /// Φ̃ at m points (m × P).
  func features(_ points: [Double]) -> [Double] {
    Self.withBias(body.forward(SurrogateData.numeric(points, choices: choices)), width: p - 1)
  }

  /// Implements `Surrogate.posterior(at:)`.
  public func posterior(at points: [Double]) -> (mean: [Double], variance: [Double]) {
    let m = points.count / Swift.max(dimensions, 1)
    let phi = features(points)
    var projected = [Double](repeating: 0, count: m * p)
    if m > 0 {
      cblas_dgemm(CblasRowMajor, CblasNoTrans, CblasNoTrans, Int32(m), Int32(p), Int32(p), 1, phi, Int32(p), covariance, Int32(p), 0,
                  &projected, Int32(p))
    }
    var mean = [Double](repeating: 0, count: m), variance = mean
    for i in 0..<m {
      for j in 0..<p {
        mean[i] += phi[i * p + j] * weights[j]
        variance[i] += phi[i * p + j] * projected[i * p + j]
      }
    }
    return (mean, variance.map { Swift.max($0, 1e-18) })
  }

  /// Implements `Surrogate.posteriorWithGradient(at:)`.
  public func posteriorWithGradient(at point: [Double]) -> Posterior {
    let d = dimensions
    let (value, jacobian) = body.valueAndJacobian(at: SurrogateData.numeric(point, choices: choices))
    let phi = value + [1]
    var projected = [Double](repeating: 0, count: p)
    cblas_dgemv(CblasRowMajor, CblasNoTrans, Int32(p), Int32(p), 1, covariance, Int32(p), phi, 1, 0, &projected, 1)
    var meanGradient = [Double](repeating: 0, count: d), varianceGradient = meanGradient
    for c in 0..<(p - 1) {
      for j in 0..<d where choices[j] == nil {
        meanGradient[j] += jacobian[c * d + j] * weights[c]
        varianceGradient[j] += 2 * jacobian[c * d + j] * projected[c]
      }
    }
    let variance = dot(phi, projected)
    if variance < 1e-18 { varianceGradient = Array(repeating: 0, count: d) }
    return Posterior(mean: dot(phi, weights), variance: Swift.max(variance, 1e-18), meanGradient: meanGradient,
                     varianceGradient: varianceGradient)
  }

  /// Implements `Surrogate.conditionedOnObservations(inputs:outputs:)`: the exact Bayesian
  /// linear-regression update.
  public func conditionedOnObservations(inputs extra: [Double], outputs: [Double]) throws -> any Surrogate {
    let q = outputs.count
    guard q > 0 else { return self }
    let phi = features(extra)
    // ΣΦᵀ (P × q), S = ΦΣΦᵀ + σ²I (q × q).
    var sigmaPhi = [Double](repeating: 0, count: p * q)
    cblas_dgemm(CblasRowMajor, CblasNoTrans, CblasTrans, Int32(p), Int32(q), Int32(p), 1, covariance, Int32(p), phi, Int32(p), 0,
                &sigmaPhi, Int32(q))
    var s = [Double](repeating: 0, count: q * q)
    cblas_dgemm(CblasRowMajor, CblasNoTrans, CblasNoTrans, Int32(q), Int32(q), Int32(p), 1, phi, Int32(p), sigmaPhi, Int32(q), 0, &s,
                Int32(q))
    for i in 0..<q { s[i * q + i] += noise }
    let sInverse = try positiveDefiniteInverse(s, count: q)
    var gain = [Double](repeating: 0, count: p * q)
    cblas_dgemm(CblasRowMajor, CblasNoTrans, CblasNoTrans, Int32(p), Int32(q), Int32(q), 1, sigmaPhi, Int32(q), sInverse, Int32(q), 0,
                &gain, Int32(q))
    var residual = outputs
    for i in 0..<q { for j in 0..<p { residual[i] -= phi[i * p + j] * weights[j] } }
    var updated = weights
    cblas_dgemv(CblasRowMajor, CblasNoTrans, Int32(p), Int32(q), 1, gain, Int32(q), residual, 1, 1, &updated, 1)
    // Σ′ = Σ − G(ΣΦᵀ)ᵀ.
    var shrunk = covariance
    cblas_dgemm(CblasRowMajor, CblasNoTrans, CblasTrans, Int32(p), Int32(p), Int32(q), -1, gain, Int32(q), sigmaPhi, Int32(q), 1, &shrunk,
                Int32(p))
    return LastLayerLaplacePosterior(body: body, weights: updated, covariance: shrunk, noise: noise,
                                     fitted: fitted.adding(inputs: extra, targets: outputs))
  }
}
