import HoneTune

/// A distribution read from Optuna's `distribution_json`, as Hone can hold it.
struct _OptunaDistribution {
  /// The distribution; nil when Hone cannot hold it (then `unusable` says why).
  var distribution: Distribution?
  /// For a categorical: the index in `distribution`'s choices of each Optuna choice index
  /// (they differ when duplicate choices were merged).
  var choiceIndex: [Int] = []
  /// What was changed on the way, one message each, naming the parameter.
  var notes: [String] = []
  /// Why the parameter is left out, when `distribution` is nil.
  var unusable: String?

  static func unusable(_ name: String, _ reason: String) -> _OptunaDistribution {
    _OptunaDistribution(distribution: nil, unusable: "parameter '\(name)': \(reason); the parameter is left out")
  }
}

/// Optuna's distribution JSON: read in every form Optuna 3.2 to 5.x accepts, written in the
/// named form Optuna 5 writes.
enum _OptunaDistributionJSON {
  /// The attributes each named class takes (Optuna refuses others).
  private static let attributeNames: [String: Set<String>] = [
    "FloatDistribution": ["low", "high", "log", "step"],
    "IntDistribution": ["low", "high", "log", "step"],
    "CategoricalDistribution": ["choices"],
    "UniformDistribution": ["low", "high"],
    "LogUniformDistribution": ["low", "high"],
    "DiscreteUniformDistribution": ["low", "high", "q"],
    "IntUniformDistribution": ["low", "high", "step"],
    "IntLogUniformDistribution": ["low", "high", "step"],
  ]

  /// Reads one `distribution_json` of parameter `name`:
  /// `{"name": "FloatDistribution", "attributes": {...}}` (and the other named classes,
  /// the deprecated ones mapped to float or int), or the short `{"type": "float", ...}` form.
  static func decode(_ text: String, name: String) -> _OptunaDistribution {
    let json: JSONValue
    do {
      json = try _OptunaEncoding.parsePythonJSON(text).value
    } catch {
      return .unusable(name, "its distribution is not valid JSON (\(error))")
    }
    guard let o = json.objectValue else { return .unusable(name, "its distribution \(text) is not a JSON object") }
    let kind: String
    let attributes: [String: JSONValue]
    if let className = o["name"]?.stringValue {
      guard let known = attributeNames[className] else {
        return .unusable(name, "unknown distribution class \(className)")
      }
      guard let a = o["attributes"]?.objectValue else { return .unusable(name, "its distribution has no attributes") }
      if let extra = a.keys.sorted().first(where: { !known.contains($0) }) {
        return .unusable(name, "\(className) has an unknown attribute '\(extra)' (Optuna cannot load it either)")
      }
      kind = className
      attributes = a
    } else if let type = o["type"]?.stringValue {
      kind = type
      attributes = o
    } else {
      return .unusable(name, "its distribution \(text) has neither \"name\" nor \"type\"")
    }
    switch kind {
    case "FloatDistribution", "float": return float(name, attributes, log: nil, stepKey: "step")
    case "UniformDistribution": return float(name, attributes, log: false, stepKey: nil)
    case "LogUniformDistribution": return float(name, attributes, log: true, stepKey: nil)
    case "DiscreteUniformDistribution": return float(name, attributes, log: false, stepKey: "q")
    case "IntDistribution", "int", "IntUniformDistribution": return int(name, attributes, log: kind == "IntUniformDistribution" ? false : nil)
    case "IntLogUniformDistribution": return int(name, attributes, log: true)
    case "CategoricalDistribution", "categorical": return categorical(name, attributes)
    default: return .unusable(name, "unknown distribution type \(kind)")
    }
  }

  /// `log` from the attributes when `fixed` is nil; nil when it is present but not a boolean.
  private static func logFlag(_ attributes: [String: JSONValue], fixed: Bool?) -> Bool? {
    if let fixed { return fixed }
    guard let value = attributes["log"], value != .null else { return false }
    return value.boolValue
  }

  private static func float(_ name: String, _ attributes: [String: JSONValue], log fixed: Bool?, stepKey: String?) -> _OptunaDistribution {
    guard let low = attributes["low"].flatMap(_OptunaEncoding.number), let high = attributes["high"].flatMap(_OptunaEncoding.number) else {
      return .unusable(name, "a float distribution needs numeric low and high")
    }
    guard low.isFinite, high.isFinite else { return .unusable(name, "its bounds \(low) and \(high) are not finite") }
    guard let log = logFlag(attributes, fixed: fixed) else { return .unusable(name, "\"log\" is not true or false") }
    var step: Double?
    if let key = stepKey, let s = attributes[key], s != .null {
      guard let v = _OptunaEncoding.number(s) else { return .unusable(name, "its step \(s) is not a number") }
      step = v
    }
    var result = _OptunaDistribution(distribution: .float(low: low, high: high, log: log, step: step))
    if let step, step > 0, step.isFinite, !log, (try? result.distribution!.validate(name: name)) == nil {
      // Optuna lowers `high` to the last point of the grid; Hone refuses such ranges.
      let adjusted = low + ((high - low) / step).rounded(.down) * step
      let candidate = Distribution.float(low: low, high: adjusted, log: false, step: step)
      if (try? candidate.validate(name: name)) != nil {
        result.distribution = candidate
        result.notes.append("parameter '\(name)': step \(step) does not divide [\(low), \(high)]; high lowered to \(adjusted), as Optuna does")
      } else {
        result.distribution = .float(low: low, high: high, log: false, step: nil)
        result.notes.append("parameter '\(name)': step \(step) does not divide [\(low), \(high)] as Hone requires; imported as a continuous range")
      }
    }
    return validated(name, result)
  }

  private static func int(_ name: String, _ attributes: [String: JSONValue], log fixed: Bool?) -> _OptunaDistribution {
    guard let lowValue = attributes["low"].flatMap(_OptunaEncoding.number), let highValue = attributes["high"].flatMap(_OptunaEncoding.number) else {
      return .unusable(name, "an int distribution needs numeric low and high")
    }
    guard let low = _OptunaEncoding.exactInt(lowValue), let high = _OptunaEncoding.exactInt(highValue) else {
      return .unusable(name, "its bounds \(lowValue) and \(highValue) are not integers within ±2^53, the range Hone holds exactly")
    }
    guard let log = logFlag(attributes, fixed: fixed) else { return .unusable(name, "\"log\" is not true or false") }
    var step = 1
    if let s = attributes["step"], s != .null {
      guard let v = _OptunaEncoding.number(s).flatMap(_OptunaEncoding.exactInt), v >= 1 else {
        return .unusable(name, "its step \(s) is not a positive integer")
      }
      step = v
    }
    var result = _OptunaDistribution(distribution: .int(low: low, high: high, log: log, step: step))
    if high >= low, (high - low) % step != 0 {
      let adjusted = low + (high - low) / step * step
      result.distribution = .int(low: low, high: adjusted, log: log, step: step)
      result.notes.append("parameter '\(name)': step \(step) does not divide [\(low), \(high)]; high lowered to \(adjusted), as Optuna does")
    }
    return validated(name, result)
  }

  private static func categorical(_ name: String, _ attributes: [String: JSONValue]) -> _OptunaDistribution {
    guard let items = attributes["choices"]?.arrayValue, !items.isEmpty else {
      return .unusable(name, "a categorical distribution needs a non-empty list of choices")
    }
    var choices: [ParamValue] = []
    var position: [ParamValue: Int] = [:]
    var result = _OptunaDistribution()
    var converted: [String] = []
    var duplicates: [String] = []
    for item in items {
      let value: ParamValue
      if let token = _OptunaEncoding.nonFiniteToken(item) {
        value = .string(token)
        converted.append(token)
      } else if let v = ParamValue(json: item) {
        value = v
      } else {
        let text = _OptunaEncoding.nullingNonFinite(item).description
        value = .string(text)
        converted.append(text)
      }
      if let index = position[value] {
        result.choiceIndex.append(index)
        duplicates.append(value.description)
      } else {
        position[value] = choices.count
        result.choiceIndex.append(choices.count)
        choices.append(value)
      }
    }
    result.distribution = .categorical(choices)
    if !converted.isEmpty {
      result.notes.append("parameter '\(name)': the choices \(converted.joined(separator: ", ")) cannot be Hone values (strings, numbers, booleans); they were imported as strings of their JSON text")
    }
    if !duplicates.isEmpty {
      result.notes.append("parameter '\(name)': duplicate choices \(duplicates.joined(separator: ", ")) were merged (Hone's choices are distinct)")
    }
    return validated(name, result)
  }

  /// `result` when its distribution passes Hone's checks; else unusable, with the reason.
  private static func validated(_ name: String, _ result: _OptunaDistribution) -> _OptunaDistribution {
    guard let distribution = result.distribution else { return result }
    do {
      try distribution.validate(name: name)
      return result
    } catch {
      return _OptunaDistribution(distribution: nil, unusable: "\(error); the parameter is left out")
    }
  }

  // MARK: writing

  /// The distribution as Optuna 5 writes it: `{"name": "FloatDistribution", "attributes":
  /// {"low": 0.0, "high": 1.0, "log": false, "step": null}}`, float bounds always JSON floats.
  static func json(_ distribution: Distribution) -> JSONValue {
    switch distribution {
    case .float(let low, let high, let log, let step):
      return named("FloatDistribution", ["low": .double(low), "high": .double(high), "log": .bool(log),
                                         "step": step.map(JSONValue.double) ?? .null])
    case .int(let low, let high, let log, let step):
      return named("IntDistribution", ["low": .int(low), "high": .int(high), "log": .bool(log), "step": .int(step)])
    case .categorical(let choices):
      return named("CategoricalDistribution", ["choices": .array(choices.map(\.json))])
    }
  }

  private static func named(_ className: String, _ attributes: [String: JSONValue]) -> JSONValue {
    .object(["name": .string(className), "attributes": .object(attributes)])
  }

  /// Pairs of choices that Python holds equal (`1`, `1.0` and `true`), so that Optuna maps
  /// a value of either to the first when it continues the study.
  static func pythonEqualChoices(_ choices: [ParamValue]) -> [String] {
    var first: [Double: ParamValue] = [:]
    var pairs: [String] = []
    for choice in choices {
      let key: Double
      switch choice {
      case .bool(let b): key = b ? 1 : 0
      case .int(let i): key = Double(i)
      case .double(let d): key = d
      case .string: continue
      }
      if let earlier = first[key] { pairs.append("\(earlier.json) and \(choice.json)") } else { first[key] = choice }
    }
    return pairs
  }
}
