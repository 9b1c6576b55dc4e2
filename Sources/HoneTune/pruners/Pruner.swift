/// Decides whether a running trial should stop early, from its intermediate values and
/// those of the other trials.
public protocol Pruner: Sendable {
  /// True when `trial` (running, with its intermediate values so far) should be pruned.
  func shouldPrune(study: StudySnapshot, trial: FrozenTrial) throws -> Bool
}

/// Never prunes. CLI name `nop`.
public struct NopPruner: Pruner {
  /// The pruner that never prunes.
  public init() {}
  /// Always false.
  public func shouldPrune(study: StudySnapshot, trial: FrozenTrial) throws -> Bool { false }
}
