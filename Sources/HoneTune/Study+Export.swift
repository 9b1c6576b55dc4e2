import Foundation

extension FrozenTrial {
  /// The trial as a JSON object: `number`, `state`, `values`, `params`, `distributions`,
  /// `intermediate_values`, `intermediate_vectors`, `user_attrs`, `system_attrs`, `datetime_start`,
  /// `datetime_complete`, `duration` (seconds).
  public var json: JSONValue {
    let dates = ISO8601DateFormatter()
    dates.formatOptions = [.withInternetDateTime, .withFractionalSeconds]
    var o: [String: JSONValue] = [
      "number": .int(number),
      "state": .string(state.rawValue),
      "values": values.map { .array($0.map(JSONValue.double)) } ?? .null,
      "params": .object(params.mapValues(\.json)),
      "distributions": .object(distributions.mapValues(\.json)),
      "intermediate_values": .object(Dictionary(uniqueKeysWithValues: intermediateValues.map { (String($0.key), JSONValue.double($0.value)) })),
      "intermediate_vectors": .object(Dictionary(uniqueKeysWithValues: intermediateVectors.map { (String($0.key), JSONValue.array($0.value.map(JSONValue.double))) })),
      "user_attrs": .object(userAttrs),
      "system_attrs": .object(systemAttrs),
    ]
    o["datetime_start"] = datetimeStart.map { .string(dates.string(from: $0)) } ?? .null
    o["datetime_complete"] = datetimeComplete.map { .string(dates.string(from: $0)) } ?? .null
    o["duration"] = duration.map(JSONValue.double) ?? .null
    return .object(o)
  }
}

extension Study {
  /// All trials as a JSON array of `FrozenTrial.json` objects, in number order.
  public func exportJSON() throws -> String {
    JSONValue.array(try trials.map(\.json)).description
  }

  /// All trials as CSV, one row per trial, with the columns of Optuna's
  /// `trials_dataframe`: `number`, `state`, `value` (or `values_0`, `values_1`, … for several
  /// objectives), `datetime_start`, `datetime_complete`, `duration`, then `params_<name>`
  /// and `user_attrs_<key>` for every name that occurs, sorted; `fail_reason` last.
  /// Fields are quoted per RFC 4180 when they hold a comma, quote or line break.
  public func exportCSV() throws -> String {
    let all = try trials
    let valueColumns = directions.count == 1 ? ["value"] : directions.indices.map { "values_\($0)" }
    let paramNames = Set(all.flatMap(\.params.keys)).sorted()
    let attrNames = Set(all.flatMap(\.userAttrs.keys)).sorted()
    var header = ["number", "state"] + valueColumns + ["datetime_start", "datetime_complete", "duration"]
    header += paramNames.map { "params_\($0)" } + attrNames.map { "user_attrs_\($0)" } + ["fail_reason"]
    var lines = [header.map(Self.csvField).joined(separator: ",")]
    let dates = ISO8601DateFormatter()
    dates.formatOptions = [.withInternetDateTime, .withFractionalSeconds]
    for trial in all {
      var row = [String(trial.number), trial.state.rawValue]
      row += directions.indices.map { i in trial.values.map { "\($0[i])" } ?? "" }
      row += [trial.datetimeStart.map(dates.string) ?? "", trial.datetimeComplete.map(dates.string) ?? "",
              trial.duration.map { "\($0)" } ?? ""]
      row += paramNames.map { trial.params[$0]?.description ?? "" }
      row += attrNames.map { name in trial.userAttrs[name].map { $0.stringValue ?? $0.description } ?? "" }
      row.append(trial.failReason ?? "")
      lines.append(row.map(Self.csvField).joined(separator: ","))
    }
    return lines.joined(separator: "\n") + "\n"
  }

  static func csvField(_ field: String) -> String {
    guard field.contains(where: { $0 == "," || $0 == "\"" || $0.isNewline }) else { return field }
    return "\"" + field.replacingOccurrences(of: "\"", with: "\"\"") + "\""
  }
}
