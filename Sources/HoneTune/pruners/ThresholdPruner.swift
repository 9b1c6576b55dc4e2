/// Prunes a trial whose latest intermediate value leaves [lower, upper] or is NaN, as
/// Optuna's `ThresholdPruner` (after `warmupSteps`, once per `intervalSteps`). CLI name `threshold`.
public struct ThresholdPruner: Pruner {
  /// The smallest acceptable value (−∞ for none).
  public let lower: Double
  /// The largest acceptable value (+∞ for none).
  public let upper: Double
  /// Steps that are never pruned.
  public let warmupSteps: Int
  /// Pruning is checked once per interval of this many steps.
  public let intervalSteps: Int

  /// A threshold pruner; at least one bound must be finite, and lower ≤ upper.
  public init(lower: Double = -.infinity, upper: Double = .infinity, warmupSteps: Int = 0, intervalSteps: Int = 1) throws {
    guard lower <= upper, lower.isFinite || upper.isFinite else {
      throw TuneError.invalidArgument("a threshold pruner needs lower <= upper and at least one finite bound")
    }
    guard warmupSteps >= 0, intervalSteps >= 1 else { throw TuneError.invalidArgument("warm-up steps must be >= 0 and interval steps >= 1") }
    self.lower = lower
    self.upper = upper
    self.warmupSteps = warmupSteps
    self.intervalSteps = intervalSteps
  }

  /// Implements `Pruner.shouldPrune`.
  public func shouldPrune(study: StudySnapshot, trial: FrozenTrial) throws -> Bool {
    guard let (step, value) = trial.lastIntermediateValue, step >= warmupSteps else { return false }
    guard _PrunerSteps.isFirstInInterval(step: step, steps: trial.intermediateValues.keys, warmupSteps: warmupSteps,
                                         intervalSteps: intervalSteps) else { return false }
    return value.isNaN || value < lower || value > upper
  }
}
