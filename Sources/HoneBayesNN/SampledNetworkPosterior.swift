import CLAPACK
import HoneBayes
import HoneMath

/// A posterior represented by networks f₁ … f_S — HMC samples of one network's weights, or the
/// members of a deep ensemble — read as Bayesian optimization needs it: the latent mean
/// μ(x) = (1/S)·Σₛ fₛ(x) and variance σ²(x) = (1/S)·Σₛ (fₛ(x) − μ(x))², with their input
/// gradients from each network's Jacobian.
///
/// Fantasies (observations y_P at pending points P) condition the sample covariance as a
/// Gaussian would, the ensemble Kalman update (Evensen 1994): with C(x, P) the sample
/// covariance, A = (C(P, P) + σ²ₙI)⁻¹ and r = y_P − μ(P),
/// μ′(x) = μ(x) + C(x, P)·A·r and σ′²(x) = σ²(x) − C(x, P)·A·C(P, x). Reweighting the samples by
/// their likelihood instead collapses onto a few of them after a handful of fantasies.
public struct SampledNetworkPosterior: NetworkPosterior {
  /// The networks (single output, standardized units).
  public let members: [DenseNetwork]
  /// The observation noise σ²ₙ the fantasies are conditioned with.
  public let noise: Double
  /// Implements `NetworkPosterior.fitted`.
  public let fitted: FittedData
  /// The pending points P (p × d), the members' centred outputs there (S × p), A·r and A.
  let pending: [Double]
  let pendingDeviations: [Double]
  let gain: [Double]
  let precision: [Double]

  /// The posterior of `members` fitted to `fitted`, without fantasies.
  public init(members: [DenseNetwork], noise: Double, fitted: FittedData) {
    precondition(!members.isEmpty, "SampledNetworkPosterior: at least one member")
    self.init(members: members, noise: noise, fitted: fitted, pending: [], pendingDeviations: [], gain: [], precision: [])
  }

  init(members: [DenseNetwork], noise: Double, fitted: FittedData, pending: [Double], pendingDeviations: [Double], gain: [Double],
       precision: [Double]) {
    self.members = members
    self.noise = noise
    self.fitted = fitted
    self.pending = pending
    self.pendingDeviations = pendingDeviations
    self.gain = gain
    self.precision = precision
  }

  var pendingCount: Int { gain.count }

  /// Every member's outputs at m points: S × m.
  func memberOutputs(_ points: [Double]) -> [Double] {
    let encoded = SurrogateData.numeric(points, choices: choices)
    return members.flatMap { $0.forward(encoded) }
  }

  /// Implements `Surrogate.posterior(at:)`.
  public func posterior(at points: [Double]) -> (mean: [Double], variance: [Double]) {
    let m = points.count / Swift.max(dimensions, 1), s = members.count, p = pendingCount
    let outputs = memberOutputs(points)
    var mean = [Double](repeating: 0, count: m), variance = mean
    for j in 0..<m {
      var sum = 0.0
      for k in 0..<s { sum += outputs[k * m + j] }
      let mu = sum / Double(s)
      var spread = 0.0
      var covariance = [Double](repeating: 0, count: p)
      for k in 0..<s {
        let deviation = outputs[k * m + j] - mu
        spread += deviation * deviation
        for q in 0..<p { covariance[q] += deviation * pendingDeviations[k * p + q] / Double(s) }
      }
      mean[j] = mu + dot(covariance, gain)
      variance[j] = Swift.max(spread / Double(s) - quadratic(covariance), 1e-18)
    }
    return (mean, variance)
  }

  /// Implements `Surrogate.posteriorWithGradient(at:)`.
  public func posteriorWithGradient(at point: [Double]) -> Posterior {
    let d = dimensions, s = members.count, p = pendingCount
    let encoded = SurrogateData.numeric(point, choices: choices)
    let evaluated = members.map { $0.valueAndJacobian(at: encoded) }
    let mu = evaluated.reduce(0) { $0 + $1.value[0] } / Double(s)
    var meanGradient = [Double](repeating: 0, count: d), varianceGradient = meanGradient
    var spread = 0.0
    var covariance = [Double](repeating: 0, count: p), covarianceGradient = [Double](repeating: 0, count: p * d)
    for (k, member) in evaluated.enumerated() {
      let deviation = member.value[0] - mu
      spread += deviation * deviation
      for j in 0..<d where choices[j] == nil {
        meanGradient[j] += member.jacobian[j] / Double(s)
        varianceGradient[j] += 2 * deviation * member.jacobian[j] / Double(s)
      }
      for q in 0..<p {
        let weight = pendingDeviations[k * p + q] / Double(s)
        covariance[q] += deviation * weight
        for j in 0..<d where choices[j] == nil { covarianceGradient[q * d + j] += member.jacobian[j] * weight }
      }
    }
    var variance = spread / Double(s)
    if p > 0 {
      // μ′ = μ + cᵀg, σ′² = σ² − cᵀAc: ∂μ′ = ∂μ + (∂c)ᵀg, ∂σ′² = ∂σ² − 2(∂c)ᵀAc.
      var ac = [Double](repeating: 0, count: p)
      cblas_dgemv(CblasRowMajor, CblasNoTrans, Int32(p), Int32(p), 1, precision, Int32(p), covariance, 1, 0, &ac, 1)
      for q in 0..<p {
        for j in 0..<d {
          meanGradient[j] += covarianceGradient[q * d + j] * gain[q]
          varianceGradient[j] -= 2 * covarianceGradient[q * d + j] * ac[q]
        }
      }
      variance -= dot(covariance, ac)
    }
    if variance < 1e-18 { varianceGradient = Array(repeating: 0, count: d) }
    return Posterior(mean: mu + dot(covariance, gain), variance: Swift.max(variance, 1e-18), meanGradient: meanGradient,
                     varianceGradient: varianceGradient)
  }

  /// cᵀAc.
  func quadratic(_ c: [Double]) -> Double {
    let p = c.count
    guard p > 0 else { return 0 }
    var ac = [Double](repeating: 0, count: p)
    cblas_dgemv(CblasRowMajor, CblasNoTrans, Int32(p), Int32(p), 1, precision, Int32(p), c, 1, 0, &ac, 1)
    return dot(c, ac)
  }

  /// Implements `Surrogate.conditionedOnObservations(inputs:outputs:)`: the ensemble Kalman
  /// update on the pending points so far and these, jointly.
  public func conditionedOnObservations(inputs extra: [Double], outputs: [Double]) throws -> any Surrogate {
    let allPending = pending + extra
    let p = allPending.count / Swift.max(dimensions, 1), s = members.count
    let unconditioned = SampledNetworkPosterior(members: members, noise: noise, fitted: fitted)
    // The observations of the earlier fantasies are their conditioned means where they were made.
    let earlier = pending.isEmpty ? [] : posterior(at: pending).mean
    let observed = earlier + outputs
    let raw = unconditioned.memberOutputs(allPending)
    let mu = (0..<p).map { q in (0..<s).reduce(0) { $0 + raw[$1 * p + q] } / Double(s) }
    var deviations = raw
    for k in 0..<s { for q in 0..<p { deviations[k * p + q] -= mu[q] } }
    var covariance = [Double](repeating: 0, count: p * p)
    cblas_dgemm(CblasRowMajor, CblasTrans, CblasNoTrans, Int32(p), Int32(p), Int32(s), 1 / Double(s), deviations, Int32(p), deviations,
                Int32(p), 0, &covariance, Int32(p))
    for q in 0..<p { covariance[q * p + q] += Swift.max(noise, 1e-6) }
    let precision = try positiveDefiniteInverse(covariance, count: p)
    var gain = [Double](repeating: 0, count: p)
    let residual = (0..<p).map { observed[$0] - mu[$0] }
    cblas_dgemv(CblasRowMajor, CblasNoTrans, Int32(p), Int32(p), 1, precision, Int32(p), residual, 1, 0, &gain, 1)
    return SampledNetworkPosterior(members: members, noise: noise, fitted: fitted, pending: allPending, pendingDeviations: deviations,
                                   gain: gain, precision: precision)
  }
}

/// A⁻¹ of a symmetric positive definite A (p × p), both triangles filled: Cholesky
/// (`Cholesky.factorInPlace`, with jitter when needed) then LAPACK `dpotri`.
func positiveDefiniteInverse(_ a: [Double], count p: Int) throws -> [Double] {
  guard p > 0 else { return [] }
  var factor = a
  _ = try Cholesky.factorInPlace(&factor, count: p, initialJitter: 1e-10, maxAttempts: 10)
  // Row-major lower L is column-major upper U, A = UᵀU.
  LAPACKE_dpotri_work(LAPACK_COL_MAJOR, Int8(UInt8(ascii: "U")), Int32(p), &factor, Int32(p))
  for i in 0..<p { for j in 0..<i { factor[j * p + i] = factor[i * p + j] } }
  return factor
}
