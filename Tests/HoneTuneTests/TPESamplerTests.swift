import Foundation
import HoneMath
import Testing
@testable import HoneTune

private func transpose(_ rows: [[Double]]) -> [[Double]] { rows[0].indices.map { j in rows.map { $0[j] } } }

@Suite struct TPESamplerTests {
  static let space: [String: Distribution] = [
    "lr": .float(low: 1e-5, high: 1e-1, log: true), "n": .int(low: 1, high: 64, log: true),
    "opt": .categorical([.string("adam"), .string("sgd"), .string("lion")]), "p": .float(low: 0, high: 1, step: 0.25),
    "x": .float(low: -5, high: 5), "k": .int(low: 0, high: 10, step: 2),
  ]

  /// A loss over the mixed space with its optimum at lr = 1e-3, n = 16, opt = lion, p = 0.5, x = 1, k = 4.
  static func loss(_ p: [String: ParamValue]) -> Double {
    let lr = log10(p["lr"]!.doubleValue!) + 3, n = log2(p["n"]!.doubleValue!) - 4
    let opt: Double = p["opt"] == .string("lion") ? 0 : 1
    return lr * lr + n * n + opt + pow(p["p"]!.doubleValue! - 0.5, 2) + pow(p["x"]!.doubleValue! - 1, 2) + pow(p["k"]!.doubleValue! - 4, 2) / 4
  }

  func run(_ sampler: any Sampler, trials: Int) throws -> (params: [[String: ParamValue]], best: Double) {
    let study = try Study(name: "s", sampler: sampler, pruner: NopPruner())
    var best = Double.infinity
    let params = try (0..<trials).map { _ in
      let trial = try study.ask(Self.space)
      let value = Self.loss(trial.params)
      best = min(best, value)
      try study.tell(trial, value)
      return trial.params
    }
    return (params, best)
  }

  @Test func reproducibleUnderASeedAndValid() throws {
    for multivariate in [true, false] {
      let a = try run(TPESampler(seed: 5, multivariate: multivariate), trials: 30)
      #expect(a.params == (try run(TPESampler(seed: 5, multivariate: multivariate), trials: 30)).params)
      #expect(a.params != (try run(TPESampler(seed: 6, multivariate: multivariate), trials: 30)).params)
      for params in a.params { for (name, value) in params { #expect(Self.space[name]!.contains(value)) } }
    }
  }

  /// Over five seeds, TPE's best after 80 trials beats random search's on the mixed space.
  @Test func beatsRandomSearch() throws {
    var tpe: [Double] = [], random: [Double] = []
    for seed in 1...5 as ClosedRange<UInt64> {
      tpe.append(try run(TPESampler(seed: seed), trials: 80).best)
      random.append(try run(RandomSampler(seed: seed), trials: 80).best)
    }
    #expect(tpe.sorted()[2] < random.sorted()[2])
    #expect(tpe.reduce(0, +) < random.reduce(0, +))
  }

  /// l(x) and g(x) are densities: each integrates (or sums) to one over its range.
  @Test func parzenEstimatorIsNormalized() throws {
    let observations: [[Double]] = [[0.2, 2, 1], [0.5, 4, 0], [0.6, 4, 2], [0.9, 10, 1]]
    let continuous = ParamTransform(.float(low: 0, high: 1))!
    let grid = ParamTransform(.int(low: 0, high: 10, step: 2))!
    for (weights, prior) in [([1.0, 1, 1, 1], 1.0), ([0.1, 0.5, 1, 2], 3.0)] {
      let estimator = ParzenEstimator(columns: transpose(observations), dimensions: [.numeric(continuous), .numeric(grid), .categorical(count: 3)],
                                      weights: weights, priorWeight: prior)
      var total = 0.0
      let cells = 2000
      for i in 0..<cells {
        let x = (Double(i) + 0.5) / Double(cells)
        for k in stride(from: 0, through: 10, by: 2) {
          for c in 0..<3 { total += exp(estimator.logDensity([[x, Double(k), Double(c)]])[0]) / Double(cells) }
        }
      }
      #expect(abs(total - 1) < 1e-5)
    }
  }

  /// Optuna 5.0.0's `_ParzenEstimator` on the same observations, weights and points
  /// (a float, an int with step 2, a categorical of three and a log-scaled float):
  /// `log_pdf` = [-5.862725120128811, -5.211746978722822, -4.972620581530917].
  @Test func parzenEstimatorMatchesOptuna() throws {
    let dimensions: [ParzenEstimator.Dimension] = [
      .numeric(ParamTransform(.float(low: 0, high: 1))!), .numeric(ParamTransform(.int(low: 0, high: 10, step: 2))!),
      .categorical(count: 3), .numeric(ParamTransform(.float(low: 1e-4, high: 1, log: true))!),
    ]
    let observations = [[0.2, 2, 1, log(1e-3)], [0.5, 4, 0, log(1e-2)], [0.6, 4, 2, log(0.5)], [0.9, 10, 1, log(1e-3)]]
    let estimator = ParzenEstimator(columns: transpose(observations), dimensions: dimensions, weights: [1, 0.5, 2, 1], priorWeight: 1)
    let points = [[0.1, 0, 0, log(2e-4)], [0.55, 4, 1, log(0.05)], [0.95, 8, 2, log(0.9)]]
    let expected = [-5.862725120128811, -5.211746978722822, -4.972620581530917]
    for (got, want) in zip(estimator.logDensity(points), expected) { #expect(abs(got - want) < 1e-12) }
  }

  /// With the constant liar, a second worker asking while the first runs gets another point.
  @Test func constantLiarSpreadsConcurrentTrials() throws {
    let study = try Study(name: "c", sampler: TPESampler(seed: 2, startupTrials: 5), pruner: NopPruner())
    for _ in 0..<12 {
      let t = try study.ask(Self.space)
      try study.tell(t, Self.loss(t.params))
    }
    let first = try study.ask(Self.space), second = try study.ask(Self.space)
    #expect(first.params != second.params)
    // The space was suggested in the ask: the stored parameters stand in for the running
    // trial, and no relative sample is kept.
    #expect(try study.storage.trial(id: first.id).systemAttrs[TPESampler.relativeParamsKey] == nil)
    // Define-by-run: the relative sample is kept for the parameters still to be suggested,
    // and the next worker's liar reads it.
    let third = try study.ask(), fourth = try study.ask()
    let kept = try study.storage.trial(id: third.id).state(TPESampler.relativeState)
    #expect(kept?.keys.sorted() == Self.space.keys.sorted())
    #expect(try third.suggest(Self.space) != fourth.suggest(Self.space))
  }

  /// A conditional space: with `group`, each branch's parameters are modelled on the trials
  /// that have them, and the search still finds the better branch.
  @Test func groupDecompositionHandlesConditionalSpaces() throws {
    let study = try Study(name: "g", sampler: TPESampler(seed: 3, group: true), pruner: NopPruner())
    var lastBranches: [String] = []
    for i in 0..<60 {
      let t = try study.ask()
      let branch = try t.suggestCategorical("model", ["svm", "tree"])
      let value: Double
      if branch == "svm" {
        let c = try t.suggestFloat("c", 1e-3...1e3, log: true)
        value = abs(log10(c) - 1)
      } else {
        let depth = try t.suggestInt("depth", 1...20)
        value = 1 + Double(abs(depth - 5))
      }
      if i >= 40 { lastBranches.append(branch) }
      try study.tell(t, value)
    }
    let groups = SearchSpace.groups(of: try study.trials(states: [.complete]))
    #expect(Set(groups.map { Set($0.keys) }) == [["model"], ["c"], ["depth"]])
    #expect(lastBranches.filter { $0 == "svm" }.count > 15)
  }

  /// The split ranks complete, then pruned (further first), then infeasible trials, and
  /// running trials (the constant liar) are always bad.
  @Test func splitOrder() {
    func trial(_ n: Int, _ state: TrialState, value: Double? = nil, steps: [Int: Double] = [:], violation: Double? = nil) -> FrozenTrial {
      FrozenTrial(id: n, number: n, state: state, values: value.map { [$0] }, intermediateValues: steps,
                  systemAttrs: violation.map { [FrozenTrial.constraintsKey: .array([.double($0)])] } ?? [:])
    }
    let trials = [trial(0, .complete, value: 3), trial(1, .complete, value: 1), trial(2, .pruned, steps: [1: 0.5]),
                  trial(3, .pruned, steps: [4: 9]), trial(4, .complete, value: 0, violation: 2), trial(5, .running),
                  trial(6, .complete, value: 2, violation: 0.5), trial(7, .pruned)]
    func numbers(_ count: Int) -> [Int] { TPESplit.split(trials, directions: [.minimize], below: count).below }
    #expect(numbers(1) == [1])
    #expect(numbers(2) == [0, 1])
    #expect(numbers(3) == [0, 1, 3])
    #expect(numbers(5) == [0, 1, 2, 3, 7])
    #expect(numbers(6) == [0, 1, 2, 3, 6, 7])
    #expect(numbers(8) == [0, 1, 2, 3, 4, 6, 7])
    #expect(TPESplit.split(trials, directions: [.minimize], below: 8).above == [5])
  }

  /// MOTPE: the good set of several objectives is whole non-domination ranks, the last one
  /// thinned by hypervolume; on a two-objective problem it beats random search's hypervolume.
  @Test func multiObjectiveTPE() throws {
    let losses: [[Double]] = [[1, 4], [2, 2], [4, 1], [3, 3], [2.2, 1.9], [5, 5]]
    // Front {0, 1, 2, 4}; reference (4.4, 4.4): [2, 2] adds 5.76 first, then [1, 4] and [4, 1] tie at 0.4 (the first wins).
    #expect(TPESplit.multiObjectiveBelow(losses, count: 2) == [1, 0])
    #expect(Set(TPESplit.multiObjectiveBelow(losses, count: 4)) == [0, 1, 2, 4])
    func hypervolumeAfter(_ sampler: any Sampler) throws -> Double {
      let study = try Study(name: "m", directions: [.minimize, .minimize], sampler: sampler, pruner: NopPruner())
      for _ in 0..<60 {
        let t = try study.ask()
        let x = try t.suggestFloat("x", 0...1), y = try t.suggestFloat("y", 0...1)
        let g = 1 + 9 * y
        _ = try study.tell(t, values: [x, g * (1 - (x / g).squareRoot())])
      }
      return hypervolume(try study.bestTrials.map { $0.values! }, reference: [1.1, 11])
    }
    var tpe = 0.0, random = 0.0
    for seed in 1...3 as ClosedRange<UInt64> {
      tpe += try hypervolumeAfter(TPESampler(seed: seed))
      random += try hypervolumeAfter(RandomSampler(seed: seed))
    }
    #expect(tpe > random)
  }

  @Test func defaultGammaAndWeights() {
    #expect(TPESampler.defaultGamma(0) == 0 && TPESampler.defaultGamma(11) == 2 && TPESampler.defaultGamma(1000) == 25)
    #expect(TPESampler.defaultWeights(3) == [1, 1, 1])
    let w = TPESampler.defaultWeights(30)
    #expect(w.count == 30 && abs(w[0] - 1.0 / 30) < 1e-15 && w[4] == 1 && w[29] == 1)
    #expect(throws: TuneError.self) { try TPESampler(eiCandidates: 0) }
  }
}
