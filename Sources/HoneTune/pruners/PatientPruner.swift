/// Prunes only after a trial has gone `patience` steps without improving by more than
/// `minDelta` (and, when it wraps another pruner, only if that pruner also says so), as
/// Optuna's `PatientPruner`: with the steps sorted, b = the best value before the last
/// patience + 1 steps, a = the best within them; stalled when a is not better than b by more
/// than minDelta (maximizing: b + δ > a; minimizing: b − δ < a). CLI name `patient`.
public struct PatientPruner: Pruner {
  /// The pruner consulted once patience has run out (nil: prune then).
  public let wrapped: (any Pruner)?
  /// Steps without improvement that are tolerated.
  public let patience: Int
  /// The improvement that counts.
  public let minDelta: Double

  /// A patient pruner; patience ≥ 0 and minDelta ≥ 0.
  public init(wrapping wrapped: (any Pruner)? = nil, patience: Int, minDelta: Double = 0) throws {
    guard patience >= 0, minDelta >= 0 else { throw TuneError.invalidArgument("patience and minDelta must be >= 0") }
    self.wrapped = wrapped
    self.patience = patience
    self.minDelta = minDelta
  }

  /// Implements `Pruner.checkDirections`: one objective only.
  public func checkDirections(_ directions: [StudyDirection]) throws {
    _ = try _PrunerSteps.singleDirection(directions, "patient")
  }

  /// Implements `Pruner.shouldPrune`.
  public func shouldPrune(study: StudySnapshot, trial: FrozenTrial) throws -> Bool {
    let direction = try _PrunerSteps.singleDirection(study.directions, "patient")
    let steps = trial.intermediateValues.keys.sorted()
    guard steps.count > patience + 1 else { return false }
    let before = steps.dropLast(patience + 1).compactMap { trial.intermediateValues[$0] }.filter { !$0.isNaN }
    let after = steps.suffix(patience + 1).compactMap { trial.intermediateValues[$0] }.filter { !$0.isNaN }
    guard let bestBefore = direction == .minimize ? before.min() : before.max(),
          let bestAfter = direction == .minimize ? after.min() : after.max() else { return false }
    let stalled = direction == .minimize ? bestBefore - minDelta < bestAfter : bestBefore + minDelta > bestAfter
    guard stalled else { return false }
    return try wrapped?.shouldPrune(study: study, trial: trial) ?? true
  }
}
