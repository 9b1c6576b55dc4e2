import Foundation
import HoneBayes
import Testing
@testable import HoneTune

@Suite struct AutoSamplerTests {
  /// A study of `trials` trials over `space` with `loss`, each told before the next ask.
  static func study(_ sampler: any Sampler, trials: Int, space: [String: Distribution] = TPESamplerTests.space,
                    directions: [StudyDirection] = [.minimize],
                    loss: ([String: ParamValue]) -> [Double] = { [TPESamplerTests.loss($0)] }) throws -> Study {
    let study = try Study(name: "s", directions: directions, sampler: sampler, pruner: NopPruner())
    for _ in 0..<trials {
      let trial = try study.ask(space)
      try study.tell(trial, values: loss(trial.params))
    }
    return study
  }

  /// Trials the study has with the auto sampler's choice, by choice.
  static func chosen(_ study: Study) throws -> [String: Int] {
    Dictionary(uniqueKeysWithValues: AutoSampler.choices(in: try study.trials).map { ($0.choice, $0.trials) })
  }

  @Test func choosesTheGPWhileTrialsAreFewThenCMAESOnANumericSpace() throws {
    let space: [String: Distribution] = ["x": .float(low: -3, high: 3), "y": .float(low: 1e-3, high: 1, log: true)]
    let study = try Self.study(AutoSampler(seed: 1, gpTrialLimit: 12), trials: 20, space: space) { p in
      [pow(p["x"]!.doubleValue! - 1, 2) + pow(log10(p["y"]!.doubleValue!) + 2, 2)]
    }
    let trials = try study.trials
    #expect(trials.prefix(12).allSatisfy { $0.state(AutoSampler.choiceState) == "gp" })
    #expect(trials.suffix(8).allSatisfy { $0.state(AutoSampler.choiceState) == "cmaes" })
    #expect(try Self.chosen(study) == ["gp": 12, "cmaes": 8])
    // CMA-ES starts at the best trial with a step size taken from the best trials' spread.
    let best = trials.prefix(12).min { $0.values![0] < $1.values![0] }!
    let first = trials[12].params["x"]!.doubleValue!
    #expect(abs(first - best.params["x"]!.doubleValue!) < 2, "CMA-ES's first point \(first), best \(best.params)")
  }

  @Test func choosesTPEPastTheLimitOnAMixedSpaceAndForConditionalSpaces() throws {
    let mixed = try Self.study(AutoSampler(seed: 2, gpTrialLimit: 12), trials: 16)
    #expect(try Self.chosen(mixed) == ["gp": 12, "tpe": 4])
    // A parameter that only some trials have makes the space conditional: TPE from then on.
    let study = try Study(name: "c", sampler: AutoSampler(seed: 3), pruner: NopPruner())
    for i in 0..<14 {
      let trial = try study.ask()
      let kind = try trial.suggestCategorical("kind", ["a", "b"])
      let x = try trial.suggestFloat("x", 0...1)
      let extra = kind == "a" ? try trial.suggestFloat("extra", 0...1) : 0
      try study.tell(trial, x + extra + Double(i % 2))
    }
    let choices = try study.trials.map { $0.state(AutoSampler.choiceState) }
    #expect(choices.first == "gp" && choices.last == "tpe", "\(choices)")
    for t in try study.trials where t.params["kind"] == .string("b") { #expect(t.params["extra"] == nil) }
  }

  @Test func choosesForSeveralObjectives() throws {
    let space: [String: Distribution] = ["x": .float(low: 0, high: 1), "y": .float(low: 0, high: 1)]
    let two = try Self.study(AutoSampler(seed: 4, gpTrialLimit: 12), trials: 16, space: space, directions: [.minimize, .minimize]) { p in
      let x = p["x"]!.doubleValue!, y = p["y"]!.doubleValue!
      return [x + y, (1 - x) * (1 - x) + y]
    }
    #expect(try Self.chosen(two) == ["gp": 12, "nsga2": 4])
    let four = try Self.study(AutoSampler(seed: 4), trials: 3, space: space, directions: [.minimize, .minimize, .minimize, .minimize]) { p in
      [p["x"]!.doubleValue!, p["y"]!.doubleValue!, 1 - p["x"]!.doubleValue!, 1 - p["y"]!.doubleValue!]
    }
    #expect(try Self.chosen(four) == ["tpe": 3])
  }

  @Test func aStudyContinuedByAnotherInstanceProceedsAsOne() throws {
    // Nothing is kept between calls: a study taken over halfway by a new sampler on the same
    // storage (as another process would load it) proposes what one sampler would have.
    for limit in [100, 12] {
      let whole = try Self.study(AutoSampler(seed: 5, gpTrialLimit: limit), trials: 20)
      let first = try Self.study(AutoSampler(seed: 5, gpTrialLimit: limit), trials: 14)
      let second = try Study.load(name: "s", storage: first.storage, sampler: AutoSampler(seed: 5, gpTrialLimit: limit), pruner: NopPruner())
      for _ in 0..<6 {
        let trial = try second.ask(TPESamplerTests.space)
        try second.tell(trial, TPESamplerTests.loss(trial.params))
      }
      let (a, b) = (try whole.trials.map(\.params), try second.trials.map(\.params))
      #expect(a == b)
      for p in b { for (name, value) in p { #expect(TPESamplerTests.space[name]!.contains(value)) } }
    }
  }

  @Test func runningTrialsGetDistinctPoints() throws {
    let space: [String: Distribution] = ["a": .int(low: 0, high: 6), "b": .int(low: 0, high: 6)]
    let study = try Self.study(AutoSampler(seed: 6), trials: 12, space: space) { p in
      [pow(p["a"]!.doubleValue! - 3, 2) + pow(p["b"]!.doubleValue! - 2, 2)]
    }
    let told = Set(try study.trials.map { "\($0.params["a"]!)|\($0.params["b"]!)" })
    let pending = try (0..<4).map { _ in try study.ask(space).params }.map { "\($0["a"]!)|\($0["b"]!)" }
    #expect(Set(pending).count == 4 && told.isDisjoint(with: pending))
  }

  @Test func gpPastItsExactLimitFitsASubsetWithTheBestHalf() throws {
    var rng = SeededRNG(seed: 1)
    let scores = (0..<200).map { _ in rng.nextDouble() }
    let inputs = (0..<400).map { _ in rng.nextDouble() }
    let ranked = scores.indices.sorted { scores[$0] > scores[$1] }
    let best = ranked[0]
    let nearestFirst = GPSampler.nearestFirst(to: best, inputs: inputs, dimensions: 2)
    let kept = GPSampler.trainingSubset(scores: scores, nearestFirst: nearestFirst, limit: 50)
    #expect(kept.count == 50 && kept == kept.sorted() && Set(kept).count == 50)
    #expect(Set(ranked.prefix(5)).isSubset(of: kept))
    // The other 45 are the nearest to the best point.
    func distance(_ i: Int) -> Double { pow(inputs[2 * i] - inputs[2 * best], 2) + pow(inputs[2 * i + 1] - inputs[2 * best + 1], 2) }
    let byDistance = ranked.dropFirst(5).sorted { distance($0) < distance($1) }
    #expect(Set(byDistance.prefix(45)) == Set(kept).subtracting(ranked.prefix(5)))
    // The trust region spans the nearest points around the best one, widened by a tenth.
    let box = GPSampler.trustRegion(around: nearestFirst.prefix(20), inputs: inputs, dimensions: 2)
    let near = (0..<200).sorted { distance($0) < distance($1) }.prefix(20)
    for j in 0..<2 {
      let low = near.map { inputs[2 * $0 + j] }.min()!, high = near.map { inputs[2 * $0 + j] }.max()!
      #expect(abs(box[j].lowerBound - max(0, low - 0.1 * (high - low))) < 1e-12)
      #expect(abs(box[j].upperBound - min(1, high + 0.1 * (high - low))) < 1e-12)
    }
    // A study past the limit still improves on random search.
    let space: [String: Distribution] = ["x": .float(low: -2, high: 2), "y": .float(low: -2, high: 2)]
    let gp = try GPSampler(seed: 7, startupTrials: 5, optimizer: GPSamplerTests.light, exactTrialLimit: 12)
    let study = try Self.study(gp, trials: 30, space: space) { p in
      [pow(p["x"]!.doubleValue! - 0.5, 2) + pow(p["y"]!.doubleValue! + 0.3, 2)]
    }
    #expect(try study.bestTrial.values![0] < 0.05)
  }

  @Test func isTheCatalogDefault() throws {
    #expect(TuneSamplers.entries.first?.name == "auto")
    #expect(try TuneSamplers.entries.first!.make(SamplerContext(seed: 1)) is AutoSampler)
  }

  @Test func kumaraswamyWarpingIsABijectionChosenByLikelihood() throws {
    for shape in KumaraswamyWarping.grid {
      for x in stride(from: 0.0, through: 1, by: 0.125) {
        #expect(abs(KumaraswamyWarping.unwarp(KumaraswamyWarping.warp(x, shape), shape) - x) < 1e-9)
      }
    }
    // A function that changes only near x = 1 (log-like crowding): the fit warps x and
    // leaves the categorical dimension alone.
    var rng = SeededRNG(seed: 3)
    var inputs: [Double] = [], scores: [Double] = []
    for _ in 0..<40 {
      let x = rng.nextDouble(), c = Double(rng.nextInt(below: 3))
      inputs += [x, c]
      scores.append(-exp(12 * (x - 1)) + 0.1 * c)
    }
    let warping = KumaraswamyWarping.fit(inputs: inputs, scores: scores, dimensions: 2, categorical: [false, true],
                                         hyperparameters: nil, standardization: nil)
    #expect(warping.shapes[1] == nil)
    let shape = try #require(warping.shapes[0])
    #expect(!(shape.a == 1 && shape.b == 1), "\(shape)")
    // The GP with input warping is reproducible and finds the minimum of a quadratic.
    let space: [String: Distribution] = ["x": .float(low: 1e-4, high: 1, log: true), "y": .float(low: -2, high: 2)]
    func run() throws -> Study {
      try Self.study(GPSampler(seed: 4, startupTrials: 5, optimizer: GPSamplerTests.light, inputWarping: true), trials: 25, space: space) { p in
        [pow(log10(p["x"]!.doubleValue!) + 1, 2) + pow(p["y"]!.doubleValue! - 0.5, 2)]
      }
    }
    let (a, b) = (try run(), try run())
    #expect(try a.trials.map(\.params) == b.trials.map(\.params))
    #expect(try a.bestTrial.values![0] < 0.05)
  }

  @Test func acquisitionEnsembleIsReproducibleAndConverges() throws {
    let space: [String: Distribution] = ["x": .float(low: -2, high: 2), "k": .int(low: 0, high: 6), "c": .categorical([.string("a"), .string("b")])]
    func run() throws -> Study {
      try Self.study(GPSampler(seed: 5, startupTrials: 5, optimizer: GPSamplerTests.light, acquisitionEnsemble: true), trials: 25, space: space) { p in
        [pow(p["x"]!.doubleValue! - 0.5, 2) + pow(p["k"]!.doubleValue! - 4, 2) + (p["c"] == .string("b") ? 0 : 1)]
      }
    }
    let (a, b) = (try run(), try run())
    let trials = try a.trials
    #expect(trials.map(\.params) == (try b.trials.map(\.params)))
    // No point is proposed twice, and the search finds the optimum's neighbourhood.
    let points = trials.map { t in t.params.keys.sorted().map { "\($0)=\(t.params[$0]!)" }.joined(separator: " ") }
    #expect(Set(points).count == trials.count)
    #expect(try a.bestTrial.values![0] < 0.1)
    #expect(throws: CatalogError.self) { try TuneSamplers.entries.first { $0.name == "gp" }!.make(SamplerContext(seed: 1), CatalogSettings(["ensemble": "yes"])) }
  }
}
