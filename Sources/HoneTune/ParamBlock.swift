/// A trial's parameters as a storage read them in one piece: internal values
/// (`Distribution.internalValue(of:)`) in the order of a list of names and distributions that
/// every trial of the same space shares.
///
/// Reading a study of 100 trials × 20,000 parameters this way fills no dictionary: the
/// model-based samplers read `internalValues` by position (`ParameterReader`), and the
/// `params` dictionary is built only when some code asks for it, once per block.
public final class ParamBlock: Hashable, Sendable {
  /// The parameter names, in block order (one array shared by the blocks of a layout).
  public let names: [String]
  /// The distribution of each name (shared like `names`).
  public let distributions: [Distribution]
  /// The internal value of each name.
  public let internalValues: [Double]
  private let dictionary = Locked<[String: ParamValue]?>(nil)

  /// A block of `internalValues` for `names` drawn from `distributions`.
  public init(names: [String], distributions: [Distribution], internalValues: [Double]) {
    precondition(names.count == distributions.count && names.count == internalValues.count, "one distribution and one value per name")
    self.names = names
    self.distributions = distributions
    self.internalValues = internalValues
  }

  /// The parameter values by name, built on first use.
  public var params: [String: ParamValue] {
    dictionary.withLock { cached in
      if let cached { return cached }
      var built = [String: ParamValue](minimumCapacity: names.count)
      for k in names.indices { built[names[k]] = distributions[k].value(fromInternal: internalValues[k]) }
      cached = built
      return built
    }
  }

  /// Equal when the parameter values are.
  public static func == (a: ParamBlock, b: ParamBlock) -> Bool { a === b || a.params == b.params }

  /// Hashes the parameter values.
  public func hash(into hasher: inout Hasher) { hasher.combine(params) }
}

/// How a `FrozenTrial` holds its parameters: a dictionary, or a block read from storage.
enum ParamStorage: Hashable, Sendable {
  case dictionary([String: ParamValue])
  case block(ParamBlock)

  var dictionary: [String: ParamValue] {
    switch self {
    case .dictionary(let d): return d
    case .block(let b): return b.params
    }
  }

  static func == (a: ParamStorage, b: ParamStorage) -> Bool {
    if case .block(let x) = a, case .block(let y) = b, x === y { return true }
    return a.dictionary == b.dictionary
  }

  func hash(into hasher: inout Hasher) { hasher.combine(dictionary) }
}
