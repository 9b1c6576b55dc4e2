import Foundation
import HoneBayes
import HoneMath
import Testing
@testable import HoneTune

@Suite struct GPSamplerTests {
  /// A smaller acquisition search than the default, so the debug-build suite stays light
  /// beside the timing-sensitive tests that run in parallel.
  static let light = AcquisitionOptimizer(rawSamples: 256, restarts: 4, maxIterations: 25)

  func run(_ sampler: any Sampler, trials: Int, space: [String: Distribution] = TPESamplerTests.space,
           loss: ([String: ParamValue]) -> Double = TPESamplerTests.loss) throws -> (params: [[String: ParamValue]], best: Double) {
    let study = try Study(name: "s", sampler: sampler, pruner: NopPruner())
    var best = Double.infinity
    let params = try (0..<trials).map { _ in
      let trial = try study.ask(space)
      let value = loss(trial.params)
      best = min(best, value)
      try study.tell(trial, value)
      return trial.params
    }
    return (params, best)
  }

  @Test func reproducibleValidAndBetterThanRandom() throws {
    let a = try run(GPSampler(seed: 3, optimizer: Self.light), trials: 30)
    #expect(a.params == (try run(GPSampler(seed: 3, optimizer: Self.light), trials: 30)).params)
    #expect(a.params != (try run(GPSampler(seed: 4, optimizer: Self.light), trials: 30)).params)
    for p in a.params { for (name, value) in p { #expect(TPESamplerTests.space[name]!.contains(value)) } }
    var randomBest: [Double] = []
    var gpBest: [Double] = []
    for seed in 0..<3 as Range<UInt64> {
      randomBest.append(try run(RandomSampler(seed: seed), trials: 40).best)
      gpBest.append(try run(GPSampler(seed: seed, optimizer: Self.light), trials: 40).best)
    }
    #expect(gpBest.reduce(0, +) < randomBest.reduce(0, +), "GP \(gpBest), random \(randomBest)")
  }

  @Test(arguments: AcquisitionKind.allCases)
  func everyAcquisitionFindsTheMinimumOfAQuadratic(_ kind: AcquisitionKind) throws {
    let space: [String: Distribution] = ["x": .float(low: -2, high: 2), "y": .float(low: -2, high: 2)]
    let result = try run(GPSampler(seed: 1, acquisition: kind, startupTrials: 5, optimizer: Self.light), trials: 25, space: space) { p in
      let x = p["x"]!.doubleValue!, y = p["y"]!.doubleValue!
      return (x - 0.5) * (x - 0.5) + 2 * (y + 0.3) * (y + 0.3)
    }
    #expect(result.best < 0.05, "\(kind): best \(result.best)")
  }

  @Test func runningTrialsGetDistinctPoints() throws {
    // Integers only, so that two suggestions can coincide unless running trials are conditioned on.
    let space: [String: Distribution] = ["a": .int(low: 0, high: 6), "b": .int(low: 0, high: 6)]
    let study = try Study(name: "s", sampler: GPSampler(seed: 2, startupTrials: 4, optimizer: Self.light), pruner: NopPruner())
    for _ in 0..<6 {
      let t = try study.ask(space)
      try study.tell(t, pow(t.params["a"]!.doubleValue! - 3, 2) + pow(t.params["b"]!.doubleValue! - 2, 2))
    }
    let told = Set(try study.trials.map { "\($0.params["a"]!)|\($0.params["b"]!)" })
    let pending = try (0..<4).map { _ in try study.ask(space).params }.map { "\($0["a"]!)|\($0["b"]!)" }
    #expect(Set(pending).count == 4 && told.isDisjoint(with: pending))
  }

  @Test func constraintsSteerTowardsFeasiblePoints() throws {
    // Minimize x + y subject to x² + y² ≤ 0.5 (c = x² + y² − 0.5): the unconstrained optimum
    // (−1, −1) is infeasible; the constrained one is (−½, −½) with value −1.
    let space: [String: Distribution] = ["x": .float(low: -1, high: 1), "y": .float(low: -1, high: 1)]
    let study = try Study(name: "s", sampler: GPSampler(seed: 5, startupTrials: 8, optimizer: Self.light), pruner: NopPruner())
    var feasibleLate = 0
    for i in 0..<30 {
      let t = try study.ask(space)
      let x = t.params["x"]!.doubleValue!, y = t.params["y"]!.doubleValue!
      try t.setConstraints([x * x + y * y - 0.5])
      if i >= 15 && x * x + y * y <= 0.5 { feasibleLate += 1 }
      try study.tell(t, x + y)
    }
    let bestFeasible = try study.trials.filter { $0.isFeasible }.compactMap(\.value).min() ?? 0
    #expect(bestFeasible < -0.9, "best feasible \(bestFeasible)")
    #expect(feasibleLate >= 8, "\(feasibleLate) of the last 15 suggestions were feasible")
  }

  /// Output warping changes what the model sees on a heavy-tailed objective, and is left out
  /// once trials report constraints (the same suggestions with it on or off).
  @Test func outputWarpingOnlyWithoutConstraints() throws {
    func suggestions(warping: Bool, constrained: Bool) throws -> [Double] {
      let space: [String: Distribution] = ["x": .float(low: -1, high: 1), "y": .float(low: -1, high: 1)]
      let study = try Study(name: "s", sampler: GPSampler(seed: 9, startupTrials: 6, optimizer: Self.light, outputWarping: warping),
                            pruner: NopPruner())
      var xs: [Double] = []
      for _ in 0..<12 {
        let t = try study.ask(space)
        let x = t.params["x"]!.doubleValue!, y = t.params["y"]!.doubleValue!
        if constrained { try t.setConstraints([x - 0.5]) }
        xs.append(x)
        try study.tell(t, exp(8 * (x * x + y * y)))
      }
      return xs
    }
    #expect(try suggestions(warping: true, constrained: false) != suggestions(warping: false, constrained: false))
    #expect(try suggestions(warping: true, constrained: true) == suggestions(warping: false, constrained: true))
  }

  @Test func severalObjectivesAndConditionalParameters() throws {
    let study = try Study(name: "s", directions: [.minimize, .minimize], sampler: GPSampler(seed: 6, startupTrials: 6, optimizer: Self.light),
                          pruner: NopPruner())
    for _ in 0..<20 {
      let t = try study.ask()
      let x = try t.suggestFloat("x", 0...1)
      let kind = try t.suggestCategorical("kind", ["a", "b"])
      let extra = kind == "b" ? try t.suggestFloat("extra", 0...1) : 0   // conditional: sampled independently
      try study.tell(t, values: [x + extra, 1 - x + extra])
    }
    let front = try study.bestTrials
    #expect(front.count >= 4)
    // The shared space holds x and kind; `extra` is never part of it.
    let last = try study.trials.last!
    #expect(last.state(GPSampler.fitState)?.theta.count == 2 + 2)
    #expect(last.state(GPSampler.fitState)?.space == "kind,x")
  }
}
