import CLAPACK
import HoneMath

/// Exact GP regression (Rasmussen & Williams 2006, Alg. 2.1) with any `CovarianceFunction` and
/// fixed hyperparameters: K = k(X, X) + σ²ₙI = LLᵀ, α = K⁻¹y on standardized outputs y;
/// μ(x) = k(X, x)ᵀα, σ²(x) = k(x, x) − |L⁻¹k(X, x)|², ∂μ/∂x = Jᵀα, ∂σ²/∂x = −2Jᵀ(K⁻¹k).
/// The infinite-width network (`NeuralNetworkKernel`) and deep kernel learning fit their
/// hyperparameters elsewhere and build their posterior here.
public struct KernelGaussianProcess: Surrogate {
  /// The covariance function.
  public let kernel: any CovarianceFunction
  /// Implements `Surrogate.inputs`.
  public let inputs: [Double]
  /// Implements `Surrogate.dimensions`.
  public let dimensions: Int
  /// Implements `Surrogate.targets`.
  public let targets: [Double]
  /// Implements `Surrogate.outputMean`.
  public let outputMean: Double
  /// Implements `Surrogate.outputScale`.
  public let outputScale: Double
  /// The noise variance σ²ₙ (standardized outputs).
  public let noise: Double
  /// Implements `Surrogate.hyperparameterVector`: what the fitter stored.
  public let hyperparameterVector: [Double]
  /// Implements `Surrogate.hasGradients`.
  public var hasGradients: Bool { true }
  let inverseFactor: [Double]
  let factor: [Double]
  let alpha: [Double]

  /// The posterior of `kernel` with noise `noise` given standardized `targets` at `inputs`
  /// (n × d); `outputMean` and `outputScale` undo the standardization.
  public init(kernel: any CovarianceFunction, inputs: [Double], targets: [Double], dimensions: Int, noise: Double,
              outputMean: Double = 0, outputScale: Double = 1, hyperparameterVector: [Double] = []) throws {
    let n = targets.count
    var k = kernel.matrix(inputs, inputs)
    for i in 0..<n { k[i * n + i] += noise }
    let scale = kernel.diagonal(inputs).max() ?? 1
    if n > 0 { _ = try Cholesky.factorInPlace(&k, count: n, initialJitter: 1e-8 * Swift.max(scale, 1e-12), maxAttempts: 10) }
    var alpha = targets
    if n > 0 { LAPACKE_dpotrs_work(LAPACK_COL_MAJOR, Int8(UInt8(ascii: "U")), Int32(n), 1, k, Int32(n), &alpha, Int32(n)) }
    self.kernel = kernel
    self.inputs = inputs
    self.dimensions = dimensions
    self.targets = targets
    self.outputMean = outputMean
    self.outputScale = outputScale
    self.noise = noise
    self.hyperparameterVector = hyperparameterVector
    factor = k
    inverseFactor = inverseOfFactor(k, count: n)
    self.alpha = alpha
  }

  /// Implements `Surrogate.posterior(at:)`: one kernel matrix, one gemv, one triangular solve.
  public func posterior(at points: [Double]) -> (mean: [Double], variance: [Double]) {
    let n = count, m = points.count / Swift.max(dimensions, 1)
    var variance = kernel.diagonal(points)
    guard n > 0 else { return (Array(repeating: 0, count: m), variance) }
    var kx = kernel.matrix(inputs, points)
    var mean = [Double](repeating: 0, count: m)
    cblas_dgemv(CblasRowMajor, CblasTrans, Int32(n), Int32(m), 1, kx, Int32(m), alpha, 1, 0, &mean, 1)
    cblas_dtrsm(CblasRowMajor, CblasLeft, CblasLower, CblasNoTrans, CblasNonUnit, Int32(n), Int32(m), 1, factor, Int32(n),
                &kx, Int32(m))
    for i in 0..<n { for j in 0..<m { variance[j] -= kx[i * m + j] * kx[i * m + j] } }
    return (mean, variance.map { Swift.max($0, 1e-18) })
  }

  /// Implements `Surrogate.posteriorWithGradient(at:)`.
  public func posteriorWithGradient(at point: [Double]) -> Posterior {
    let n = count, d = dimensions
    let prior = kernel.diagonal(point)[0]
    guard n > 0 else {
      return Posterior(mean: 0, variance: prior, meanGradient: Array(repeating: 0, count: d), varianceGradient: Array(repeating: 0, count: d))
    }
    let (k, jacobian) = kernel.vectorWithJacobian(inputs, at: point)
    var meanGradient = [Double](repeating: 0, count: d)
    cblas_dgemv(CblasRowMajor, CblasTrans, Int32(n), Int32(d), 1, jacobian, Int32(d), alpha, 1, 0, &meanGradient, 1)
    var mean = 0.0
    for i in 0..<n { mean += k[i] * alpha[i] }
    var v = [Double](repeating: 0, count: n), w = [Double](repeating: 0, count: n)
    cblas_dgemv(CblasRowMajor, CblasNoTrans, Int32(n), Int32(n), 1, inverseFactor, Int32(n), k, 1, 0, &v, 1)
    cblas_dgemv(CblasRowMajor, CblasTrans, Int32(n), Int32(n), 1, inverseFactor, Int32(n), v, 1, 0, &w, 1)
    var varianceGradient = [Double](repeating: 0, count: d)
    cblas_dgemv(CblasRowMajor, CblasTrans, Int32(n), Int32(d), -2, jacobian, Int32(d), w, 1, 0, &varianceGradient, 1)
    let priorGradient = kernel.diagonalGradient(at: point)
    for j in 0..<d { varianceGradient[j] += priorGradient[j] }
    let variance = prior - v.reduce(0) { $0 + $1 * $1 }
    if variance < 1e-18 { varianceGradient = Array(repeating: 0, count: d) }
    return Posterior(mean: mean, variance: Swift.max(variance, 1e-18), meanGradient: meanGradient, varianceGradient: varianceGradient)
  }

  /// Implements `Surrogate.conditionedOnObservations(inputs:outputs:)`: the same kernel and
  /// noise on the enlarged data.
  public func conditionedOnObservations(inputs extra: [Double], outputs: [Double]) throws -> any Surrogate {
    try KernelGaussianProcess(kernel: kernel, inputs: inputs + extra, targets: targets + outputs, dimensions: dimensions, noise: noise,
                              outputMean: outputMean, outputScale: outputScale, hyperparameterVector: hyperparameterVector)
  }
}
