/// The unit-cube coordinates of a relative search space for the GP: each numeric parameter
/// through its `ParamTransform` (log scale for log parameters, a grid's relaxed range)
/// rescaled to [0, 1]; each categorical one as its choice index (the kernel compares
/// indices with a Hamming term).
struct GPSpaceEncoding {
  let names: [String]
  let distributions: [Distribution]
  let transforms: [ParamTransform?]
  /// The number of choices of each categorical dimension (nil for numeric ones).
  let choices: [Int?]
  private let reader: ParameterReader

  init(_ space: [String: Distribution]) {
    names = space.keys.sorted()
    distributions = names.map { space[$0]! }
    transforms = distributions.map { ParamTransform($0) }
    choices = distributions.map { if case .categorical(let c) = $0 { c.count } else { nil } }
    reader = ParameterReader(names: names, distributions: distributions)
  }

  /// The coordinates of a trial's parameters; nil when one is missing or outside the space.
  func encode(_ trial: FrozenTrial) -> [Double]? {
    var x = [Double](repeating: 0, count: names.count)
    guard reader.read(trial, into: &x) else { return nil }
    return normalized(x)
  }

  /// The coordinates of parameter values; nil when one is missing or outside the space.
  func encode(_ params: [String: ParamValue]) -> [Double]? {
    var x = [Double](repeating: 0, count: names.count)
    guard reader.read(params, into: &x) else { return nil }
    return normalized(x)
  }

  /// Internal values mapped onto the unit cube.
  private func normalized(_ internalValues: [Double]) -> [Double] {
    var x = internalValues
    for j in x.indices {
      guard let t = transforms[j] else { continue }
      let (low, high) = t.relaxedBounds
      x[j] = Swift.min(Swift.max((t.encode(x[j]) - low) / (high - low), 0), 1)
    }
    return x
  }

  /// The valid parameters nearest to coordinates x.
  func decode(_ x: [Double]) -> [String: ParamValue] {
    var params: [String: ParamValue] = [:]
    for (j, name) in names.enumerated() {
      if let t = transforms[j] {
        let (low, high) = t.relaxedBounds
        params[name] = t.decode(low + Swift.min(Swift.max(x[j], 0), 1) * (high - low))
      } else {
        params[name] = distributions[j].value(fromInternal: x[j])
      }
    }
    return params
  }

  /// x moved onto the point it decodes to (grid points, integers, log-rounded values).
  func round(_ x: [Double]) -> [Double] { encode(decode(x)) ?? x }
}
