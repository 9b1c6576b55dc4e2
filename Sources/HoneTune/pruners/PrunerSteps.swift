/// Step rules shared by the pruners.
enum _PrunerSteps {
  /// True when `step` is the first reported step at or after the start of its interval of
  /// `intervalSteps` steps counted from `warmupSteps` (Optuna's rule, for sparse steps).
  static func isFirstInInterval<S: Sequence<Int>>(step: Int, steps: S, warmupSteps: Int, intervalSteps: Int) -> Bool {
    guard intervalSteps > 1 else { return true }
    let intervalStart = warmupSteps + ((step - warmupSteps) / intervalSteps) * intervalSteps
    return !steps.contains { $0 >= intervalStart && $0 < step }
  }

  /// The only objective's direction, or an error naming the pruner.
  static func singleDirection(_ study: StudySnapshot, _ pruner: String) throws -> StudyDirection {
    guard study.directions.count == 1 else {
      throw TuneError.unsupported("the \(pruner) pruner needs a study with one objective (use ParetoPruner for several)")
    }
    return study.directions[0]
  }
}
