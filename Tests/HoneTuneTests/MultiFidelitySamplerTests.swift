import Foundation
import Testing
@testable import HoneTune

@Suite struct MultiFidelitySamplerTests {
  static let space: [String: Distribution] = [
    "lr": .float(low: 1e-4, high: 1, log: true), "width": .int(low: 8, high: 256, log: true),
    "act": .categorical([.string("relu"), .string("tanh"), .string("gelu")]),
  ]

  /// A learning curve: the loss after `epoch` of 27 epochs falls towards the final loss of the
  /// configuration, whose optimum is at lr = 0.01, width = 64, act = gelu.
  static func loss(_ p: [String: ParamValue], epoch: Int) -> Double {
    let lr = log10(p["lr"]!.doubleValue!) + 2, width = log2(p["width"]!.doubleValue!) - 6
    let final = lr * lr + 0.5 * width * width + (p["act"] == .string("gelu") ? 0 : 0.5)
    return final + 2 / Double(epoch)
  }

  /// Runs `trials` trials under Hyperband (27 epochs, η = 3); returns the best final loss,
  /// the epochs spent and the study.
  static func run(_ sampler: any Sampler, trials: Int) throws -> (best: Double, epochs: Int, study: Study) {
    let study = try Study(name: "mf", sampler: sampler, pruner: HyperbandPruner(minResource: 1, maxResource: 27))
    var best = Double.infinity, epochs = 0
    trials: for _ in 0..<trials {
      let trial = try study.ask(space)
      for epoch in 1...27 {
        epochs += 1
        try trial.report(loss(trial.params, epoch: epoch), step: epoch)
        if try trial.shouldPrune() {
          try study.tell(number: trial.number, state: .pruned)
          continue trials
        }
      }
      let value = loss(trial.params, epoch: 27)
      best = min(best, value)
      try study.tell(trial, value)
    }
    return (best, epochs, study)
  }

  static func samplers(seed: UInt64) throws -> [(String, any Sampler)] {
    [("bohb", try BOHBSampler(seed: seed)), ("dehb", try DEHBSampler(seed: seed, populationSize: 8))]
  }

  @Test(arguments: ["bohb", "dehb"])
  func reproducibleWithinTheSpaceAndBetterThanRandomUnderHyperband(_ name: String) throws {
    var modelled: [Double] = [], random: [Double] = []
    for seed in 0..<4 as Range<UInt64> {
      let sampler = try Self.samplers(seed: seed).first { $0.0 == name }!.1
      let run = try Self.run(sampler, trials: 120)
      let again = try Self.run(try Self.samplers(seed: seed).first { $0.0 == name }!.1, trials: 120)
      let (first, second) = (try run.study.trials.map(\.params), try again.study.trials.map(\.params))
      #expect(first == second)
      for t in try run.study.trials { for (k, v) in t.params { #expect(Self.space[k]!.contains(v)) } }
      modelled.append(run.best)
      random.append(try Self.run(RandomSampler(seed: seed), trials: 120).best)
    }
    // Medians: a run that settles on a wrong categorical choice (DE moves along differences,
    // and two members with the same choice have none) is one seed, not the method.
    func median(_ v: [Double]) -> Double { let s = v.sorted(); return (s[1] + s[2]) / 2 }
    #expect(median(modelled) < median(random), "\(name) \(modelled), random \(random)")
  }

  @Test func budgetViewModelsTheLargestBudgetWithEnoughValues() throws {
    let run = try Self.run(RandomSampler(seed: 1), trials: 60)
    let asking = try run.study.storage.createTrial(studyID: run.study.id, template: nil)
    let view = try BudgetView(run.study.snapshot(), excluding: asking) { _ in 5 }
    let budget = try #require(view.budget)
    let trials = try run.study.trials
    #expect(trials.filter { $0.intermediateValues[budget] != nil }.count >= 5)
    #expect(trials.filter { $0.intermediateValues[budget + 1] != nil }.count < 5)
    #expect(view.ranked.count >= 5 && view.ranked.map { $0.values![0] } == view.ranked.map { $0.values![0] }.sorted())
    // Without intermediate values the final ones are modelled.
    let plain = try AutoSamplerTests.study(RandomSampler(seed: 1), trials: 8)
    let other = try plain.storage.createTrial(studyID: plain.id, template: nil)
    let finalView = try BudgetView(plain.snapshot(), excluding: other) { _ in 5 }
    #expect(finalView.budget == nil && finalView.ranked.count == 8)
  }

  @Test func conditionalParametersAndRunningTrials() throws {
    for (_, sampler) in try Self.samplers(seed: 3) {
      let study = try Study(name: "c", sampler: sampler, pruner: HyperbandPruner(minResource: 1, maxResource: 9))
      for i in 0..<40 {
        let trial = try study.ask()
        let kind = try trial.suggestCategorical("kind", ["a", "b"])
        let x = try trial.suggestFloat("x", 0...1)
        let extra = kind == "a" ? try trial.suggestFloat("extra", 0...1) : 0
        if i % 7 == 6 { continue }  // left running
        for step in 1...9 { try trial.report(x + extra + 1 / Double(step), step: step) }
        try study.tell(trial, x + extra)
      }
      let trials = try study.trials
      #expect(trials.filter { $0.state == .running }.count == 5)
      for t in trials where t.params["kind"] == .string("b") { #expect(t.params["extra"] == nil) }
    }
  }

  @Test func oneObjectiveOnly() throws {
    #expect(throws: TuneError.self) { try Study(name: "m", directions: [.minimize, .minimize], sampler: BOHBSampler(seed: 1), pruner: NopPruner()) }
    #expect(throws: TuneError.self) { try DEHBSampler(populationSize: 3) }
  }
}
