/// Where a trial is in its life: `waiting` (enqueued, not started), `running`, and the
/// finished states `complete`, `pruned`, `failed`. The raw values are what the CLI and the
/// exports print.
public enum TrialState: String, CaseIterable, Hashable, Sendable {
  case running, waiting, complete, pruned, failed

  /// True for `complete`, `pruned` and `failed`: nothing more can be recorded.
  public var isFinished: Bool { self == .complete || self == .pruned || self == .failed }
}

/// Whether an objective is to be minimized or maximized.
public enum StudyDirection: String, CaseIterable, Hashable, Sendable {
  case minimize, maximize

  /// True when `a` is strictly better than `b` in this direction.
  public func isBetter(_ a: Double, than b: Double) -> Bool {
    self == .minimize ? a < b : a > b
  }
}
