import Foundation
import HoneMath
import Testing
@testable import HoneTune

/// The pruners of the early-stopping issue on hand-made curves.
@Suite struct MorePrunerTests {
  /// Runs `curves` one after another as trials; returns the step each was pruned at (nil: completed).
  static func replay(_ curves: [[Double]], pruner: any Pruner, direction: StudyDirection = .maximize,
                     attrs: [[String: Double]] = []) throws -> [Int?] {
    let study = try Study(name: "r", direction: direction, sampler: RandomSampler(seed: 1), pruner: pruner)
    return try curves.enumerated().map { index, curve in
      let trial = try study.ask()
      for (k, v) in index < attrs.count ? attrs[index] : [:] { try trial.setUserAttr(k, .double(v)) }
      for (i, v) in curve.enumerated() {
        try trial.report(v, step: i + 1)
        if try trial.shouldPrune() {
          try study.tell(trial, state: .pruned)
          return i + 1
        }
      }
      try study.tell(trial, curve.last!)
      return nil
    }
  }

  @Test func threshold() throws {
    let p = try ThresholdPruner(lower: 0.2, upper: 0.9, warmupSteps: 2)
    #expect(try Self.replay([[0.1, 0.5, 0.5], [0.5, 0.1, 0.5], [0.5, 0.5, 0.95], [0.5, .nan, 0.5], [0.5, 0.6, 0.7]], pruner: p)
            == [nil, 2, 3, 2, nil])
    #expect(throws: TuneError.self) { try ThresholdPruner() }
    #expect(throws: TuneError.self) { try ThresholdPruner(lower: 1, upper: 0) }
  }

  @Test func patient() throws {
    // Maximizing with patience 2: prune once the best of the last 3 values is below the best
    // before them (equal is not pruned, as in Optuna).
    let p = try PatientPruner(patience: 2)
    #expect(try Self.replay([[0.5, 0.6, 0.7, 0.8], [0.5, 0.6, 0.6, 0.55, 0.6], [0.5, 0.4, 0.45, 0.49, 0.7]], pruner: p)
            == [nil, nil, 4])
    let minimizing = try PatientPruner(patience: 1, minDelta: 0.1)
    #expect(try Self.replay([[1.0, 0.95, 0.93]], pruner: minimizing, direction: .minimize) == [3])
    // Wrapping a pruner that never prunes: patience alone is not enough.
    #expect(try Self.replay([[0.5, 0.4, 0.3, 0.2]], pruner: try PatientPruner(wrapping: NopPruner(), patience: 1)) == [nil])
  }

  /// ASHA with r = 1, η = 2: rung k at step 2^k; a trial continues only in the top half of the
  /// values recorded at its rung (its own included).
  @Test func successiveHalving() throws {
    let p = try SuccessiveHalvingPruner(minResource: 1, reductionFactor: 2)
    let outcome = try Self.replay([[0.1, 0.2, 0.3, 0.4], [0.05, 0.3, 0.3, 0.3], [0.2, 0.25, 0.3, 0.5], [0.15, 0.1, 0.3, 0.3]], pruner: p)
    // Trial 1: 0.05 vs rung-0 values [0.1, 0.05] → not in the top half (needs >= 0.1) → pruned at step 1.
    // Trial 2: leads at every rung. Trial 3: rung 0 [0.1, 0.05, 0.2, 0.15] → top half is >= 0.15 → promoted;
    // rung 1 at step 2: [0.2, 0.25, 0.1] → needs >= 0.25 → pruned at step 2.
    #expect(outcome == [nil, 1, nil, 2])
  }

  @Test func hyperbandBrackets() throws {
    let p = try HyperbandPruner(minResource: 1, maxResource: 9, reductionFactor: 3)
    #expect(p.brackets(maxResource: 9) == 3)
    #expect(HyperbandPruner.budgets(brackets: 3, reductionFactor: 3) == [9, 5, 3])
    let assignments = (0..<1000).map { HyperbandPruner.bracket(of: $0, budgets: [9, 5, 3]) }
    #expect(assignments == (0..<1000).map { HyperbandPruner.bracket(of: $0, budgets: [9, 5, 3]) })
    let share = Double(assignments.filter { $0 == 0 }.count) / 1000
    #expect(share > 0.43 && share < 0.63)  // 9/17 ≈ 0.53 of the budget
    #expect(throws: TuneError.self) { try HyperbandPruner(minResource: 5, maxResource: 2) }
  }

  @Test func paretoPruner() throws {
    let study = try Study(name: "mo", directions: [.minimize, .minimize], sampler: RandomSampler(seed: 1),
                          pruner: try ParetoPruner(startupTrials: 3))
    for v in [[1.0, 1.0], [2.0, 2.0], [3.0, 3.0]] {
      let t = try study.ask()
      try t.report(v, step: 1)
      try study.tell(t, values: v)
    }
    let dominated = try study.ask()
    try dominated.report([2.5, 2.5], step: 1)  // dominated by 2 of 3
    #expect(try dominated.shouldPrune())
    let front = try study.ask()
    try front.report([1.5, 0.5], step: 1)  // dominated by none
    #expect(try !front.shouldPrune())
    #expect(throws: TuneError.self) { try front.report([1.0], step: 2) }
    #expect(try study.storage.trial(id: front.id).intermediateVectors == [1: [1.5, 0.5]])
  }

  /// Curves y_t = a·(1 − e^(−t/4)) with a parameter count as a user attribute: after the
  /// startup trials, a clearly worse curve is pruned early and a leading curve is kept.
  @Test func learningCurve() throws {
    var rng = SeededRNG(seed: 5)
    func curve(_ a: Double) -> [Double] { (1...15).map { a * (1 - exp(-Double($0) / 4)) + 0.002 * rng.nextNormal() } }
    let amplitudes = (0..<30).map { _ in 0.6 + 0.3 * rng.nextDouble() }
    let pruner = try LearningCurvePruner(delta: 0.05, startupTrials: 20, warmupSteps: 2)
    let curves = amplitudes.map(curve) + [curve(0.3), curve(1.0)]
    let attrs = (amplitudes + [0.3, 1.0]).map { ["params": 1000 * $0] }
    let outcome = try Self.replay(curves, pruner: pruner, attrs: attrs)
    #expect(outcome.prefix(20).allSatisfy { $0 == nil })  // startup
    #expect(outcome[30] != nil && outcome[30]! <= 4)
    #expect(outcome[31] == nil)
    // Same inputs, same decisions.
    #expect(try Self.replay(curves, pruner: try LearningCurvePruner(delta: 0.05, startupTrials: 20, warmupSteps: 2), attrs: attrs).count == 32)
    #expect(throws: TuneError.self) { try LearningCurvePruner(delta: 1.5) }
  }

  /// The same curves with the extrapolating predictor: no decision before 6 values, then the
  /// clearly worse curve is pruned and the leading one kept; minimizing mirrors it.
  @Test func learningCurveByExtrapolation() throws {
    var rng = SeededRNG(seed: 5)
    func curve(_ a: Double) -> [Double] { (1...15).map { a * (1 - exp(-Double($0) / 4)) + 0.002 * rng.nextNormal() } }
    let curves = (0..<30).map { _ in curve(0.6 + 0.3 * rng.nextDouble()) } + [curve(0.3), curve(1.0)]
    let make = { try LearningCurvePruner(delta: 0.05, startupTrials: 20, warmupSteps: 2, predictor: .extrapolation) }
    let outcome = try Self.replay(curves, pruner: make())
    #expect(outcome.prefix(20).allSatisfy { $0 == nil })
    #expect(outcome[30].map { (6...8).contains($0) } == true)
    #expect(outcome[31] == nil)
    let losses = try Self.replay(curves.map { $0.map { 1 - $0 } }, pruner: make(), direction: .minimize)
    #expect(losses[30].map { (6...8).contains($0) } == true && losses[31] == nil)
  }

  /// Δ is divided among the decisions a curve has left: after 4 of 10 values, Δ/6; after 9, Δ.
  @Test func learningCurveDividesDeltaAmongTheRemainingDecisions() throws {
    let pruner = try LearningCurvePruner(delta: 0.06, startupTrials: 10, warmupSteps: 2)
    let study = try Study(name: "lc", direction: .maximize, sampler: RandomSampler(seed: 1), pruner: NopPruner())
    let curves = (0..<12).map { i in (1...10).map { Double($0) * 0.01 * Double(i % 5 + 1) } }
    for curve in curves {
      let trial = try study.ask()
      for (i, v) in curve.enumerated() { try trial.report(v, step: i + 1) }
      try study.tell(trial, curve.last!)
    }
    let running = try study.ask()
    for (i, v) in [0.01, 0.02, 0.03, 0.04].enumerated() { try running.report(v, step: i + 1) }
    let early = try #require(try pruner.predict(study: study.snapshot(), trial: running.snapshot))
    #expect(abs(early.threshold - 0.01) < 1e-15)
    for (i, v) in [0.05, 0.06, 0.07, 0.08, 0.09].enumerated() { try running.report(v, step: i + 5) }
    let late = try #require(try pruner.predict(study: study.snapshot(), trial: running.snapshot))
    #expect(late.threshold == 0.06)
    #expect(late.probability < late.threshold)  // the weakest curve, far below the best final 0.5
  }

  /// The decisions of the replay are deterministic and the predictor's uncertainty is positive.
  @Test func learningCurvePredictionIsReproducible() throws {
    let make = { try LearningCurvePruner(delta: 0.05, startupTrials: 10, warmupSteps: 2) }
    let curves = (0..<25).map { i in (1...10).map { Double($0) * 0.01 * Double(i % 7 + 1) } }
    #expect(try Self.replay(curves, pruner: make()) == Self.replay(curves, pruner: make()))
  }
}

@Suite struct LearningCurveBaselineTests {
  /// With a baseline, a trial the baseline prunes is pruned even before the predictor starts.
  @Test func baselineDecisionsAreAdded() throws {
    let pruner = try LearningCurvePruner(startupTrials: 20, warmupSteps: 2, baseline: MedianPruner(startupTrials: 2))
    let curves: [[Double]] = [[0.5, 0.6, 0.7], [0.5, 0.6, 0.7], [0.1, 0.1, 0.1]]
    #expect(try MorePrunerTests.replay(curves, pruner: pruner) == [nil, nil, 1])
    #expect(try MorePrunerTests.replay(curves, pruner: try LearningCurvePruner(startupTrials: 20, warmupSteps: 2)) == [nil, nil, nil])
  }

  /// The baseline counts the trials the predictor stopped as complete: at step 1 the complete
  /// trials read 0.1, 0.2, 0.3 and two stopped ones 0.9, 0.95, so the median is 0.3, not 0.2,
  /// and a trial at 0.25 is pruned.
  @Test func baselineCountsTheTrialsThePredictorStopped() throws {
    let study = try Study(name: "b", direction: .maximize, sampler: RandomSampler(seed: 1), pruner: NopPruner())
    for v in [0.1, 0.2, 0.3] {
      let trial = try study.ask()
      try trial.report(v, step: 1)
      try study.tell(trial, v)
    }
    for v in [0.9, 0.95] {
      let trial = try study.ask()
      try trial.report(v, step: 1)
      try study.storage.setTrialSystemAttr(trialID: trial.id, key: LearningCurvePruner.stoppedKey, value: .int(1))
      try study.tell(trial, state: .pruned)
    }
    let running = try study.ask()
    try running.report(0.25, step: 1)
    let combined = try LearningCurvePruner(startupTrials: 20, warmupSteps: 1, baseline: MedianPruner(startupTrials: 2))
    #expect(try combined.shouldPrune(study: study.snapshot(), trial: running.snapshot))
    #expect(try !MedianPruner(startupTrials: 2).shouldPrune(study: study.snapshot(), trial: running.snapshot))
    let view = try study.snapshot().showing { $0.systemAttrs[LearningCurvePruner.stoppedKey] != nil }
    #expect(try view.completedTrials().map(\.number) == [0, 1, 2, 3, 4])
    #expect(try study.snapshot().completedTrials().map(\.number) == [0, 1, 2])
  }

  /// A trial the predictor stops is marked with its step only when there is a baseline.
  @Test func predictorStopsAreMarkedForTheBaseline() throws {
    var rng = SeededRNG(seed: 5)
    func curve(_ a: Double) -> [Double] { (1...15).map { a * (1 - exp(-Double($0) / 4)) + 0.002 * rng.nextNormal() } }
    let curves = (0..<30).map { _ in curve(0.6 + 0.3 * rng.nextDouble()) } + [curve(0.3)]
    for baseline in [NopPruner(), nil] as [(any Pruner)?] {
      let pruner = try LearningCurvePruner(delta: 0.05, startupTrials: 20, warmupSteps: 2, baseline: baseline)
      let study = try Study(name: "m", direction: .maximize, sampler: RandomSampler(seed: 1), pruner: pruner)
      var stoppedAt: Int?
      for values in curves {
        let trial = try study.ask()
        stoppedAt = nil
        for (i, v) in values.enumerated() {
          try trial.report(v, step: i + 1)
          if try trial.shouldPrune() { stoppedAt = i + 1; break }
        }
        if stoppedAt != nil { try study.tell(trial, state: .pruned) } else { try study.tell(trial, values.last!) }
      }
      let step = try #require(stoppedAt)
      let last = try #require(try study.trials.last)
      #expect(last.state(LearningCurvePruner.stoppedState) == (baseline == nil ? nil : step))
    }
  }
}
