import Foundation
import HoneMath
import Testing
@testable import HoneBayes

@Suite("Acquisition functions")
struct AcquisitionTests {
  static func model(seed: UInt64, n: Int = 15, noisy: Bool = false) throws -> GaussianProcess {
    var rng = SeededRNG(seed: seed)
    let x = (0..<(2 * n)).map { _ in rng.nextDouble() }
    var y: [Double] = []
    for i in 0..<n {
      let u = x[2 * i] - 0.3, v = x[2 * i + 1] - 0.6
      y.append(-(u * u + 2 * v * v) + (noisy ? 0.05 * rng.nextNormal() : 0))
    }
    return try GaussianProcess(inputs: x, outputs: y, dimensions: 2)
  }

  @Test(arguments: AcquisitionKind.allCases)
  func gradientsMatchFiniteDifferences(_ kind: AcquisitionKind) throws {
    let gp = try Self.model(seed: 4, noisy: kind == .knowledgeGradient || kind == .noisyEI)
    var rng = SeededRNG(seed: 9)
    let grid = (0..<200).map { _ in rng.nextDouble() }
    // A noisy constraint (feasible where x₀ ≲ 0.7): a noise-free one makes K nearly singular
    // and the finite differences, not the gradient, lose digits.
    let constraintValues = (0..<gp.count).map { gp.inputs[2 * $0] - 0.7 + 0.02 * rng.nextNormal() }
    let constraint = try GaussianProcess(inputs: gp.inputs, outputs: constraintValues, dimensions: 2)
    for constrained in [false, true] {
      let acquisition = Acquisition(kind, model: gp, bestObserved: gp.targets.max(),
                                    constraints: constrained ? [(constraint, (0 - constraint.outputMean) / constraint.outputScale)] : [],
                                    grid: grid)
      for point in [[0.2, 0.7], [0.55, 0.35], [0.9, 0.1]] {
        let (value, gradient) = acquisition.valueAndGradient(at: point)
        #expect(value.isFinite)
        #expect(Swift.abs(acquisition.values(at: point, dimensions: 2)[0] - value) <= 1e-9 * Swift.max(1, Swift.abs(value)))
        for j in 0..<2 {
          var plus = point, minus = point
          plus[j] += 1e-6
          minus[j] -= 1e-6
          let numeric = (acquisition.value(at: plus) - acquisition.value(at: minus)) / 2e-6
          #expect(Swift.abs(gradient[j] - numeric) <= 1e-4 * Swift.max(1, Swift.abs(numeric)),
                  "\(kind) constrained \(constrained) at \(point), ∂\(j): \(gradient[j]) vs \(numeric)")
        }
      }
    }
  }

  @Test func logEIEqualsLogEIWhereRepresentableAndStaysFinite() {
    for z in stride(from: -5.0, through: 5.0, by: 0.25) {
      let direct = log(Normal.pdf(z) + z * Normal.cdf(z))
      #expect(Swift.abs(LogExpectedImprovement.logH(z).value - direct) < 1e-9 * Swift.max(1, Swift.abs(direct)), "z = \(z)")
    }
    var previous = LogExpectedImprovement.logH(-0.5).value
    for z in [-0.99, -1.0, -1.01, -5.0, -29.99, -30.0, -30.01, -100.0, -1e4, -1e8] {
      let (value, slope) = LogExpectedImprovement.logH(z)
      #expect(value.isFinite && value < previous && slope > 0, "z = \(z)")
      previous = value
    }
    // Continuity at the branch points.
    for z in [-1.0, -30.0] {
      #expect(Swift.abs(LogExpectedImprovement.logH(z + 1e-9).value - LogExpectedImprovement.logH(z - 1e-9).value) < 1e-6)
    }
    // Far tail: log h ≈ log φ(z) − 2 log|z|.
    #expect(Swift.abs(LogExpectedImprovement.logH(-1e4).value - (Normal.logPDF(-1e4) - 2 * log(1e4))) < 1e-6)
  }

  @Test func expectedMaximumGainMatchesMonteCarloAndItsDerivatives() {
    // Line 2 ties line 1's slope with a lower intercept; line 4 lies under the envelope everywhere.
    var a = [0.0, 0.3, -0.2, 0.25, -1.0], b = [0.1, 0.5, 1.2, 0.5, 0.6]
    let (value, da, db) = Acquisition.expectedMaximumGain(a: &a, b: &b)
    for i in a.indices {
      for (vector, derivative) in [(a, da[i]), (b, db[i])] {
        var plus = vector, minus = vector
        plus[i] += 1e-7
        minus[i] -= 1e-7
        let isA = vector == a
        var (pa, pb, ma, mb) = isA ? (plus, b, minus, b) : (a, plus, a, minus)
        let numeric = (Acquisition.expectedMaximumGain(a: &pa, b: &pb).value - Acquisition.expectedMaximumGain(a: &ma, b: &mb).value) / 2e-7
        #expect(Swift.abs(numeric - derivative) < 1e-6, "∂/∂\(isA ? "a" : "b")\(i): \(derivative) vs \(numeric)")
      }
    }
    #expect(da[4] == 0 && db[4] == 0)
    var rng = SeededRNG(seed: 5)
    var total = 0.0
    let samples = 400_000
    for _ in 0..<samples {
      let z = rng.nextNormal()
      total += zip(a, b).map { $0 + $1 * z }.max()!
    }
    #expect(Swift.abs(total / Double(samples) - 0.3 - value) < 5e-3)
  }

  @Test func optimizerFindsTheMaximumAndSkipsEvaluatedPoints() throws {
    let gp = try Self.model(seed: 6, n: 25)
    let acquisition = Acquisition(.ucb, model: gp, bestObserved: gp.targets.max(), kappa: 0)
    let optimizer = AcquisitionOptimizer(rawSamples: 256, restarts: 4)
    let best = optimizer.maximize(acquisition, choices: [nil, nil], seed: 1, round: { $0 }, exclude: [])
    // UCB with κ = 0 is the posterior mean: its maximum is near the true one, (0.3, 0.6).
    #expect(Swift.abs(best[0] - 0.3) < 0.1 && Swift.abs(best[1] - 0.6) < 0.1)
    let rounded: ([Double]) -> [Double] = { $0.map { ($0 * 4).rounded() / 4 } }
    let first = optimizer.maximize(acquisition, choices: [nil, nil], seed: 1, round: rounded, exclude: [])
    let second = optimizer.maximize(acquisition, choices: [nil, nil], seed: 1, round: rounded, exclude: [first])
    #expect(first != second)
  }
}

/// A surrogate that hides its gradients: the acquisition search must stay on the Sobol points.
private struct GradientFree: Surrogate {
  let model: GaussianProcess
  var inputs: [Double] { model.inputs }
  var dimensions: Int { model.dimensions }
  var targets: [Double] { model.targets }
  var outputMean: Double { model.outputMean }
  var outputScale: Double { model.outputScale }
  var hasGradients: Bool { false }
  var hyperparameterVector: [Double] { [] }
  func posterior(at points: [Double]) -> (mean: [Double], variance: [Double]) { model.posterior(at: points) }
  func posteriorWithGradient(at point: [Double]) -> Posterior {
    var p = model.posteriorWithGradient(at: point)
    p.meanGradient = Array(repeating: .nan, count: dimensions)
    p.varianceGradient = p.meanGradient
    return p
  }
  func conditionedOnObservations(inputs: [Double], outputs: [Double]) throws -> any Surrogate {
    GradientFree(model: try model.conditioned(onInputs: inputs, outputs: outputs))
  }
}

@Suite struct DerivativeFreeSearchTests {
  @Test func aSurrogateWithoutGradientsIsSearchedOnTheSobolPoints() throws {
    let inputs = [0.1, 0.4, 0.8, 0.95]
    let gp = try GaussianProcess(inputs: inputs, outputs: inputs.map { -($0 - 0.6) * ($0 - 0.6) }, dimensions: 1)
    let acquisition = Acquisition(.logEI, model: GradientFree(model: gp), bestObserved: gp.targets.max())
    let optimizer = AcquisitionOptimizer(rawSamples: 64, restarts: 4, maxIterations: 20)
    let x = optimizer.maximize(acquisition, choices: [nil], seed: 3, round: { $0 }, exclude: [])
    // The best Sobol point, untouched by a gradient step (NaN gradients would have broken one).
    let raw = try SobolSequence(dimension: 1, seed: 3)
    let sobol = (0..<64).map { raw.point(at: $0)[0] }
    let best = sobol.max { acquisition.value(at: [$0]) < acquisition.value(at: [$1]) }!
    #expect(x == [best])
  }
}

@Suite struct NeuralNetworkKernelTests {
  @Test func theArcCosineIsWithinTwoHundredMillionthsOfLibm() {
    for i in 0...2000 {
      let x = -1 + Double(i) / 1000
      #expect(abs(NeuralNetworkKernel.arcCosine(x) - acos(x)) < 3e-8, "x = \(x)")
    }
  }

  /// One hidden layer in closed form: K¹ = σ²_b + σ²_w/(2π)·√(qq′)·(sin θ + (π − θ)cos θ).
  @Test func oneLayerMatchesTheClosedForm() {
    let kernel = NeuralNetworkKernel(depth: 1, weightVariance: 1.7, biasVariance: 0.2, outputScale: 1.3, choices: [nil, nil])
    let a = [0.1, 0.9], b = [0.7, 0.4]
    let u = a.map { 2 * $0 - 1 }, v = b.map { 2 * $0 - 1 }
    let q = 0.2 + 1.7 * (u[0] * u[0] + u[1] * u[1]) / 2, q2 = 0.2 + 1.7 * (v[0] * v[0] + v[1] * v[1]) / 2
    let c = 0.2 + 1.7 * (u[0] * v[0] + u[1] * v[1]) / 2
    let theta = acos(c / (q * q2).squareRoot())
    let expected = 1.3 * (0.2 + 1.7 / (2 * Double.pi) * (q * q2).squareRoot() * (sin(theta) + (Double.pi - theta) * cos(theta)))
    #expect(abs(kernel.matrix(a, b)[0] - expected) < 1e-7)
    #expect(abs(kernel.diagonal(a)[0] - kernel.matrix(a, a)[0]) < 1e-7)
  }

  /// The marginal-likelihood gradient in θ, against central differences, at every depth.
  @Test(arguments: 1...4)
  func theFitGradientMatchesFiniteDifferences(_ depth: Int) throws {
    var rng = SeededRNG(seed: UInt64(depth))
    let inputs = (0..<36).map { _ in rng.nextDouble() }
    let outputs = (0..<12).map { (i: Int) -> Double in
      let a = inputs[3 * i], b = inputs[3 * i + 1], c = inputs[3 * i + 2]
      return sin(5 * a) + b * c
    }
    let data = SurrogateData(inputs: inputs, outputs: outputs, dimensions: 3)
    let y = data.standardizedOutputs
    let theta = [0.4, -1.5, 0.2, -4.0]
    let (_, gradient) = try #require(InfiniteWidthSurrogate.negativeLogPosterior(theta, depth: depth, data: data, targets: y))
    for j in 0..<4 {
      var up = theta, down = theta
      up[j] += 1e-5
      down[j] -= 1e-5
      let above = try #require(InfiniteWidthSurrogate.negativeLogPosterior(up, depth: depth, data: data, targets: y)).value
      let below = try #require(InfiniteWidthSurrogate.negativeLogPosterior(down, depth: depth, data: data, targets: y)).value
      let slope = (above - below) / 2e-5
      #expect(abs(slope - gradient[j]) < 1e-4 * max(1, abs(slope)), "depth \(depth), θ\(j): \(gradient[j]) vs \(slope)")
    }
  }
}
