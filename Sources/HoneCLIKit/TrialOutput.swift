import Foundation

/// What a tuned command says on stdout, one line each:
/// `hone: step=<int> value=<float>` (an intermediate value; `values=<v1>,<v2>,…` for several
/// objectives), `hone: value=<float>` (the result), `hone: values=<v1>,<v2>,…` (the results of
/// several objectives). Other lines are the command's own output.
enum TrialOutput: Equatable {
  case intermediate(step: Int, values: [Double])
  case result([Double])

  /// The line's meaning, nil for ordinary output; a `hone:` line that does not parse throws.
  static func parse(_ line: String) throws -> TrialOutput? {
    let text = line.trimmingCharacters(in: .whitespacesAndNewlines)
    guard text.hasPrefix("hone:") else { return nil }
    var fields: [String: String] = [:]
    for field in text.dropFirst(5).split(separator: " ", omittingEmptySubsequences: true) {
      let parts = field.split(separator: "=", maxSplits: 1).map(String.init)
      guard parts.count == 2 else { throw CLIError("cannot read '\(text)': expected key=value fields") }
      fields[parts[0]] = parts[1]
    }
    func number(_ s: String) throws -> Double {
      guard let v = Double(s) else { throw CLIError("cannot read '\(text)': '\(s)' is not a number") }
      return v
    }
    func numbers(_ value: String?, _ values: String?) throws -> [Double] {
      try value.map { [try number($0)] } ?? values!.split(separator: ",", omittingEmptySubsequences: false).map { try number(String($0)) }
    }
    switch (fields["step"], fields["value"], fields["values"]) {
    case (let step?, let value, let values) where (value == nil) != (values == nil):
      guard let s = Int(step), s >= 0 else { throw CLIError("cannot read '\(text)': step must be an integer ≥ 0") }
      return .intermediate(step: s, values: try numbers(value, values))
    case (nil, let value, let values) where (value == nil) != (values == nil): return .result(try numbers(value, values))
    default: throw CLIError("cannot read '\(text)': use 'hone: step=<int> value=<float>', 'hone: value=<float>' or 'hone: values=<v1>,<v2>'")
    }
  }
}
