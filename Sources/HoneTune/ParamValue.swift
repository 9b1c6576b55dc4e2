/// One value of a hyperparameter: a number from a float or int distribution, or one of the
/// choices of a categorical distribution (a string, int, double or bool).
public enum ParamValue: Hashable, Sendable, CustomStringConvertible {
  case double(Double)
  case int(Int)
  case string(String)
  case bool(Bool)

  /// The value as a double (ints widen; strings and bools have none).
  public var doubleValue: Double? {
    switch self {
    case .double(let d): return d
    case .int(let i): return Double(i)
    default: return nil
    }
  }

  /// The value as JSON.
  public var json: JSONValue {
    switch self {
    case .double(let d): return .double(d)
    case .int(let i): return .int(i)
    case .string(let s): return .string(s)
    case .bool(let b): return .bool(b)
    }
  }

  /// A parameter value from JSON: strings, numbers and bools; nil for anything else.
  public init?(json: JSONValue) {
    switch json {
    case .double(let d): self = .double(d)
    case .int(let i): self = .int(i)
    case .string(let s): self = .string(s)
    case .bool(let b): self = .bool(b)
    default: return nil
    }
  }

  /// The value as a user would write it: `0.01`, `3`, `adam`, `true`.
  public var description: String {
    switch self {
    case .double(let d): return "\(d)"
    case .int(let i): return String(i)
    case .string(let s): return s
    case .bool(let b): return String(b)
    }
  }
}

/// A Swift type that can be a categorical choice: `String`, `Int`, `Double` or `Bool`.
public protocol ParamRepresentable: Hashable, Sendable {
  /// The choice as a parameter value.
  var paramValue: ParamValue { get }
  /// The choice back from a parameter value, nil if it is of another type.
  init?(paramValue: ParamValue)
}

extension String: ParamRepresentable {
  /// `.string(self)`.
  public var paramValue: ParamValue { .string(self) }
  /// The string of a `.string` value.
  public init?(paramValue: ParamValue) {
    guard case .string(let s) = paramValue else { return nil }
    self = s
  }
}

extension Int: ParamRepresentable {
  /// `.int(self)`.
  public var paramValue: ParamValue { .int(self) }
  /// The integer of an `.int` value.
  public init?(paramValue: ParamValue) {
    guard case .int(let i) = paramValue else { return nil }
    self = i
  }
}

extension Double: ParamRepresentable {
  /// `.double(self)`.
  public var paramValue: ParamValue { .double(self) }
  /// The double of a `.double` value.
  public init?(paramValue: ParamValue) {
    guard case .double(let d) = paramValue else { return nil }
    self = d
  }
}

extension Bool: ParamRepresentable {
  /// `.bool(self)`.
  public var paramValue: ParamValue { .bool(self) }
  /// The bool of a `.bool` value.
  public init?(paramValue: ParamValue) {
    guard case .bool(let b) = paramValue else { return nil }
    self = b
  }
}
