import Foundation
import HoneBayes
import HoneBayesNN
import HoneMath
import Testing

/// Every surrogate, network or kernel, against the same checks: it fits a known function,
/// its variance is small at the data and larger away from it, its input gradients match
/// finite differences, a seed reproduces it, degenerate data do not break it, and fantasies
/// shrink its variance where they are placed.
@Suite struct SurrogateTests {
  /// Small budgets, so the suite stays quick in a debug build.
  static let fitters: [any SurrogateFitter] = [
    MaternSurrogate(), InfiniteWidthSurrogate(depths: 1...3),
    DeepKernelSurrogate(hidden: [16], features: 2, steps: 150),
    HMCSurrogate(hidden: [16], chains: 2, warmup: 60, samples: 40, thinning: 4),
    DeepEnsembleSurrogate(members: 4, hidden: [16], steps: 300),
    LastLayerLaplaceSurrogate(hidden: [16], steps: 300),
  ]

  /// f(x) = sin(6x₁) + x₂ at 14 points of the left three quarters of the square.
  static func data() -> SurrogateData {
    var rng = SeededRNG(seed: 11)
    let inputs = (0..<28).map { t in t % 2 == 0 ? 0.75 * rng.nextDouble() : rng.nextDouble() }
    let outputs = (0..<14).map { i in sin(6 * inputs[2 * i]) + inputs[2 * i + 1] }
    return SurrogateData(inputs: inputs, outputs: outputs, dimensions: 2)
  }

  static func fit(_ fitter: any SurrogateFitter, _ data: SurrogateData = data(), seed: UInt64 = 3) throws -> any Surrogate {
    try fitter.fit(data, initial: nil, warmIterations: 8, seed: seed)
  }

  @Test(arguments: fitters.indices)
  func fitsAKnownFunction(_ index: Int) throws {
    let fitter = Self.fitters[index]
    let data = Self.data()
    let model = try Self.fit(fitter, data)
    // The posterior mean at the training points, in the original units, is close to the data:
    // within a fifth of the outputs' variance (the mean of the outputs scores 1; the weight
    // decay of the Laplace network's MAP fit keeps it near 0.15 here).
    let mean = model.posterior(at: data.inputs).mean.map { $0 * model.outputScale + model.outputMean }
    let error = zip(mean, data.outputs).map { ($0 - $1) * ($0 - $1) }.reduce(0, +) / Double(mean.count)
    let spread = meanAndStandardDeviation(data.outputs).1 * meanAndStandardDeviation(data.outputs).1
    #expect(error < 0.2 * spread, "\(fitter.name): training error \(error), output variance \(spread)")
  }

  @Test(arguments: fitters.indices)
  func varianceIsSmallAtTheDataAndLargerAway(_ index: Int) throws {
    let fitter = Self.fitters[index]
    let data = Self.data()
    let model = try Self.fit(fitter, data)
    let atData = model.posterior(at: data.inputs).variance.reduce(0, +) / 14
    // The right quarter of the square has no data.
    let away = model.posterior(at: [0.97, 0.1, 0.97, 0.5, 0.97, 0.9, 1.0, 0.3]).variance.reduce(0, +) / 4
    #expect(away > 2 * atData, "\(fitter.name): mean variance \(atData) at the data, \(away) away from it")
  }

  @Test(arguments: fitters.indices)
  func gradientsMatchFiniteDifferences(_ index: Int) throws {
    let fitter = Self.fitters[index]
    let model = try Self.fit(fitter)
    try checkGradients(model, name: fitter.name)
    // With fantasies too.
    let pending = [0.9, 0.4, 0.2, 0.8]
    let conditioned = try model.conditionedOnObservations(inputs: pending, outputs: model.posterior(at: pending).mean.map { $0 + 0.3 })
    try checkGradients(conditioned, name: fitter.name + " with fantasies")
  }

  func checkGradients(_ model: any Surrogate, name: String) throws {
    for point in [[0.3, 0.6], [0.85, 0.2]] {
      let p = model.posteriorWithGradient(at: point)
      let batch = model.posterior(at: point)
      #expect(abs(batch.mean[0] - p.mean) < 1e-8 && abs(batch.variance[0] - p.variance) < 1e-8 * Swift.max(1, p.variance),
              "\(name): the batch and single-point posteriors differ at \(point)")
      for j in 0..<2 {
        let h = 1e-5
        var up = point, down = point
        up[j] += h; down[j] -= h
        let above = model.posterior(at: up), below = model.posterior(at: down)
        let meanSlope = (above.mean[0] - below.mean[0]) / (2 * h), varianceSlope = (above.variance[0] - below.variance[0]) / (2 * h)
        #expect(abs(meanSlope - p.meanGradient[j]) < 1e-4 * Swift.max(1, abs(meanSlope)), "\(name): ∂μ/∂x\(j) \(p.meanGradient[j]) vs \(meanSlope)")
        #expect(abs(varianceSlope - p.varianceGradient[j]) < 1e-4 * Swift.max(1, abs(varianceSlope)),
                "\(name): ∂σ²/∂x\(j) \(p.varianceGradient[j]) vs \(varianceSlope)")
      }
    }
  }

  @Test(arguments: fitters.indices)
  func aSeedReproducesTheModel(_ index: Int) throws {
    let fitter = Self.fitters[index]
    let points = [0.1, 0.2, 0.5, 0.5, 0.9, 0.7]
    let first = try Self.fit(fitter, seed: 5).posterior(at: points)
    let again = try Self.fit(fitter, seed: 5).posterior(at: points)
    #expect(first.mean == again.mean && first.variance == again.variance, "\(fitter.name)")
  }

  @Test(arguments: fitters.indices)
  func fantasiesShrinkTheVarianceWhereTheyArePlaced(_ index: Int) throws {
    let fitter = Self.fitters[index]
    let model = try Self.fit(fitter)
    let pending = [0.95, 0.5]
    let before = model.posterior(at: pending)
    let after = try model.conditionedOnObservations(inputs: pending, outputs: before.mean).posterior(at: pending)
    #expect(after.variance[0] < 0.8 * before.variance[0], "\(fitter.name): \(before.variance[0]) → \(after.variance[0])")
    #expect(abs(after.mean[0] - before.mean[0]) < 1e-6 * Swift.max(1, abs(before.mean[0])), "\(fitter.name): a believer moved the mean")
  }

  @Test(arguments: fitters.indices)
  func degenerateDataAreHandled(_ index: Int) throws {
    let fitter = Self.fitters[index]
    // One point; the same point three times with one value; constant outputs.
    let cases = [
      SurrogateData(inputs: [0.5, 0.5], outputs: [1], dimensions: 2),
      SurrogateData(inputs: [0.2, 0.3, 0.2, 0.3, 0.2, 0.3], outputs: [2, 2, 2], dimensions: 2),
      SurrogateData(inputs: [0.1, 0.2, 0.5, 0.9, 0.8, 0.4, 0.3, 0.7], outputs: [4, 4, 4, 4], dimensions: 2),
    ]
    for data in cases {
      let model = try fitter.fit(data, initial: nil, warmIterations: 8, seed: 1)
      let (mean, variance) = model.posterior(at: [0.4, 0.6, 0.9, 0.1])
      #expect(mean.allSatisfy(\.isFinite) && variance.allSatisfy { $0.isFinite && $0 > 0 }, "\(fitter.name): \(mean) \(variance)")
    }
  }

  @Test func categoricalDimensionsHaveNoGradient() throws {
    var rng = SeededRNG(seed: 2)
    let inputs = (0..<24).map { t in t % 2 == 0 ? rng.nextDouble() : Double(rng.nextInt(below: 3)) }
    let outputs = (0..<12).map { (i: Int) -> Double in
      let x = inputs[2 * i]
      return x * x + inputs[2 * i + 1]
    }
    let data = SurrogateData(inputs: inputs, outputs: outputs, dimensions: 2, choices: [nil, 3])
    for fitter in Self.fitters {
      let model = try fitter.fit(data, initial: nil, warmIterations: 8, seed: 4)
      let p = model.posteriorWithGradient(at: [0.4, 1])
      #expect(p.meanGradient[1] == 0 && p.varianceGradient[1] == 0, "\(fitter.name)")
      #expect(p.mean.isFinite && p.variance > 0, "\(fitter.name)")
    }
  }
}
