import Foundation
import HoneMath
import HoneTune

/// An ordinary search space (floats, ints, categoricals) seen as an `ArchitectureSpace`, so
/// that `RegularizedEvolution` and `PredictorGuidedSampler` search hyperparameters as they
/// search cells: an "architecture" is one value per parameter, a mutation redraws one
/// parameter (to another value), and the predictor's features are the encoded parameters —
/// each number's coordinate (`ParamTransform`: log scales in log space) scaled to [0, 1], and
/// each categorical one-hot. It costs nothing (`cost` is zero). CLI: `--sampler rea` and
/// `--sampler predictor` on any space.
public struct ParameterSpace: ArchitectureSpace {
  /// One value per parameter, in name order; its `description` is the JSON object.
  public struct Point: Hashable, Sendable, CustomStringConvertible {
    /// The values, sorted by name.
    public let values: [ParamValue]
    /// The names, sorted.
    public let names: [String]

    /// The point as a JSON object of its values.
    public var description: String {
      JSONValue.object(Dictionary(uniqueKeysWithValues: zip(names, values.map(\.json)))).description
    }
  }

  /// The parameters, by name.
  public let distributions: [String: Distribution]
  private let names: [String]

  /// The space of `distributions`; an empty space, or one whose every parameter has a single
  /// value, is refused (nothing to search).
  public init(_ distributions: [String: Distribution]) throws {
    for (name, distribution) in distributions { try distribution.validate(name: name) }
    guard distributions.values.contains(where: { !$0.isSingle }) else {
      throw TuneError.invalidArgument("regularized evolution and the predictor need a space with a parameter that can vary")
    }
    self.distributions = distributions
    self.names = distributions.keys.sorted()
  }

  /// Implements `ArchitectureSpace.sample`: each parameter uniformly (log-uniformly on log scales).
  public func sample(using rng: inout SeededRNG) -> Point {
    Point(values: names.map { distributions[$0]!.value(atUnit: rng.nextDouble()) }, names: names)
  }

  /// Implements `ArchitectureSpace.mutate`: one parameter that can vary, redrawn to another value.
  public func mutate(_ a: Point, using rng: inout SeededRNG) -> Point {
    let variable = names.indices.filter { !distributions[names[$0]]!.isSingle }
    let k = variable[rng.nextInt(below: variable.count)]
    let distribution = distributions[names[k]]!
    var values = a.values
    for _ in 0..<64 {
      values[k] = distribution.value(atUnit: rng.nextDouble())
      if values[k] != a.values[k] { break }
    }
    return Point(values: values, names: names)
  }

  /// Implements `ArchitectureSpace.parameters(of:)`.
  public func parameters(of a: Point) -> [String: ParamValue] {
    Dictionary(uniqueKeysWithValues: zip(a.names, a.values))
  }

  /// Implements `ArchitectureSpace.architecture(from:)`: every parameter must be there, in its distribution.
  public func architecture(from parameters: [String: ParamValue]) throws -> Point {
    Point(values: try names.map { name in
      guard let value = parameters[name], let coerced = distributions[name]!.coerce(value) else {
        throw NASError("the trial has no valid value of '\(name)'")
      }
      return coerced
    }, names: names)
  }

  /// Implements `ArchitectureSpace.parse`: a JSON object of values.
  public func parse(_ text: String) throws -> Point {
    guard let object = try JSONValue.parse(text).objectValue else { throw NASError("a point is a JSON object of parameter values") }
    return try architecture(from: object.compactMapValues(ParamValue.init(json:)))
  }

  /// Implements `ArchitectureSpace.cost`: a hyperparameter setting has no size of its own.
  public func cost(of a: Point) -> ArchitectureCost { ArchitectureCost(parameters: 0, multiplyAccumulates: 0) }

  /// Implements `ArchitectureSpace.features`: numbers scaled to [0, 1] on their coordinate,
  /// categoricals one-hot.
  public func features(of a: Point) -> [Double] {
    var features: [Double] = []
    for (name, value) in zip(names, a.values) {
      let distribution = distributions[name]!
      if case .categorical(let choices) = distribution {
        features += choices.map { $0 == value ? 1 : 0 }
      } else if let transform = ParamTransform(distribution), let x = try? distribution.internalValue(of: value) {
        let width = transform.high - transform.low
        features.append(width > 0 ? (transform.encode(x) - transform.low) / width : 0)
      }
    }
    return features
  }
}
