/// Decides whether a running trial should stop early, from its intermediate values and
/// those of the other trials.
public protocol Pruner: Sendable {
  /// True when `trial` (running, with its intermediate values so far) should be pruned.
  func shouldPrune(study: StudySnapshot, trial: FrozenTrial) throws -> Bool
  /// Throws `TuneError.unsupported` when the pruner cannot serve a study with these
  /// directions; `Study` calls it before any trial is created.
  func checkDirections(_ directions: [StudyDirection]) throws
}

extension Pruner {
  /// Any number of objectives by default.
  public func checkDirections(_ directions: [StudyDirection]) throws {}
}

/// Never prunes. CLI name `nop`.
public struct NopPruner: Pruner {
  /// The pruner that never prunes.
  public init() {}
  /// Always false.
  public func shouldPrune(study: StudySnapshot, trial: FrozenTrial) throws -> Bool { false }
}
