/// The one error for "this trial is already finished": a write to a trial that the
/// objective, its timeout, a stale-trial sweep or another worker has finished. Every layer
/// (the storages, `Study.tell`, `Trial.report`) throws this type, so a caller catches one
/// thing. The fields say which trial and how it ended; the description is the one line to show.
public struct TrialFinishedError: Error, Equatable, Sendable, CustomStringConvertible {
  /// The trial's number in its study.
  public let trial: Int
  /// How it ended.
  public let state: TrialState
  /// The study's name, when the layer that refused the write knows it.
  public let study: String?
  /// What cannot be done any more, as the end of the message ("it cannot be told again").
  public let refusal: String

  /// The error for trial `trial`, finished as `state`.
  public init(trial: Int, state: TrialState, study: String? = nil, refusal: String = "only a running trial can change") {
    self.trial = trial
    self.state = state
    self.study = study
    self.refusal = refusal
  }

  /// "trial 3 of study 's' is already complete; it cannot be told again".
  public var description: String {
    "trial \(trial)\(study.map { " of study '\($0)'" } ?? "") is already \(state.rawValue); \(refusal)"
  }
}
