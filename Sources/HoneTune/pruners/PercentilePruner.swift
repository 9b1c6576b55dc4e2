/// Prunes a trial whose best intermediate value so far is worse than the given percentile
/// of the completed trials' values at the same step, as Optuna's `PercentilePruner`.
/// CLI name `percentile`.
///
/// At the trial's latest step s (after `warmupSteps`, on the first reported step of each
/// `intervalSteps` interval, once `startupTrials` trials have completed): let b be the
/// trial's best intermediate value over its steps, and q the `percentile`-th percentile
/// (linear interpolation) of the values that completed trials reported at step s — the
/// (100 − p)-th for maximization; NaN values are left out of q but count towards
/// `minTrials`. Prune when b is worse than q, or when every value of the trial is NaN. Fewer
/// than `minTrials` completed trials with a value at s never prune. O(n) per decision.
public struct PercentilePruner: Pruner {
  /// The percentile in [0, 100]; 50 is the median rule.
  public let percentile: Double
  /// Completed trials needed before any pruning.
  public let startupTrials: Int
  /// Steps at the start of each trial that are never pruned.
  public let warmupSteps: Int
  /// Pruning is checked once per interval of this many steps.
  public let intervalSteps: Int
  /// Completed trials with a value at the step needed to prune there.
  public let minTrials: Int

  /// A percentile pruner; the defaults are Optuna's.
  public init(percentile: Double, startupTrials: Int = 5, warmupSteps: Int = 0,
              intervalSteps: Int = 1, minTrials: Int = 1) throws {
    guard (0...100).contains(percentile) else {
      throw TuneError.invalidArgument("percentile must be in 0...100, got \(percentile)")
    }
    guard startupTrials >= 0, warmupSteps >= 0, intervalSteps >= 1, minTrials >= 1 else {
      throw TuneError.invalidArgument("startup trials and warm-up steps must be >= 0, interval steps and min trials >= 1")
    }
    self.percentile = percentile
    self.startupTrials = startupTrials
    self.warmupSteps = warmupSteps
    self.intervalSteps = intervalSteps
    self.minTrials = minTrials
  }

  /// Implements `Pruner.checkDirections`: one objective only.
  public func checkDirections(_ directions: [StudyDirection]) throws {
    _ = try _PrunerSteps.singleDirection(directions, "percentile")
  }

  /// Implements `Pruner.shouldPrune`.
  public func shouldPrune(study: StudySnapshot, trial: FrozenTrial) throws -> Bool {
    try checkDirections(study.directions)
    guard let (step, _) = trial.lastIntermediateValue else { return false }
    let completed = try study.completedTrials()
    guard completed.count >= startupTrials, step >= warmupSteps else { return false }
    guard _PrunerSteps.isFirstInInterval(step: step, steps: trial.intermediateValues.keys, warmupSteps: warmupSteps,
                                         intervalSteps: intervalSteps) else { return false }
    let direction = study.directions[0]
    let values = trial.intermediateValues.values
    if values.contains(where: \.isNaN) && values.allSatisfy(\.isNaN) { return true }
    let finite = values.filter { !$0.isNaN }
    let best = direction == .minimize ? finite.min()! : finite.max()!
    let atStep = completed.compactMap { $0.intermediateValues[step] }
    guard atStep.count >= minTrials else { return false }  // NaN values count here, as in Optuna
    let others = atStep.filter { !$0.isNaN }
    guard !others.isEmpty else { return false }
    let threshold = Self.percentile(others, direction == .minimize ? percentile : 100 - percentile)
    return direction.isBetter(threshold, than: best)
  }

  /// The q-th percentile with linear interpolation between order statistics (numpy's default).
  static func percentile(_ values: [Double], _ q: Double) -> Double {
    let sorted = values.sorted()
    let position = q / 100 * Double(sorted.count - 1)
    let lower = Int(position.rounded(.down))
    let upper = min(lower + 1, sorted.count - 1)
    let fraction = position - Double(lower)
    return sorted[lower] + (sorted[upper] - sorted[lower]) * fraction
  }
}

/// Prunes a trial whose best intermediate value is worse than the median of the completed
/// trials' values at the same step — the median stopping rule (Golovin et al. 2017, "Google
/// Vizier: A Service for Black-Box Optimization"), as Optuna's `MedianPruner`. CLI name `median`.
public struct MedianPruner: Pruner {
  private let rule: PercentilePruner

  /// A median pruner; the defaults are Optuna's (5 startup trials, no warm-up, every step).
  public init(startupTrials: Int = 5, warmupSteps: Int = 0, intervalSteps: Int = 1, minTrials: Int = 1) throws {
    rule = try PercentilePruner(percentile: 50, startupTrials: startupTrials, warmupSteps: warmupSteps,
                                intervalSteps: intervalSteps, minTrials: minTrials)
  }

  /// Implements `Pruner.checkDirections`: one objective only.
  public func checkDirections(_ directions: [StudyDirection]) throws {
    _ = try _PrunerSteps.singleDirection(directions, "median")
  }

  /// The 50th-percentile rule.
  public func shouldPrune(study: StudySnapshot, trial: FrozenTrial) throws -> Bool {
    try rule.shouldPrune(study: study, trial: trial)
  }
}
