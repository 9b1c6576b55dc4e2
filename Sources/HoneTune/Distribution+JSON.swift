extension Distribution {
  /// The distribution in the search-space JSON format:
  /// `{"type": "float", "low": 1e-5, "high": 0.1, "log": true}`,
  /// `{"type": "int", "low": 1, "high": 4, "step": 1}`,
  /// `{"type": "categorical", "choices": ["adam", "sgd"]}`.
  public var json: JSONValue {
    switch self {
    case .float(let low, let high, let log, let step):
      var o: [String: JSONValue] = ["type": "float", "low": .double(low), "high": .double(high), "log": .bool(log)]
      if let step { o["step"] = .double(step) }
      return .object(o)
    case .int(let low, let high, let log, let step):
      return .object(["type": "int", "low": .int(low), "high": .int(high), "log": .bool(log), "step": .int(step)])
    case .categorical(let choices):
      return .object(["type": "categorical", "choices": .array(choices.map(\.json))])
    }
  }

  /// The fields of a float or int distribution, and of a categorical one.
  private static let rangeFields = ["type", "low", "high", "log", "step"], categoricalFields = ["type", "choices"]

  /// Reads one distribution of the search-space JSON format and validates it; the error
  /// names the parameter and the field at fault.
  public init(json: JSONValue, name: String = "parameter") throws {
    func fail(_ reason: String) -> TuneError { .invalidDistribution("'\(name)': \(reason)") }
    guard let o = json.objectValue else { throw fail("expected an object like {\"type\": \"float\", \"low\": 0, \"high\": 1}") }
    guard let type = o["type"]?.stringValue else { throw fail("missing \"type\" (float, int or categorical)") }
    let known: [String]
    switch type {
    case "float", "int": known = Self.rangeFields
    case "categorical": known = Self.categoricalFields
    default: throw fail("unknown distribution type \"\(type)\" (use float, int or categorical)")
    }
    if let extra = o.keys.first(where: { !known.contains($0) }) { throw fail("unknown field \"\(extra)\" for type \(type)") }
    var log = false
    if let l = o["log"] {
      guard case .bool(let b) = l else { throw fail("\"log\" must be true or false") }
      log = b
    }
    switch type {
    case "float":
      guard let low = o["low"]?.doubleValue, let high = o["high"]?.doubleValue else { throw fail("float needs numeric \"low\" and \"high\"") }
      var step: Double?
      if let s = o["step"], s != .null {
        guard let v = s.doubleValue else { throw fail("\"step\" must be a number") }
        step = v
      }
      self = .float(low: low, high: high, log: log, step: step)
    case "int":
      guard case .int(let low)? = o["low"], case .int(let high)? = o["high"] else { throw fail("int needs integer \"low\" and \"high\"") }
      var step = 1
      if let s = o["step"] {
        guard case .int(let v) = s else { throw fail("\"step\" must be an integer") }
        step = v
      }
      self = .int(low: low, high: high, log: log, step: step)
    default:
      guard let items = o["choices"]?.arrayValue else { throw fail("categorical needs a \"choices\" array") }
      self = .categorical(try items.map {
        guard let v = ParamValue(json: $0) else { throw fail("choices must be strings, numbers or booleans") }
        return v
      })
    }
    try validate(name: name)
  }

  /// Reads a whole search space, `{"name": {distribution}, …}`, validating every entry.
  public static func space(fromJSON text: String) throws -> [String: Distribution] {
    guard let o = try TuneError.parsingJSON(text).objectValue else {
      throw TuneError.invalidJSON("a search space must be a JSON object of {\"name\": {\"type\": …}}")
    }
    guard !o.isEmpty else { throw TuneError.invalidJSON("the search space is empty") }
    var space: [String: Distribution] = [:]
    for (name, value) in o { space[name] = try Distribution(json: value, name: name) }
    return space
  }
}

