/// A setting a catalog entry takes: its name (as a command-line option without the dashes,
/// and as a key of `hone serve`'s options), its default, and what it does.
public struct CatalogOption: Sendable, Hashable {
  /// The name, such as `startup-trials`.
  public let name: String
  /// The default, as it would be typed; nil when the setting has none (it is then required,
  /// or absent means "off").
  public let defaultValue: String?
  /// One line on what it does.
  public let help: String

  /// An option called `name`.
  public init(_ name: String, default defaultValue: String? = nil, _ help: String) {
    self.name = name
    self.defaultValue = defaultValue
    self.help = help
  }
}

/// The settings given for one entry, by option name, as text (typed on a command line or sent
/// by a client); read through the typed accessors, which refuse a malformed value in one line.
public struct CatalogSettings: Sendable, Hashable {
  /// The values given, by option name.
  public var values: [String: String]

  /// Settings with `values`.
  public init(_ values: [String: String] = [:]) { self.values = values }

  /// Setting `name` to `value` when it is not nil.
  public func with(_ name: String, _ value: CustomStringConvertible?) -> CatalogSettings {
    var copy = self
    if let value { copy.values[name] = value.description }
    return copy
  }

  /// The text of `name`, or `defaultValue`.
  public func string(_ name: String, default defaultValue: String) -> String { values[name] ?? defaultValue }

  /// The text of `name`; nil when not given.
  public func string(_ name: String) -> String? { values[name] }

  /// `name` as a number (finite or ±infinity), or `defaultValue`.
  public func double(_ name: String, default defaultValue: Double) throws -> Double {
    try double(name) ?? defaultValue
  }

  /// `name` as a number; nil when not given.
  public func double(_ name: String) throws -> Double? {
    guard let text = values[name] else { return nil }
    guard let value = Double(text), !value.isNaN else { throw CatalogError.badValue("--\(name) takes a number, got '\(text)'") }
    return value
  }

  /// `name` as true or false (false when not given).
  public func flag(_ name: String) throws -> Bool {
    guard let text = values[name] else { return false }
    switch text.lowercased() {
    case "true": return true
    case "false": return false
    default: throw CatalogError.badValue("--\(name) takes true or false, got '\(text)'")
    }
  }

  /// `name` as an integer, or `defaultValue`.
  public func int(_ name: String, default defaultValue: Int) throws -> Int {
    try int(name) ?? defaultValue
  }

  /// `name` as an integer; nil when not given.
  public func int(_ name: String) throws -> Int? {
    guard let text = values[name] else { return nil }
    guard let value = Int(text) else { throw CatalogError.badValue("--\(name) takes an integer, got '\(text)'") }
    return value
  }
}

/// A catalog lookup that failed: an unknown name, a setting the entry does not take, or a
/// malformed value. Its description is the one line to show.
public enum CatalogError: Error, Equatable, CustomStringConvertible {
  case unknownName(String)
  case unknownSetting(String)
  case badValue(String)

  public var description: String {
    switch self {
    case .unknownName(let m), .unknownSetting(let m), .badValue(let m): return m
    }
  }
}

/// One row of a catalog: a name, what it is, the settings it takes, and how it is built from
/// a context (what the command knows: the seed, the search space, the directions) and the
/// settings given.
public struct CatalogEntry<Context, Component>: Sendable {
  /// The name users type.
  public let name: String
  /// One line on what it is.
  public let summary: String
  /// The settings it takes.
  public let options: [CatalogOption]
  private let build: @Sendable (Context, CatalogSettings) throws -> Component

  /// A row called `name`.
  public init(_ name: String, _ summary: String, options: [CatalogOption] = [],
              build: @escaping @Sendable (Context, CatalogSettings) throws -> Component) {
    self.name = name
    self.summary = summary
    self.options = options
    self.build = build
  }

  /// The component, built from `context` and `settings` (which must name only this row's options).
  public func make(_ context: Context, _ settings: CatalogSettings = CatalogSettings()) throws -> Component {
    let known = Set(options.map(\.name))
    if let extra = settings.values.keys.sorted().first(where: { !known.contains($0) }) {
      let takes = options.isEmpty ? "takes no settings" : "takes " + options.map { "--\($0.name)" }.joined(separator: ", ")
      throw CatalogError.unknownSetting("--\(extra) does not apply to \(name), which \(takes)")
    }
    return try build(context, settings)
  }
}

/// The components of one kind (samplers, pruners, …) by name: the one table every command,
/// `hone serve`, the demo and every help text read, assembled from the rows each module
/// contributes, so a name works everywhere or nowhere.
public struct Catalog<Context, Component>: Sendable {
  /// What the components are, for messages ("sampler").
  public let kind: String
  /// The rows, in the order given.
  public let entries: [CatalogEntry<Context, Component>]

  /// The catalog of `kind` with the rows of `parts`, in order; names are matched without
  /// regard to case and must be unique.
  public init(kind: String, _ parts: [CatalogEntry<Context, Component>]...) {
    self.kind = kind
    entries = parts.flatMap { $0 }
    let names = entries.map { $0.name.lowercased() }
    precondition(Set(names).count == names.count, "a \(kind) name appears twice in the catalog: \(names)")
  }

  /// The names, in order.
  public var names: [String] { entries.map(\.name) }

  /// The names as a list for help texts: "a, b or c".
  public var nameList: String {
    names.count < 2 ? names.joined() : names.dropLast().joined(separator: ", ") + " or " + names.last!
  }

  /// The row called `name`.
  public func entry(_ name: String) throws -> CatalogEntry<Context, Component> {
    guard let entry = entries.first(where: { $0.name.lowercased() == name.lowercased() }) else {
      throw CatalogError.unknownName("unknown \(kind) '\(name)'; use \(nameList)")
    }
    return entry
  }

  /// The component called `name`, built from `context` and `settings`.
  public func make(_ name: String, _ context: Context, _ settings: CatalogSettings = CatalogSettings()) throws -> Component {
    try entry(name).make(context, settings)
  }

  /// A catalog with `more` rows after these.
  public func adding(_ more: [CatalogEntry<Context, Component>]) -> Catalog {
    Catalog(kind: kind, entries, more)
  }
}
