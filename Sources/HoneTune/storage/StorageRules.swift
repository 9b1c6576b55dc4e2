import Foundation

/// The checks and rules that every `Storage` backend applies the same way, so that a
/// wrong call is refused before anything is written, whatever the backend.
public enum StorageRules {
  /// A study needs a non-empty, one-line name and at least one direction.
  public static func checkStudy(name: String, directions: [StudyDirection]) throws {
    guard !name.isEmpty, !name.contains(where: \.isNewline) else {
      throw StorageError.invalidArgument("a study name must be non-empty and on one line")
    }
    guard !directions.isEmpty else { throw StorageError.invalidArgument("a study needs at least one direction") }
  }

  /// The values a state may carry: `complete` needs one finite value per direction;
  /// `pruned` may carry one finite value per direction; other states carry none.
  public static func checkValues(_ values: [Double]?, state: TrialState, directionCount: Int, subject: String) throws {
    switch state {
    case .complete:
      guard let values else {
        throw StorageError.invalidArgument("\(subject): a complete trial needs \(directionCount) value(s)")
      }
      guard values.count == directionCount else {
        throw StorageError.invalidArgument("\(subject): the study has \(directionCount) objective(s) but \(values.count) value(s) were given")
      }
      guard values.allSatisfy(\.isFinite) else {
        throw StorageError.invalidArgument("\(subject): objective values must be finite, got \(values)")
      }
    case .pruned:
      if let values, values.count != directionCount || !values.allSatisfy(\.isFinite) {
        throw StorageError.invalidArgument("\(subject): a pruned trial carries \(directionCount) finite value(s) or none")
      }
    case .failed, .waiting, .running:
      if values != nil { throw StorageError.invalidArgument("\(subject): a \(state.rawValue) trial carries no values") }
    }
  }

  /// A template's values must fit its state, and each parameter needs a valid distribution
  /// that contains it.
  public static func checkTemplate(_ template: TrialTemplate, directionCount: Int) throws {
    try checkValues(template.values, state: template.state, directionCount: directionCount, subject: "the new trial")
    for (name, value) in template.params {
      guard let distribution = template.distributions[name] else {
        throw StorageError.invalidArgument("parameter '\(name)' has no distribution")
      }
      try distribution.validate(name: name)
      guard distribution.contains(value) else {
        throw StorageError.invalidArgument("parameter '\(name)': \(value) is not in its distribution \(distribution.json)")
      }
    }
  }

  /// A parameter recorded in a trial: a name the trial has must come with the same
  /// distribution (its value is kept); a new one must be in its distribution.
  public static func checkParam(name: String, value: ParamValue, distribution: Distribution, existing: FrozenTrial) throws {
    try distribution.validate(name: name)
    if let known = existing.distributions[name] {
      guard known == distribution else {
        throw TuneError.conflictingDistribution(parameter: name,
          "trial \(existing.number): parameter '\(name)' was suggested from \(known.json) and now from \(distribution.json); use one distribution per name")
      }
      return
    }
    guard distribution.contains(value) else {
      throw StorageError.invalidArgument("parameter '\(name)': \(value) is not in its distribution \(distribution.json)")
    }
  }

  /// The fail reason of a trial whose worker stopped sending heartbeats.
  public static func staleReason(lastHeartbeat: Date) -> String {
    "\(staleReasonPrefix) \(ISO8601DateFormatter().string(from: lastHeartbeat)); the worker is presumed dead"
  }

  /// How the fail reason of a stale trial begins.
  public static let staleReasonPrefix = "no heartbeat since"

  /// A waiting copy of a stale trial, with its parameters fixed and `retry_of` set — nil when
  /// the trial is itself a retry (a trial is retried once).
  public static func retryTemplate(for trial: FrozenTrial) -> TrialTemplate? {
    guard trial.systemAttrs["retry_of"] == nil else { return nil }
    let attrs: [String: JSONValue] = ["retry_of": .int(trial.number), "fixed_params": .object(trial.params.mapValues(\.json))]
    return TrialTemplate(state: .waiting, params: trial.params, distributions: trial.distributions,
                         userAttrs: trial.userAttrs, systemAttrs: attrs)
  }

  /// Directions as stored: a JSON array of their names (`["minimize","maximize"]`).
  public static func encodeDirections(_ directions: [StudyDirection]) -> String {
    JSONValue.array(directions.map { .string($0.rawValue) }).description
  }

  /// The directions of their stored text; a corrupt text throws `StorageError.backend`.
  public static func decodeDirections(_ text: String) throws -> [StudyDirection] {
    guard let items = try JSONValue.parse(text).arrayValue else { throw StorageError.backend("corrupt directions: \(text)") }
    return try items.map {
      guard let s = $0.stringValue, let d = StudyDirection(rawValue: s) else { throw StorageError.backend("corrupt directions: \(text)") }
      return d
    }
  }

  /// Attributes of their stored text (a JSON object); a corrupt text throws `StorageError.backend`.
  public static func decodeAttrs(_ text: String) throws -> [String: JSONValue] {
    guard let o = try JSONValue.parse(text).objectValue else { throw StorageError.backend("corrupt attributes: \(text)") }
    return o
  }
}
