import HoneBayes

/// What a command knows when it builds a sampler: the seed and, when given up front, the
/// search space.
public struct SamplerContext: Sendable {
  /// The seed (nil: a random one).
  public var seed: UInt64?
  /// The search space, when the command has it before the first ask.
  public var space: ConditionalSpace?
  /// The surrogates the GP sampler's `surrogate` setting names (HoneBayes's alone unless the
  /// program adds HoneBayesNN's).
  public var surrogates: Catalog<SurrogateContext, any SurrogateFitter>

  /// A context with `seed`, `space` and `surrogates`.
  public init(seed: UInt64? = nil, space: ConditionalSpace? = nil,
              surrogates: Catalog<SurrogateContext, any SurrogateFitter> = BayesSurrogates.catalog) {
    self.seed = seed
    self.space = space
    self.surrogates = surrogates
  }

  /// The parameters that always exist (no "when" condition), when the space is known and has any.
  public var plainSpace: [String: Distribution]? {
    space.map(\.unconditionalDistributions).flatMap { $0.isEmpty ? nil : $0 }
  }

  /// `plainSpace`, or an error saying that sampler `name` needs one.
  public func requirePlainSpace(for name: String) throws -> [String: Distribution] {
    guard let plainSpace else {
      throw CatalogError.badValue("the \(name) sampler needs a search space (--space or --space-file; \"space\" in create_study)")
    }
    return plainSpace
  }
}

/// A row of the sampler catalog.
public typealias SamplerEntry = CatalogEntry<SamplerContext, any Sampler>

/// The samplers HoneTune defines, as catalog rows. CMA-ES and QMC work on the parameters that
/// always exist; the grid needs a space without conditions.
public enum TuneSamplers {
  /// The rows, in the order help texts list them.
  public static let entries: [SamplerEntry] = [
    SamplerEntry("auto", "Chooses per trial: GP while trials are few, then CMA-ES or TPE; TPE for conditional spaces, NSGA-II for several objectives (the default)") { context, _ in
      try AutoSampler(seed: context.seed)
    },
    SamplerEntry("tpe", "Tree-structured Parzen estimator, multivariate, with the constant liar") { context, _ in
      try TPESampler(seed: context.seed)
    },
    SamplerEntry("gp", "Gaussian-process Bayesian optimization", options: [
      CatalogOption("acquisition", default: AcquisitionKind.logEI.rawValue,
                    "The acquisition function: " + AcquisitionKind.allCases.map(\.rawValue).joined(separator: ", ")),
      CatalogOption("input-warping", default: "false", "Warp each numeric parameter by a fitted Kumaraswamy CDF (HEBO's input warping): true or false"),
      CatalogOption("ensemble", default: "false", "Pick from the Pareto front of log EI, log PI and UCB (HEBO's MACE): true or false"),
      CatalogOption("surrogate", default: "matern", "The model: matern, infinite-width, or a network (dkl, hmc, ensemble, laplace) where HoneBayesNN is linked"),
    ]) { context, settings in
      let name = settings.string("acquisition", default: AcquisitionKind.logEI.rawValue)
      guard let kind = AcquisitionKind(rawValue: name.lowercased()) else {
        throw CatalogError.badValue("unknown acquisition '\(name)'; use \(AcquisitionKind.allCases.map(\.rawValue).joined(separator: ", "))")
      }
      let surrogate = try context.surrogates.make(settings.string("surrogate", default: "matern"), SurrogateContext())
      do {
        return try GPSampler(seed: context.seed, acquisition: kind, inputWarping: settings.flag("input-warping"),
                             acquisitionEnsemble: settings.flag("ensemble"), surrogate: surrogate)
      } catch TuneError.invalidArgument(let message) { throw CatalogError.badValue(message) }
    },
    SamplerEntry("cmaes", "CMA-ES with margin, on the parameters that always exist") { context, _ in
      try CMAESSampler(seed: context.seed, searchSpace: context.plainSpace)
    },
    SamplerEntry("nsga2", "NSGA-II for several objectives") { context, _ in try NSGAIISampler(seed: context.seed) },
    SamplerEntry("bohb", "BOHB: TPE on the largest budget (reported step) with enough values; pair with the hyperband pruner", options: [
      CatalogOption("random-fraction", default: "0.333", "ρ, the share of trials drawn at random"),
      CatalogOption("min-points-in-model", "N_min, the values a budget needs before it is modelled (default: parameters + 1)"),
    ]) { context, settings in
      try BOHBSampler(seed: context.seed, randomFraction: settings.double("random-fraction", default: 1.0 / 3),
                      minPointsInModel: settings.int("min-points-in-model"))
    },
    SamplerEntry("dehb", "DEHB: differential evolution on the best trials of the largest budget with a full population; pair with the hyperband pruner",
                 options: [CatalogOption("population", default: "20", "The population size N (≥ 4)")]) { context, settings in
      try DEHBSampler(seed: context.seed, populationSize: try settings.int("population", default: 20))
    },
    SamplerEntry("random", "Independent uniform draws") { context, _ in RandomSampler(seed: context.seed) },
    SamplerEntry("qmc", "Scrambled Sobol' points") { context, _ in QMCSampler(seed: context.seed, searchSpace: context.plainSpace) },
    SamplerEntry("grid", "Every point of a grid of the space, in random order") { context, _ in
      guard let space = context.space else { throw CatalogError.badValue("the grid sampler needs a search space (--space or --space-file)") }
      guard !space.isConditional else { throw CatalogError.badValue("the grid sampler needs a search space without \"when\" conditions") }
      return try GridSampler(space: space.distributions, seed: context.seed)
    },
  ]
}
