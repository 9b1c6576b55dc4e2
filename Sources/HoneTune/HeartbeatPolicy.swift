/// How a study notices workers that died in the middle of a trial (Optuna's heartbeat):
/// while a trial runs, `optimize` records a heartbeat every `interval`; the next `ask` marks
/// failed any running trial whose last heartbeat is older than `gracePeriod`, and, with
/// `retryFailedTrials`, enqueues it once more with the same parameters (a retry is not
/// retried again).
public struct HeartbeatPolicy: Sendable, Equatable {
  /// Time between heartbeats of a running trial.
  public var interval: Duration
  /// Age of the last heartbeat after which a running trial counts as dead.
  public var gracePeriod: Duration
  /// Whether a trial failed this way is enqueued once more.
  public var retryFailedTrials: Bool

  /// A policy; the grace period defaults to twice the interval, as in Optuna. The interval
  /// must be positive and the grace period longer than it, or live trials would count as dead
  /// between two heartbeats.
  public init(interval: Duration = .seconds(60), gracePeriod: Duration? = nil, retryFailedTrials: Bool = false) throws {
    let grace = gracePeriod ?? interval * 2
    guard interval > .zero, grace > interval else {
      throw TuneError.invalidArgument("a heartbeat needs a positive interval and a grace period longer than it (got \(interval) and \(grace))")
    }
    self.interval = interval
    self.gracePeriod = grace
    self.retryFailedTrials = retryFailedTrials
  }
}

extension Duration {
  /// The duration in seconds, as a double (seconds + attoseconds · 10⁻¹⁸).
  public var seconds: Double {
    let (s, atto) = components
    return Double(s) + Double(atto) * 1e-18
  }
}
