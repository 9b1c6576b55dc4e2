/// Step rules shared by the pruners.
enum _PrunerSteps {
  /// True when `step` is the first reported step at or after the start of its interval of
  /// `intervalSteps` steps counted from `warmupSteps` (Optuna's rule, for sparse steps).
  static func isFirstInInterval<S: Sequence<Int>>(step: Int, steps: S, warmupSteps: Int, intervalSteps: Int) -> Bool {
    guard intervalSteps > 1 else { return true }
    let intervalStart = warmupSteps + ((step - warmupSteps) / intervalSteps) * intervalSteps
    return !steps.contains { $0 >= intervalStart && $0 < step }
  }

  /// The largest last step of the complete trials (nil when none has completed): the
  /// automatic resource of ASHA and Hyperband.
  static func longestCompleteStep(_ trials: [FrozenTrial]) -> Int? {
    trials.filter { $0.state == .complete }.compactMap { $0.lastIntermediateValue?.step }.max()
  }

  /// The only objective's direction, or an error naming the pruner.
  static func singleDirection(_ directions: [StudyDirection], _ pruner: String) throws -> StudyDirection {
    guard directions.count == 1 else {
      throw TuneError.unsupported("the \(pruner) pruner needs a study with one objective (use the pareto pruner for several)")
    }
    return directions[0]
  }
}
