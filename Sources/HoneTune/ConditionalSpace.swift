/// A search space given up front (a space file, a `hone serve` request) whose parameters may
/// exist only when others take given values — what a define-by-run objective expresses with
/// an `if` (Akiba et al. 2019, "Optuna", §2: conditional search spaces).
///
/// JSON: each entry is a distribution (see `Distribution.init(json:name:)`) with an optional
/// `"when"`: `{"momentum": {"type": "float", "low": 0, "high": 0.99, "when": {"optimizer":
/// "sgd"}}}` exists only when `optimizer` is `sgd`; a list (`{"optimizer": ["sgd", "rmsprop"]}`)
/// accepts any of its values, and several keys must all hold. A condition names another
/// parameter of the space and values that parameter can take; conditions form no cycle.
///
/// `suggest(in:)` suggests the parameters level by level — first those without a condition,
/// in one storage write, then each level whose conditions are now decided — so a trial holds
/// exactly the parameters whose conditions hold. Samplers see what they see from the Swift
/// API's conditional parameters: trials with different sets of parameters.
public struct ConditionalSpace: Sendable, Equatable {
  /// One parameter: its distribution and the values of other parameters it needs.
  public struct Parameter: Sendable, Equatable {
    /// What the parameter is drawn from.
    public var distribution: Distribution
    /// For each parent name, the values under which this parameter exists (empty: always).
    public var condition: [String: [ParamValue]]
  }

  /// Every parameter, by name.
  public let parameters: [String: Parameter]
  /// The names by level: level 0 has no condition; level k depends only on levels below k.
  public let levels: [[String]]

  /// A space without conditions.
  public init(_ distributions: [String: Distribution]) {
    parameters = distributions.mapValues { Parameter(distribution: $0, condition: [:]) }
    levels = distributions.isEmpty ? [] : [distributions.keys.sorted()]
  }

  /// Reads and validates a space from JSON text; the error names the parameter at fault.
  public init(json text: String) throws {
    try self.init(json: TuneError.parsingJSON(text))
  }

  /// Reads and validates a space from a JSON object.
  public init(json: JSONValue) throws {
    guard let object = json.objectValue else {
      throw TuneError.invalidJSON("a search space must be a JSON object of {\"name\": {\"type\": …}}")
    }
    guard !object.isEmpty else { throw TuneError.invalidJSON("the search space is empty") }
    var conditions: [String: JSONValue] = [:]
    var parameters: [String: Parameter] = [:]
    parameters.reserveCapacity(object.count)
    for (name, entry) in object {
      guard var fields = entry.objectValue else {
        throw TuneError.invalidDistribution("'\(name)': expected an object like {\"type\": \"float\", \"low\": 0, \"high\": 1}")
      }
      conditions[name] = fields.removeValue(forKey: "when")
      parameters[name] = Parameter(distribution: try Distribution(json: .object(fields), name: name), condition: [:])
    }
    for (name, json) in conditions {
      parameters[name]!.condition = try Self.condition(json, of: name, in: parameters)
    }
    self.parameters = parameters
    self.levels = try Self.levels(parameters)
  }

  /// Every distribution, conditional or not.
  public var distributions: [String: Distribution] { parameters.mapValues(\.distribution) }

  /// The distributions of the parameters that always exist.
  public var unconditionalDistributions: [String: Distribution] {
    parameters.filter { $0.value.condition.isEmpty }.mapValues(\.distribution)
  }

  /// Whether any parameter has a condition.
  public var isConditional: Bool { levels.count > 1 }

  /// Suggests the parameters whose conditions hold, level by level (one storage write per
  /// level), and returns them.
  @discardableResult
  public func suggest(in trial: Trial) throws -> [String: ParamValue] {
    var values: [String: ParamValue] = [:]
    for level in levels {  // each level's names are sorted
      var active: [(key: String, value: Distribution)] = []
      active.reserveCapacity(level.count)
      for name in level {
        let parameter = parameters[name]!
        if holds(parameter.condition, given: values) { active.append((name, parameter.distribution)) }
      }
      guard !active.isEmpty else { continue }
      let suggested = try trial.suggest(sorted: active)
      if values.isEmpty { values = suggested } else { values.merge(suggested) { _, new in new } }
    }
    return values
  }

  /// Whether `condition` holds for the parameter values chosen so far.
  func holds(_ condition: [String: [ParamValue]], given values: [String: ParamValue]) -> Bool {
    condition.allSatisfy { parent, accepted in values[parent].map(accepted.contains) ?? false }
  }

  /// The condition of `name` from its `"when"` object.
  private static func condition(_ json: JSONValue, of name: String, in parameters: [String: Parameter]) throws -> [String: [ParamValue]] {
    func fail(_ reason: String) -> TuneError { .invalidDistribution("'\(name)': \(reason)") }
    guard let object = json.objectValue, !object.isEmpty else {
      throw fail("\"when\" must be an object like {\"optimizer\": \"sgd\"}")
    }
    var condition: [String: [ParamValue]] = [:]
    for (parent, accepted) in object {
      guard parent != name else { throw fail("a parameter cannot depend on itself") }
      guard let distribution = parameters[parent]?.distribution else {
        throw fail("\"when\" names '\(parent)', which is not a parameter of the space")
      }
      let items = accepted.arrayValue ?? [accepted]
      guard !items.isEmpty else { throw fail("\"when\": '\(parent)' needs at least one value") }
      condition[parent] = try items.map { item in
        guard let value = ParamValue(json: item), let coerced = distribution.coerce(value) else {
          throw fail("\"when\": \(item) is not a value '\(parent)' can take (\(distribution.json))")
        }
        return coerced
      }
    }
    return condition
  }

  /// Orders the parameters into levels; a cycle of conditions is refused.
  private static func levels(_ parameters: [String: Parameter]) throws -> [[String]] {
    if parameters.values.allSatisfy({ $0.condition.isEmpty }) { return parameters.isEmpty ? [] : [parameters.keys.sorted()] }
    var level: [String: Int] = [:]
    var remaining = Set(parameters.keys)
    var levels: [[String]] = []
    while !remaining.isEmpty {
      let ready = remaining.filter { name in parameters[name]!.condition.keys.allSatisfy { level[$0] != nil } }.sorted()
      guard !ready.isEmpty else {
        throw TuneError.invalidDistribution("the conditions of \(remaining.sorted().joined(separator: ", ")) form a cycle")
      }
      for name in ready { level[name] = levels.count }
      levels.append(ready)
      remaining.subtract(ready)
    }
    return levels
  }
}
