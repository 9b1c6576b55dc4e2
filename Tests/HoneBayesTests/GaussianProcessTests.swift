import Foundation
import HoneMath
import Testing
@testable import HoneBayes

@Suite("Gaussian process")
struct GaussianProcessTests {
  /// Matérn-5/2 written out by hand.
  func matern(_ r: Double) -> Double { (1 + sqrt(5) * r + 5 * r * r / 3) * exp(-sqrt(5) * r) }

  @Test func posteriorAndLikelihoodMatchTwoPointsByHand() throws {
    // x = 0 and 1, y = 1 and −1 (already standardized), ℓ = 0.5, s = 2, σ²ₙ = 0.01.
    let hyper = GPHyperparameters(logLengthscales: [log(0.5)], logOutputScale: log(2), logNoise: log(0.01))
    let gp = try GaussianProcess(inputs: [0, 1], outputs: [1, -1], dimensions: 1, initial: hyper, fit: false)
    let k01 = 2 * matern(2), k00 = 2 + 0.01
    let det = k00 * k00 - k01 * k01
    // K⁻¹ = [[k00, −k01], [−k01, k00]]/det; α = K⁻¹y.
    let alpha = [(k00 * 1 - k01 * -1) / det, (-k01 * 1 + k00 * -1) / det]
    for x in [0.25, 0.5, 0.9] {
      let k = [2 * matern(x / 0.5), 2 * matern((1 - x) / 0.5)]
      let mean = k[0] * alpha[0] + k[1] * alpha[1]
      let quad = (k[0] * (k00 * k[0] - k01 * k[1]) + k[1] * (-k01 * k[0] + k00 * k[1])) / det
      let p = gp.posteriorWithGradient(at: [x])
      #expect(Swift.abs(p.mean - mean) < 1e-12)
      #expect(Swift.abs(p.variance - (2 - quad)) < 1e-12)
      let batch = gp.posterior(at: [x])
      #expect(Swift.abs(batch.mean[0] - mean) < 1e-12 && Swift.abs(batch.variance[0] - (2 - quad)) < 1e-12)
    }
    let lml = -0.5 * (1 * alpha[0] - 1 * alpha[1]) - 0.5 * log(det) - log(2 * Double.pi)
    #expect(Swift.abs(gp.logMarginalLikelihood() - lml) < 1e-12)
  }

  /// With a categorical (Hamming) dimension and without one (the all-numeric path); 12 points,
  /// and 70, where K⁻¹ comes from the blocked triangular inverse.
  @Test(arguments: [([false, true, false], 12), ([false, false, false], 12), ([false, true, false], 70)])
  func likelihoodGradientMatchesFiniteDifferences(categorical: [Bool], n: Int) {
    var rng = SeededRNG(seed: 1)
    let d = 3
    let x = (0..<(n * d)).map { _ in rng.nextDouble() }
    let inputs = x.enumerated().map { categorical[$0.offset % d] ? Double(Int($0.element * 3)) : $0.element }
    let y = (0..<n).map { i in sin(6 * inputs[i * d]) + inputs[i * d + 1] + 0.1 * rng.nextDouble() }
    let theta = [log(0.3), log(0.7), log(1.5), log(0.8), log(0.02)]
    let (_, gradient) = GaussianProcess.negativeLogPosterior(theta, inputs: inputs, targets: y, dimensions: d, categorical: categorical)!
    for i in theta.indices {
      var plus = theta, minus = theta
      plus[i] += 1e-6
      minus[i] -= 1e-6
      let numeric = (GaussianProcess.negativeLogPosterior(plus, inputs: inputs, targets: y, dimensions: d, categorical: categorical)!.value
        - GaussianProcess.negativeLogPosterior(minus, inputs: inputs, targets: y, dimensions: d, categorical: categorical)!.value) / 2e-6
      #expect(Swift.abs(gradient[i] - numeric) <= 1e-5 * Swift.max(1, Swift.abs(numeric)), "θ[\(i)]: \(gradient[i]) vs \(numeric)")
    }
  }

  /// K⁻¹ from the factor (recursive blocks down to 32 rows) times K is the identity, and the
  /// single-point posterior (through the stored L⁻¹) equals the batch one (triangular solve).
  @Test(arguments: [5, 33, 75, 130])
  func inverseFromTheFactorAndTheTwoPosteriorsAgree(n: Int) throws {
    // Two numeric dimensions and a categorical one with 3 choices.
    var rng = SeededRNG(seed: 4)
    let d = 3, categorical = [false, false, true]
    func draw(_ count: Int) -> [Double] { (0..<(count * d)).map { $0 % d == 2 ? Double(rng.nextInt(below: 3)) : rng.nextDouble() } }
    let x = draw(n)
    let y = (0..<n).map { sin(5 * x[$0 * d]) + x[$0 * d + 1] + 0.3 * x[$0 * d + 2] }
    let hyper = GPHyperparameters(logLengthscales: [log(0.3), log(0.5), log(0.8)], logOutputScale: 0, logNoise: log(1e-4))
    let gp = try GaussianProcess(inputs: x, outputs: y, dimensions: d, categorical: categorical, initial: hyper, fit: false)
    let k = GaussianProcess.kernelMatrix(hyper, inputs: x, count: n, dimensions: d, categorical: categorical)
    let inverse = inverseFromCholesky(gp.factor, count: n)
    var worst = 0.0
    for a in 0..<n {
      for b in 0..<n {
        // The lower triangle (row-major) of K⁻¹ is the valid one.
        let product = (0..<n).reduce(0.0) { $0 + (a >= $1 ? inverse[a * n + $1] : inverse[$1 * n + a]) * k[$1 * n + b] }
        worst = Swift.max(worst, Swift.abs(product - (a == b ? 1 : 0)))
      }
    }
    #expect(worst < 1e-8, "largest deviation of K⁻¹K from I: \(worst)")
    let points = draw(8)
    let batch = gp.posterior(at: points)
    for j in 0..<8 {
      let single = gp.posteriorWithGradient(at: Array(points[(j * d)..<((j + 1) * d)]))
      #expect(Swift.abs(single.mean - batch.mean[j]) < 1e-10)
      #expect(Swift.abs(single.variance - batch.variance[j]) < 1e-10 * Swift.max(1, batch.variance[j]) + 1e-12)
    }
  }

  @Test func fittingImprovesThePosteriorAndLearnsRelevance() throws {
    // y depends on the first input only: the fitted length scale of the second is longer.
    var rng = SeededRNG(seed: 2)
    let n = 30
    let x = (0..<(2 * n)).map { _ in rng.nextDouble() }
    let y = (0..<n).map { sin(6 * x[2 * $0]) }
    let start = GPHyperparameters(priorModeFor: 2)
    let unfitted = try GaussianProcess(inputs: x, outputs: y, dimensions: 2, initial: start, fit: false)
    let fitted = try GaussianProcess(inputs: x, outputs: y, dimensions: 2)
    #expect(fitted.logMarginalLikelihood() > unfitted.logMarginalLikelihood())
    #expect(fitted.hyperparameters.logLengthscales[1] > fitted.hyperparameters.logLengthscales[0] + 1)
    let p = fitted.posteriorWithGradient(at: [0.3, 0.5])
    #expect(Swift.abs(p.mean * fitted.outputScale + fitted.outputMean - sin(1.8)) < 0.05)
  }

  @Test func duplicatesConstantsAndWildScalesDoNotBreakTheFit() throws {
    let x = [0.1, 0.1, 0.1, 0.5, 0.9]
    for y in [[1.0, 1, 1, 1, 1], [1e-12, 2e-12, 1.5e-12, 3e-12, 0], [1e12, -1e12, 3e11, 5e12, 0], [0, 0, 1, 2, 3], [1e200, -1e200, 0, 3e199, 1]] {
      let gp = try GaussianProcess(inputs: x, outputs: y, dimensions: 1)
      let p = gp.posteriorWithGradient(at: [0.3])
      #expect(p.mean.isFinite && p.variance.isFinite && p.variance > 0)
    }
    // No data at all: the prior (mean 0, variance s).
    let empty = try GaussianProcess(inputs: [], outputs: [], dimensions: 2)
    let prior = empty.posteriorWithGradient(at: [0.3, 0.7])
    #expect(prior.mean == 0 && Swift.abs(prior.variance - exp(empty.hyperparameters.logOutputScale)) < 1e-15)
    #expect(empty.posterior(at: [0.3, 0.7]).mean == [0])
  }

  /// A singular K fails the first factorization, and the retry (in place, the lower triangle
  /// restored from the upper one) factors K + jitter·I; a clearly indefinite one throws.
  @Test func jitterEscalatesOnASingularKernelMatrix() throws {
    let n = 3
    let k = [2.0, 2, 1, 2, 2, 1, 1, 1, 3]   // rows 0 and 1 equal: singular
    let l = try GaussianProcess.factorize(k, count: n, outputScale: 1)
    var worst = 0.0
    for a in 0..<n {
      for b in 0..<n {
        let product = (0..<n).reduce(0.0) { $0 + l[a * n + $1] * l[b * n + $1] }
        worst = Swift.max(worst, Swift.abs(product - k[a * n + b]))
      }
      for b in (a + 1)..<n { #expect(l[a * n + b] == 0) }
    }
    #expect(worst > 0 && worst < 1e-6, "L·Lᵀ − K: \(worst)")
    #expect(throws: (any Error).self) { try GaussianProcess.factorize([1.0, 0, 0, -1e6], count: 2, outputScale: 1) }
  }

  @Test func warmStartsContinueFromTheGivenHyperparameters() throws {
    var rng = SeededRNG(seed: 3)
    let x = (0..<40).map { _ in rng.nextDouble() }
    let y = (0..<20).map { cos(5 * x[2 * $0]) * x[2 * $0 + 1] }
    let cold = try GaussianProcess(inputs: x, outputs: y, dimensions: 2)
    // Without fitting, the given θ is kept exactly.
    let start = GPHyperparameters(logLengthscales: [1.5, -1], logOutputScale: 0.7, logNoise: -3)
    #expect(try GaussianProcess(inputs: x, outputs: y, dimensions: 2, initial: start, fit: false).hyperparameters == start)
    // A short warm fit from a poor θ raises the posterior above that θ's; a long one reaches the cold fit.
    let poor = try GaussianProcess(inputs: x, outputs: y, dimensions: 2, initial: start, fit: false)
    let short = try GaussianProcess(inputs: x, outputs: y, dimensions: 2, initial: start, maxIterations: 2)
    let long = try GaussianProcess(inputs: x, outputs: y, dimensions: 2, initial: start, maxIterations: 200)
    func logPosterior(_ gp: GaussianProcess) -> Double {
      gp.logMarginalLikelihood() + GPPrior.logDensity(gp.hyperparameters.vector, dimensions: 2).value
    }
    #expect(logPosterior(short) > logPosterior(poor))
    #expect(logPosterior(long) >= logPosterior(cold) - 1e-2)
    // A deterministic objective keeps the noise at its floor.
    let exact = try GaussianProcess(inputs: x, outputs: y, dimensions: 2, deterministic: true)
    #expect(Swift.abs(exact.hyperparameters.logNoise - log(GPPrior.minimumNoise)) < 1e-12)
  }
}

@Suite("Bounded L-BFGS")
struct BoundedLBFGSTests {
  @Test func minimizesRosenbrockAndRespectsBounds() {
    let rosenbrock: ([Double], inout [Double]) -> Double = { x, g in
      g = [-2 * (1 - x[0]) - 400 * x[0] * (x[1] - x[0] * x[0]), 200 * (x[1] - x[0] * x[0])]
      return (1 - x[0]) * (1 - x[0]) + 100 * (x[1] - x[0] * x[0]) * (x[1] - x[0] * x[0])
    }
    let free = BoundedLBFGS(maxIterations: 500, gradientTolerance: 1e-8, relativeTolerance: 0)
      .minimize(start: [-1.2, 1], lower: [-5, -5], upper: [5, 5], rosenbrock)
    #expect(Swift.abs(free.x[0] - 1) < 1e-4 && Swift.abs(free.x[1] - 1) < 1e-4)
    // With x ≤ 0.5 the optimum is on the bound: x = 0.5, y = 0.25.
    let bounded = BoundedLBFGS(maxIterations: 500, gradientTolerance: 1e-8, relativeTolerance: 0)
      .minimize(start: [-1.2, 1], lower: [-5, -5], upper: [0.5, 5], rosenbrock)
    #expect(bounded.x[0] == 0.5 && Swift.abs(bounded.x[1] - 0.25) < 1e-4)
  }
}
