import Foundation
import HoneMath
import HoneNN
import HoneTune

/// A chain of fully connected layers: a depth, then for each layer a width and an activation
/// (and the space's dropout after each), ending in a linear classifier. The HoneNN model is a
/// `Sequential` of `Linear`, `Activation` (and `Dropout`) layers.
///
/// Canonical string: `W1:act1-W2:act2-…` (e.g. `128:relu-64:gelu`). Trial parameters: `depth`
/// (int) and, for every possible layer k, `width_k` and `activation_k` (categorical); layers past
/// the depth are ignored. A mutation changes the depth by one (a new layer copies its
/// neighbour), one width or one activation. Cost: Σ (inₖ·outₖ + outₖ) parameters and Σ inₖ·outₖ
/// multiply–accumulates, the classifier included.
public struct ChainSpace: ArchitectureSpace {
  /// A chain: the hidden layers, input to output.
  public struct Chain: Hashable, Sendable, CustomStringConvertible {
    /// (width, activation) of each hidden layer.
    public var layers: [Layer]
    /// One hidden layer.
    public struct Layer: Hashable, Sendable {
      /// Output features.
      public var width: Int
      /// The activation after it.
      public var activation: ActivationFunction
      /// A layer.
      public init(width: Int, activation: ActivationFunction) { (self.width, self.activation) = (width, activation) }
    }
    /// A chain of these layers.
    public init(layers: [Layer]) { self.layers = layers }
    /// The canonical string.
    public var description: String { layers.map { "\($0.width):\($0.activation.rawValue)" }.joined(separator: "-") }
  }

  /// Input features of the models.
  public let inputs: Int
  /// Output classes of the models.
  public let classes: Int
  /// The allowed depths.
  public let depths: ClosedRange<Int>
  /// The allowed widths.
  public let widths: [Int]
  /// The allowed activations.
  public let activations: [ActivationFunction]
  /// Dropout after each hidden layer of a built model.
  public let dropout: Double

  /// A chain space; throws when a range or a list is empty or a width not positive.
  public init(inputs: Int, classes: Int, depths: ClosedRange<Int> = 1...4, widths: [Int] = [32, 64, 128, 256, 512],
              activations: [ActivationFunction] = [.relu, .gelu, .tanh], dropout: Double = 0) throws {
    guard inputs > 0, classes > 0, depths.lowerBound >= 1, !widths.isEmpty, widths.allSatisfy({ $0 > 0 }), !activations.isEmpty,
          Set(widths).count == widths.count, Set(activations).count == activations.count, dropout >= 0, dropout < 1 else {
      throw NASError("a chain space needs positive inputs, classes and widths, depths from 1, distinct choices and dropout in [0, 1)")
    }
    guard depths.count > 1 || widths.count > 1 || activations.count > 1 else {
      throw NASError("a chain space with one depth, one width and one activation holds a single architecture: nothing to search")
    }
    (self.inputs, self.classes, self.depths, self.widths, self.activations, self.dropout) = (inputs, classes, depths, widths, activations, dropout)
  }

  /// Implements `ArchitectureSpace.distributions`.
  public var distributions: [String: Distribution] {
    var space: [String: Distribution] = ["depth": .int(low: depths.lowerBound, high: depths.upperBound)]
    for k in 0..<depths.upperBound {
      space["width_\(k)"] = .categorical(widths.map(ParamValue.int))
      space["activation_\(k)"] = .categorical(activations.map { .string($0.rawValue) })
    }
    return space
  }

  private func randomLayer(_ rng: inout SeededRNG) -> Chain.Layer {
    Chain.Layer(width: widths[rng.nextInt(below: widths.count)], activation: activations[rng.nextInt(below: activations.count)])
  }

  /// Implements `ArchitectureSpace.sample(using:)`: a uniform depth, then uniform layers.
  public func sample(using rng: inout SeededRNG) -> Chain {
    let depth = depths.lowerBound + rng.nextInt(below: depths.count)
    return Chain(layers: (0..<depth).map { _ in randomLayer(&rng) })
  }

  /// Implements `ArchitectureSpace.mutate(_:using:)`.
  public func mutate(_ a: Chain, using rng: inout SeededRNG) -> Chain {
    while true {
      var child = a
      let k = rng.nextInt(below: child.layers.count)
      switch rng.nextInt(below: 4) {
      case 0 where child.layers.count < depths.upperBound: child.layers.insert(child.layers[k], at: k)
      case 1 where child.layers.count > depths.lowerBound: child.layers.remove(at: k)
      case 2 where widths.count > 1: child.layers[k].width = Self.other(than: child.layers[k].width, in: widths, &rng)
      case 3 where activations.count > 1: child.layers[k].activation = Self.other(than: child.layers[k].activation, in: activations, &rng)
      default: continue
      }
      if child != a { return child }
    }
  }

  /// A uniform choice among `choices` other than `value`.
  static func other<T: Equatable>(than value: T, in choices: [T], _ rng: inout SeededRNG) -> T {
    let rest = choices.filter { $0 != value }
    return rest[rng.nextInt(below: rest.count)]
  }

  /// Implements `ArchitectureSpace.parameters(of:)`.
  public func parameters(of a: Chain) -> [String: ParamValue] {
    var params: [String: ParamValue] = ["depth": .int(a.layers.count)]
    for (k, layer) in a.layers.enumerated() {
      params["width_\(k)"] = .int(layer.width)
      params["activation_\(k)"] = .string(layer.activation.rawValue)
    }
    return params
  }

  /// Implements `ArchitectureSpace.architecture(from:)`.
  public func architecture(from parameters: [String: ParamValue]) throws -> Chain {
    guard case .int(let depth)? = parameters["depth"], depths.contains(depth) else {
      throw NASError("a chain needs depth in \(depths.lowerBound)...\(depths.upperBound), got \(parameters["depth"].map { "\($0)" } ?? "nothing")")
    }
    return Chain(layers: try (0..<depth).map { k in
      guard case .int(let width)? = parameters["width_\(k)"], widths.contains(width),
            case .string(let name)? = parameters["activation_\(k)"], let activation = ActivationFunction(rawValue: name),
            activations.contains(activation) else {
        throw NASError("layer \(k) of the chain needs width_\(k) in \(widths) and activation_\(k) in \(activations.map(\.rawValue))")
      }
      return Chain.Layer(width: width, activation: activation)
    })
  }

  /// Implements `ArchitectureSpace.parse(_:)`: `W:act-W:act-…`.
  public func parse(_ text: String) throws -> Chain {
    let layers = try text.split(separator: "-").map { part -> Chain.Layer in
      let pieces = part.split(separator: ":")
      guard pieces.count == 2, let width = Int(pieces[0]), widths.contains(width),
            let activation = ActivationFunction(rawValue: String(pieces[1])), activations.contains(activation) else {
        throw NASError("'\(part)' is not width:activation with a width in \(widths) and an activation in \(activations.map(\.rawValue))")
      }
      return Chain.Layer(width: width, activation: activation)
    }
    guard depths.contains(layers.count) else { throw NASError("'\(text)' has \(layers.count) layers; the space allows \(depths)") }
    return Chain(layers: layers)
  }

  /// Implements `ArchitectureSpace.cost(of:)`.
  public func cost(of a: Chain) -> ArchitectureCost { .perceptron(inputs: inputs, widths: a.layers.map(\.width), classes: classes) }

  /// Implements `ArchitectureSpace.features(of:)`: depth, log₂ widths and activation one-hots per layer slot.
  public func features(of a: Chain) -> [Double] {
    var features = [Double(a.layers.count)]
    for k in 0..<depths.upperBound {
      let layer = k < a.layers.count ? a.layers[k] : nil
      features.append(layer.map { log2(Double($0.width)) } ?? 0)
      features += activations.map { layer?.activation == $0 ? 1 : 0 }
    }
    return features
  }

  /// The HoneNN model of a chain, initialized from `seed`.
  public func model(of a: Chain, seed: UInt64 = 0) -> Sequential {
    let operations = a.layers.flatMap { layer -> [LayerOperation] in
      [.linear(layer.width), .activation(layer.activation)] + (dropout > 0 ? [.dropout(dropout)] : [])
    }
    return LayerOperation.model(operations, inputs: inputs, classes: classes, seed: seed)
  }
}
