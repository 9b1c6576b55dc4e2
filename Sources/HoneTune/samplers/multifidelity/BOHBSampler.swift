import HoneMath

/// BOHB's model (Falkner, Klein & Hutter 2018, "BOHB: Robust and Efficient Hyperparameter
/// Optimization at Scale", ICML): a multivariate Parzen-estimator model of the values at the
/// largest budget with enough observations, beside Hyperband. CLI name `bohb`; pair it with the
/// `hyperband` (or `asha`) pruner, which supplies the brackets, and report once per unit of
/// budget (epoch) through `Trial.report`.
///
/// For each trial: with probability `randomFraction` (ρ = 1/3 in the paper) the parameters are
/// drawn uniformly at random, which keeps BOHB's any-time guarantee of Hyperband with random
/// search. Otherwise `BudgetView` picks the largest budget b at which at least
/// `minPointsInModel` trials (d + 1 for d parameters when nil, the paper's N_min) have reported
/// a value, and TPE (`TPESampler`, multivariate, the constant liar for running trials) models
/// the values at b: the best ⌈15%⌉ against the rest (the paper's q = 0.15), 64 draws from l(x),
/// the one that maximizes l(x)/g(x) kept. Trials that report no intermediate values are
/// modelled on their final values, as TPE would.
///
/// Reproducible: the random-or-model draw of a trial is seeded by (seed, trial number), and the
/// model is TPE's, which keeps nothing between calls.
public struct BOHBSampler: Sampler {
  /// The seed.
  public let seed: UInt64
  /// The share of trials sampled at random (ρ).
  public let randomFraction: Double
  /// The observations a budget needs before it is modelled (nil: parameters + 1).
  public let minPointsInModel: Int?
  let model: TPESampler
  let fallback: RandomSampler

  /// BOHB with the paper's defaults: ρ = 1/3, N_min = d + 1, q = 0.15, 64 samples.
  public init(seed: UInt64? = nil, randomFraction: Double = 1.0 / 3, minPointsInModel: Int? = nil,
              topFraction: Double = 0.15, samples: Int = 64) throws {
    guard (0...1).contains(randomFraction) else { throw TuneError.invalidArgument("BOHB's random fraction must be in [0, 1], got \(randomFraction)") }
    guard topFraction > 0, topFraction < 1 else { throw TuneError.invalidArgument("BOHB's top fraction must be in (0, 1), got \(topFraction)") }
    if let minPointsInModel, minPointsInModel < 2 { throw TuneError.invalidArgument("BOHB needs minPointsInModel ≥ 2, got \(minPointsInModel)") }
    self.seed = seed ?? _randomSeed()
    self.randomFraction = randomFraction
    self.minPointsInModel = minPointsInModel
    model = try TPESampler(seed: self.seed, startupTrials: 0, eiCandidates: samples,
                           gamma: { n in Swift.max(1, Int((topFraction * Double(n)).rounded(.up))) })
    fallback = RandomSampler(seed: self.seed)
  }

  /// Implements `Sampler.checkDirections`: budgets rank one objective.
  public func checkDirections(_ directions: [StudyDirection]) throws {
    guard directions.count == 1 else { throw TuneError.unsupported("BOHB optimizes one objective; this study has \(directions.count) (use nsga2 or tpe)") }
  }

  /// Implements `Sampler.relativeSearchSpace`: TPE's, on the view at the chosen budget.
  public func relativeSearchSpace(study: StudySnapshot, trial: FrozenTrial) throws -> [String: Distribution] {
    try checkDirections(study.directions)
    guard let view = try modelView(study, trial) else { return [:] }
    return try model.relativeSearchSpace(study: view.study, trial: trial)
  }

  /// Implements `Sampler.sampleRelative`.
  public func sampleRelative(study: StudySnapshot, trial: FrozenTrial,
                             space: [String: Distribution]) throws -> [String: ParamValue] {
    guard let view = try modelView(study, trial) else { return [:] }
    return try model.sampleRelative(study: view.study, trial: trial, space: space)
  }

  /// Implements `Sampler.sampleIndependent`: univariate TPE on the same view, or at random.
  public func sampleIndependent(study: StudySnapshot, trial: FrozenTrial, name: String,
                                distribution: Distribution) throws -> ParamValue {
    guard let view = try modelView(study, trial) else {
      return try fallback.sampleIndependent(study: study, trial: trial, name: name, distribution: distribution)
    }
    return try model.sampleIndependent(study: view.study, trial: trial, name: name, distribution: distribution)
  }

  /// The view the model learns from, or nil when this trial is drawn at random (its share, or
  /// too few observations at every budget).
  func modelView(_ study: StudySnapshot, _ trial: FrozenTrial) throws -> BudgetView? {
    var rng = SeededRNG(seed: seed, stream: stableHash("bohb"), UInt64(trial.number))
    guard rng.nextDouble() >= randomFraction else { return nil }
    let minimum = { (d: Int) in minPointsInModel ?? (d + 1) }
    let view = try BudgetView(study, excluding: trial, minimumCount: minimum)
    var names = Set<String>()
    for t in view.ranked { names.formUnion(t.params.keys) }
    return view.ranked.count >= minimum(names.count) ? view : nil
  }
}
