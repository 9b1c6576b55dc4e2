import HoneMath

/// Quasi-Monte Carlo search: trial n takes point n of a scrambled Sobol sequence over the
/// search space, so the trials cover it far more evenly than random draws (Bergstra &
/// Bengio 2012 §5 on low-discrepancy sequences). CLI name `qmc`.
///
/// The space is the one given at construction, or else the parameters of the study's first
/// completed trial (sorted by name, one Sobol coordinate each; steps, ints and categoricals
/// take equal shares of each coordinate); parameters outside it are drawn at random. The
/// point index is the trial number, so separate processes agree without shared state.
public struct QMCSampler: Sampler {
  /// The seed of the scramble and of the random fallback.
  public let seed: UInt64
  /// Whether the Sobol points are scrambled (Owen 1998); unscrambled, trial 0 is the corner of all lows.
  public let scramble: Bool
  /// The space to cover, when fixed in advance.
  public let searchSpace: [String: Distribution]?
  private let fallback: RandomSampler

  /// A QMC sampler over `searchSpace` (or the first completed trial's space when nil).
  public init(seed: UInt64? = nil, scramble: Bool = true, searchSpace: [String: Distribution]? = nil) {
    self.seed = seed ?? _randomSeed()
    self.scramble = scramble
    self.searchSpace = searchSpace
    self.fallback = RandomSampler(seed: self.seed)
  }

  /// Implements `Sampler.relativeSearchSpace`.
  public func relativeSearchSpace(study: StudySnapshot, trial: FrozenTrial) throws -> [String: Distribution] {
    let space = try searchSpace ?? study.completedTrials().first?.distributions ?? [:]
    return space.filter { !$0.value.isSingle }
  }

  /// Implements `Sampler.sampleRelative`.
  public func sampleRelative(study: StudySnapshot, trial: FrozenTrial,
                             space: [String: Distribution]) throws -> [String: ParamValue] {
    guard !space.isEmpty else { return [:] }
    let names = space.keys.sorted()
    let sobol = try SobolSequence(dimension: names.count, scramble: scramble, seed: seed)
    let point = sobol.point(at: trial.number)
    var result: [String: ParamValue] = [:]
    for (name, u) in zip(names, point) { result[name] = space[name]!.value(atUnit: u) }
    return result
  }

  /// Implements `Sampler.sampleIndependent`.
  public func sampleIndependent(study: StudySnapshot, trial: FrozenTrial, name: String,
                                distribution: Distribution) throws -> ParamValue {
    try fallback.sampleIndependent(study: study, trial: trial, name: name, distribution: distribution)
  }
}
