/// Errors of the study engine. Each message names the study, trial or parameter at fault
/// and says what to do instead.
public enum TuneError: Error, Equatable, CustomStringConvertible, Sendable {
  /// A distribution that cannot be sampled (low > high, log with low ≤ 0, a step that does
  /// not divide the range, empty or duplicate choices, an unknown type in a space file).
  case invalidDistribution(String)
  /// The same parameter name was suggested with another distribution in one trial (or a
  /// categorical value read as another type): the parameter's name, and the message.
  case conflictingDistribution(parameter: String, String)
  /// Text that is not valid JSON, or JSON of the wrong shape.
  case invalidJSON(String)
  /// A value, state or call that the trial or study cannot take (wrong number of values,
  /// a value for a pruned trial, telling a finished trial, …).
  case invalidArgument(String)
  /// No trial has completed yet, so there is no best trial.
  case noCompletedTrials(String)
  /// A sampler or pruner that cannot serve this study (for example a single-objective
  /// pruner on a study with several objectives).
  case unsupported(String)

  /// The message, one line.
  public var description: String {
    switch self {
    case .invalidDistribution(let m), .conflictingDistribution(_, let m), .invalidJSON(let m),
         .invalidArgument(let m), .noCompletedTrials(let m),
         .unsupported(let m):
      return m
    }
  }
}

/// Thrown by an objective to say that its trial was pruned (usually right after
/// `trial.shouldPrune()` returned true). The study records the trial as pruned, with its
/// last intermediate value as its value, and goes on.
public struct TrialPruned: Error, Sendable, CustomStringConvertible {
  /// Why the trial was pruned, if the objective says.
  public let message: String
  /// A pruning signal with an optional reason.
  public init(_ message: String = "trial was pruned") { self.message = message }
  /// The reason.
  public var description: String { message }
}

extension TuneError {
  /// `JSONValue.parse(text)`, a malformed text being `TuneError.invalidJSON` (the search-space
  /// entry points report every problem of a space as a `TuneError`).
  static func parsingJSON(_ text: String) throws -> JSONValue {
    do { return try JSONValue.parse(text) } catch let error as JSONError { throw TuneError.invalidJSON(error.description) }
  }
}
