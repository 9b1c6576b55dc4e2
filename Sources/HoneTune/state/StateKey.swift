import Foundation

/// A typed piece of state a sampler or pruner keeps with a trial or a study, declared in the
/// sampler's or pruner's own file under its own namespace, with a version.
///
/// It is stored in the trial's (or study's) system attributes under `namespace:name` as
/// `{"version": v, "value": …}`, the value encoded by `Codable`. Reading gives nil for a value
/// of another version or shape (a sampler then starts afresh, as with no state), so a format
/// can change by raising the version. A value written before state was typed — the bare JSON
/// of `Value`, under the same key or `legacyKey` — is still read, so older studies load.
/// Keys that Optuna reads too (`completed_rung_k`) are stored as Optuna stores them
/// (`Format.optuna`: the bare value under the bare name).
public struct StateKey<Value: Codable & Sendable>: Sendable {
  /// How the value is laid out in the attributes.
  public enum Format: Sendable {
    /// `{"version": v, "value": …}` under `namespace:name`.
    case versioned
    /// The bare value under `name` alone, as Optuna stores the keys it shares.
    case optuna
  }

  /// The sampler's or pruner's namespace ("cmaes").
  public let namespace: String
  /// The state's name within it ("search").
  public let name: String
  /// The version of `Value`'s layout.
  public let version: Int
  /// Where the value was stored before state was typed, when not under `key`.
  public let legacyKey: String?
  /// The layout in the attributes.
  public let format: Format

  /// A key `namespace:name` of `version`.
  public init(_ namespace: String, _ name: String, version: Int = 1, legacyKey: String? = nil, format: Format = .versioned) {
    self.namespace = namespace
    self.name = name
    self.version = version
    self.legacyKey = legacyKey
    self.format = format
  }

  /// The attribute name.
  public var key: String { format == .optuna ? name : namespace + ":" + name }

  /// The attribute value that stores `value`.
  public func encode(_ value: Value) throws -> JSONValue {
    let json = try JSONValue.parse(String(decoding: JSONEncoder().encode(value), as: UTF8.self))
    return format == .optuna ? json : .object(["version": .int(version), "value": json])
  }

  /// The value stored in `attributes`; nil when absent, of another version or malformed. A
  /// value written before state was typed — the bare value, under this key or `legacyKey` —
  /// is read as it is.
  public func read(_ attributes: [String: JSONValue]) -> Value? {
    guard let stored = attributes[key] ?? legacyKey.flatMap({ attributes[$0] }) else { return nil }
    if format == .versioned, case .object(let box) = stored, box.count == 2, let value = box["value"], let v = box["version"] {
      return v == .int(version) ? Self.decode(value) : nil
    }
    return Self.decode(stored)
  }

  private static func decode(_ json: JSONValue) -> Value? {
    // Scalars directly: pruners read a scalar of every trial at every decision, and a
    // JSONDecoder per read made ASHA's decisions ten times slower.
    switch json {
    case .int(let i) where Value.self == Int.self: return i as? Value
    case .int, .double: if Value.self == Double.self { return json.doubleValue as? Value }
    case .bool(let b) where Value.self == Bool.self: return b as? Value
    case .string(let s) where Value.self == String.self: return s as? Value
    default: break
    }
    // Wrapped in an array, so that a bare string or number is a valid JSON text.
    guard let values = try? JSONDecoder().decode([Value].self, from: Data(JSONValue.array([json]).description.utf8)) else { return nil }
    return values.first
  }
}

extension StudySnapshot {
  /// Writes `value` of `key` to trial `trial` (the only way a sampler or pruner writes to a
  /// trial: the snapshot is otherwise read-only).
  public func setState<Value>(_ key: StateKey<Value>, _ value: Value, of trial: FrozenTrial) throws {
    try storage.setTrialSystemAttr(trialID: trial.id, key: key.key, value: key.encode(value))
  }

  /// The study's value of `key` (the study's attributes are read once per snapshot).
  public func studyState<Value>(_ key: StateKey<Value>) throws -> Value? {
    key.read(try studySystemAttrs())
  }

  /// Writes the study's value of `key`.
  public func setStudyState<Value>(_ key: StateKey<Value>, _ value: Value) throws {
    let json = try key.encode(value)
    try storage.setStudySystemAttr(studyID: studyID, key: key.key, value: json)
    studyAttributes.withLock { $0?[key.key] = json }
  }
}

extension FrozenTrial {
  /// The trial's value of `key`; nil when it has none (or one of another version).
  public func state<Value>(_ key: StateKey<Value>) -> Value? { key.read(systemAttrs) }
}
