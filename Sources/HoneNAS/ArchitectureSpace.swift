import HoneMath
import HoneNN
import HoneTune

/// What an architecture costs for a given input: trainable parameters and multiply–accumulate
/// operations of one forward pass.
public struct ArchitectureCost: Hashable, Sendable {
  /// Trainable parameters.
  public var parameters: Int
  /// Multiply–accumulates (FLOPs ≈ 2 × this) of one example's forward pass.
  public var multiplyAccumulates: Int

  /// A cost.
  public init(parameters: Int, multiplyAccumulates: Int) {
    self.parameters = parameters
    self.multiplyAccumulates = multiplyAccumulates
  }
}

/// A space of network architectures as a first-class value: it samples valid architectures,
/// mutates them without leaving the space, maps them to a study's trial parameters and back,
/// writes and parses their canonical string form, and counts what they cost.
///
/// An architecture is a trial's parameters: `distributions` is the space as a study sees it,
/// so every sampler can search it, and `RegularizedEvolution` and `PredictorGuidedSampler` use
/// the space's own sampling and mutation.
public protocol ArchitectureSpace: Sendable {
  /// An architecture of this space; its `description` is the canonical string form.
  associatedtype Architecture: Hashable, Sendable, CustomStringConvertible

  /// Every trial parameter an architecture may use (some only for some architectures).
  var distributions: [String: Distribution] { get }

  /// A random architecture of the space.
  func sample(using rng: inout SeededRNG) -> Architecture

  /// A random neighbour: one local change that stays in the space and differs from `a`.
  func mutate(_ a: Architecture, using rng: inout SeededRNG) -> Architecture

  /// The trial parameters of an architecture (only those it uses).
  func parameters(of a: Architecture) -> [String: ParamValue]

  /// The architecture of trial parameters; throws when they do not describe one.
  func architecture(from parameters: [String: ParamValue]) throws -> Architecture

  /// Parses the canonical string form (`description`).
  func parse(_ text: String) throws -> Architecture

  /// Parameters and multiply–accumulates for the space's input.
  func cost(of a: Architecture) -> ArchitectureCost

  /// Numeric features of an architecture for a performance predictor.
  func features(of a: Architecture) -> [Double]
}

extension ArchitectureCost {
  /// The cost of a perceptron: linear layers inputs → widths… → classes, each with a bias:
  /// Σ (inₖ·outₖ + outₖ) parameters and Σ inₖ·outₖ multiply–accumulates.
  public static func perceptron(inputs: Int, widths: [Int], classes: Int) -> ArchitectureCost {
    let sizes = [inputs] + widths + [classes]
    let macs = zip(sizes, sizes.dropFirst()).reduce(0) { $0 + $1.0 * $1.1 }
    return ArchitectureCost(parameters: macs + sizes.dropFirst().reduce(0, +), multiplyAccumulates: macs)
  }
}

/// One layer of a perceptron-like architecture, as chains and grammars describe them.
enum LayerOperation: Equatable {
  case linear(Int)
  case activation(ActivationFunction)
  case dropout(Double)

  /// The `Sequential` of these operations (a linear layer from the current width for each
  /// `linear`) and a final linear classifier, initialized from `seed`.
  static func model(_ operations: [LayerOperation], inputs: Int, classes: Int, seed: UInt64) -> Sequential {
    var rng = SeededRNG(seed: seed)
    var layers: [any Layer] = []
    var width = inputs
    for (k, op) in operations.enumerated() {
      switch op {
      case .linear(let w): layers.append(Linear(width, w, rng: &rng)); width = w
      case .activation(let f): layers.append(Activation(f))
      case .dropout(let p): layers.append(Dropout(probability: p, seed: seed &+ UInt64(k)))
      }
    }
    layers.append(Linear(width, classes, rng: &rng))
    return Sequential(layers)
  }
}

extension Trial {
  /// Suggests an architecture of `space` through the study's sampler: every parameter of the
  /// space is suggested (those the architecture does not use are recorded and ignored); a
  /// sampler that proposes a whole architecture, like `RegularizedEvolution`, is followed exactly.
  public func suggestArchitecture<Space: ArchitectureSpace>(in space: Space) throws -> Space.Architecture {
    try space.architecture(from: suggest(space.distributions))
  }
}

/// An error in an architecture or its string form.
public struct NASError: Error, CustomStringConvertible, Sendable {
  /// What is wrong and what to do.
  public let description: String
  /// An error with its message.
  public init(_ message: String) { description = message }
}
