import Foundation
import HoneMath
import HoneTune

/// The training recipes a joint search chooses from (FBNetV3, Dai et al. 2020: the recipe is
/// searched with the architecture): a grid of learning rates, weight decays, epochs and label
/// smoothings, with the other settings of `TrainingRecipe` fixed.
public struct RecipeGrid: Hashable, Sendable {
  /// SGD's initial learning rates.
  public var learningRates: [Double]
  /// L2 weight decays.
  public var weightDecays: [Double]
  /// Training epochs.
  public var epochs: [Int]
  /// Label smoothings.
  public var labelSmoothings: [Double]

  /// A grid; the default spans the digits benchmark's plausible recipes.
  public init(learningRates: [Double] = [0.01, 0.02, 0.05, 0.1, 0.2], weightDecays: [Double] = [0, 1e-4, 5e-4, 1e-3],
              epochs: [Int] = [5, 10, 15, 20], labelSmoothings: [Double] = [0, 0.05, 0.1]) {
    (self.learningRates, self.weightDecays, self.epochs, self.labelSmoothings) = (learningRates, weightDecays, epochs, labelSmoothings)
  }

  /// The trial parameters of the recipe, in the order sampled and mutated.
  static let names = ["recipe_lr", "recipe_weight_decay", "recipe_epochs", "recipe_label_smoothing"]

  /// The values of each field.
  var axes: [[ParamValue]] {
    [learningRates.map(ParamValue.double), weightDecays.map(ParamValue.double), epochs.map { .int($0) }, labelSmoothings.map(ParamValue.double)]
  }

  /// The recipe of one value index per field.
  func recipe(_ index: [Int]) -> TrainingRecipe {
    TrainingRecipe(learningRate: learningRates[index[0]], weightDecay: weightDecays[index[1]], epochs: epochs[index[2]],
                   labelSmoothing: labelSmoothings[index[3]])
  }

  /// The value index per field of a recipe of the grid.
  func index(of r: TrainingRecipe) -> [Int]? {
    guard let a = learningRates.firstIndex(of: r.learningRate), let b = weightDecays.firstIndex(of: r.weightDecay),
          let c = epochs.firstIndex(of: r.epochs), let d = labelSmoothings.firstIndex(of: r.labelSmoothing) else { return nil }
    return [a, b, c, d]
  }
}

/// An architecture space extended by the training recipe (FBNetV3's joint architecture–recipe
/// space): a candidate is an architecture and a recipe of the grid. It is an `ArchitectureSpace`
/// itself, so every sampler and `PredictorGuidedSampler` can search it; a mutation changes the
/// architecture (one `mutate`) or one recipe field, each with probability ½; the features are
/// the architecture's then log lr, 10³·weight decay, epochs/10 and 10·label smoothing.
public struct JointSpace<Space: ArchitectureSpace>: ArchitectureSpace {
  /// An architecture with its recipe; written `architecture;lr=…,wd=…,epochs=…,ls=…`.
  public struct Candidate: Hashable, Sendable, CustomStringConvertible {
    /// The architecture.
    public var architecture: Space.Architecture
    /// How it is trained.
    public var recipe: TrainingRecipe
    /// The canonical string.
    public var description: String { "\(architecture);\(recipe)" }
  }

  /// The architectures.
  public let space: Space
  /// The recipes.
  public let recipes: RecipeGrid

  /// The joint space of `space` and `recipes`; each recipe field needs at least one value.
  public init(space: Space, recipes: RecipeGrid = RecipeGrid()) throws {
    guard recipes.axes.allSatisfy({ !$0.isEmpty }) else { throw NASError("every field of the recipe grid needs at least one value") }
    (self.space, self.recipes) = (space, recipes)
  }

  /// Implements `ArchitectureSpace.distributions`: the space's and one categorical per recipe field.
  public var distributions: [String: Distribution] {
    space.distributions.merging(zip(RecipeGrid.names, recipes.axes).map { ($0, .categorical($1)) }) { a, _ in a }
  }

  /// Implements `ArchitectureSpace.sample(using:)`.
  public func sample(using rng: inout SeededRNG) -> Candidate {
    let architecture = space.sample(using: &rng)
    return Candidate(architecture: architecture, recipe: recipes.recipe(recipes.axes.map { rng.nextInt(below: $0.count) }))
  }

  /// Implements `ArchitectureSpace.mutate(_:using:)`.
  public func mutate(_ a: Candidate, using rng: inout SeededRNG) -> Candidate {
    var child = a
    var index = recipes.index(of: a.recipe)!
    let changeable = recipes.axes.indices.filter { recipes.axes[$0].count > 1 }
    if changeable.isEmpty || rng.nextDouble() < 0.5 {
      child.architecture = space.mutate(a.architecture, using: &rng)
    } else {
      let field = changeable[rng.nextInt(below: changeable.count)]
      let count = recipes.axes[field].count
      index[field] = (index[field] + 1 + rng.nextInt(below: count - 1)) % count
      child.recipe = recipes.recipe(index)
    }
    return child
  }

  /// Implements `ArchitectureSpace.parameters(of:)`.
  public func parameters(of a: Candidate) -> [String: ParamValue] {
    let index = recipes.index(of: a.recipe)!
    return space.parameters(of: a.architecture).merging(RecipeGrid.names.indices.map { (RecipeGrid.names[$0], recipes.axes[$0][index[$0]]) }) { a, _ in a }
  }

  /// Implements `ArchitectureSpace.architecture(from:)`.
  public func architecture(from parameters: [String: ParamValue]) throws -> Candidate {
    let index = try RecipeGrid.names.indices.map { k -> Int in
      guard let value = parameters[RecipeGrid.names[k]], let i = recipes.axes[k].firstIndex(of: value) else {
        throw NASError("recipe parameter \(RecipeGrid.names[k]) must be one of \(recipes.axes[k].map { "\($0)" }.joined(separator: ", "))")
      }
      return i
    }
    return Candidate(architecture: try space.architecture(from: parameters), recipe: recipes.recipe(index))
  }

  /// Implements `ArchitectureSpace.parse(_:)`: `architecture;lr=…,wd=…,epochs=…,ls=…`.
  public func parse(_ text: String) throws -> Candidate {
    guard let cut = text.lastIndex(of: ";") else { throw NASError("'\(text)' is not architecture;lr=…,wd=…,epochs=…,ls=…") }
    var fields: [String: String] = [:]
    for part in text[text.index(after: cut)...].split(separator: ",") {
      let pair = part.split(separator: "=", maxSplits: 1).map(String.init)
      if pair.count == 2 { fields[pair[0]] = pair[1] }
    }
    guard let lr = fields["lr"].flatMap(Double.init), let wd = fields["wd"].flatMap(Double.init),
          let epochs = fields["epochs"].flatMap(Int.init), let ls = fields["ls"].flatMap(Double.init) else {
      throw NASError("'\(text)': the recipe must be lr=…,wd=…,epochs=…,ls=…")
    }
    let recipe = TrainingRecipe(learningRate: lr, weightDecay: wd, epochs: epochs, labelSmoothing: ls)
    guard recipes.index(of: recipe) != nil else { throw NASError("'\(text)': the recipe \(recipe) is not in the grid") }
    return Candidate(architecture: try space.parse(String(text[..<cut])), recipe: recipe)
  }

  /// Implements `ArchitectureSpace.cost(of:)`: the architecture's.
  public func cost(of a: Candidate) -> ArchitectureCost { space.cost(of: a.architecture) }

  /// Implements `ArchitectureSpace.features(of:)`.
  public func features(of a: Candidate) -> [Double] {
    let r = a.recipe
    return space.features(of: a.architecture) + [log(r.learningRate), 1e3 * r.weightDecay, Double(r.epochs) / 10, 10 * r.labelSmoothing]
  }
}
