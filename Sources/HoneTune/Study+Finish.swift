import Foundation

/// What `Study.finish` did.
public struct FinishOutcome: Sendable, Equatable {
  /// The trial as stored after the call.
  public let trial: FrozenTrial
  /// True when this call finished the trial; false when it was already finished (by another
  /// worker, a stale-trial sweep, the timeout or an earlier tell) and nothing was written.
  public let finishedNow: Bool
}

extension Study {
  /// The one way a trial ends — its objective returning, failing or being pruned, the trial
  /// timeout, `tell` from any process. `complete` needs one value per direction (a NaN or
  /// infinite value makes the trial failed instead, with that reason); `pruned` takes no
  /// values (the last intermediate value is kept as its value); `failed` takes none and may
  /// carry a reason. Whoever finishes first wins: a later call writes nothing and returns the
  /// stored trial with `finishedNow` false, whether it saw the trial finished before writing
  /// or lost the race inside storage. Malformed input throws and changes nothing.
  @discardableResult
  public func finish(number: Int, state: TrialState = .complete, values: [Double]? = nil,
                     failReason: String? = nil) throws -> FinishOutcome {
    let trial = try storage.trial(studyID: id, number: number)
    guard trial.state == .running else { return FinishOutcome(trial: trial, finishedNow: false) }
    var state = state
    var values = values
    var reason = failReason
    switch state {
    case .complete:
      guard let given = values else { throw TuneError.invalidArgument("trial \(number): a complete trial needs \(directions.count) value(s)") }
      guard given.count == directions.count else {
        throw TuneError.invalidArgument("trial \(number): study '\(name)' has \(directions.count) objective(s) but \(given.count) value(s) were given")
      }
      if let bad = given.first(where: { !$0.isFinite }) {
        state = .failed
        values = nil
        reason = "objective value is \(bad)"
      }
    case .pruned:
      guard values == nil else { throw TuneError.invalidArgument("trial \(number): a pruned trial takes no value") }
      if directions.count == 1, let last = trial.lastIntermediateValue?.value, last.isFinite { values = [last] }
    case .failed:
      guard values == nil else { throw TuneError.invalidArgument("trial \(number): a failed trial takes no value") }
    case .running, .waiting:
      throw TuneError.invalidArgument("trial \(number): tell a trial complete, pruned or failed, not \(state.rawValue)")
    }
    let attrs: [String: JSONValue] = state == .failed && reason != nil ? ["fail_reason": .string(reason!)] : [:]
    do {
      try storage.finishTrial(trialID: trial.id, state: state, values: values, systemAttrs: attrs)
    } catch is TrialFinishedError {
      // Another worker finished it between our read and our write.
      return FinishOutcome(trial: try storage.trial(id: trial.id), finishedNow: false)
    }
    let finished = try storage.trial(id: trial.id)
    try sampler.afterTrial(study: snapshot(), trial: finished)
    return FinishOutcome(trial: finished, finishedNow: true)
  }

  /// The error of a second `tell`: the one error type for "this trial is already finished".
  public static func alreadyFinished(_ trial: FrozenTrial, study: String) -> TrialFinishedError {
    TrialFinishedError(trial: trial.number, state: trial.state, study: study, refusal: "it cannot be told again")
  }
}
