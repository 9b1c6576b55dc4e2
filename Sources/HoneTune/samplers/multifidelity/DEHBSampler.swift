import HoneMath

/// Differential evolution over budgets, after DEHB (Awad, Mallik & Hutter 2021, "DEHB:
/// Evolutionary Hyperband for Scalable, Robust and Efficient Hyperparameter Optimization",
/// IJCAI). CLI name `dehb`; pair it with the `hyperband` (or `asha`) pruner, which decides how
/// far each trial runs, and report once per unit of budget (epoch) through `Trial.report`.
///
/// The parameters every finished trial shares are coded in the unit cube (numeric ones on
/// their log or linear range, a categorical one of k choices as the middle (i + ½)/k of its
/// share). The population is the best `populationSize` trials at the largest budget where that
/// many have reported a value (`BudgetView`), so the search moves to higher budgets as
/// trials are promoted. Until a budget has that many, trials are drawn at random. Member i is
/// the best trial at that budget numbered i mod N (DE's one-to-one selection: a child replaces
/// its target only when it is better, which keeps the population diverse). Each new trial is
/// a DE/rand/1/bin child: the target is member (trial number mod N); the
/// mutant v = x_r1 + F·(x_r2 − x_r3) of three other distinct members (F = 0.5); binomial
/// crossover takes each coordinate from v with probability CR = 0.5 (one coordinate always);
/// a coordinate outside [0, 1] is drawn again uniformly, as DEHB's "random" boundary fix; a
/// child that is a point already evaluated or running is drawn again (up to ten times).
/// Unlike DEHB's separate sub-populations per budget, one population is read from the largest
/// budget that fills it. Parameters outside the shared space are drawn at random.
///
/// Reproducible: each child is seeded by (seed, trial number) and nothing is kept between calls.
public struct DEHBSampler: Sampler {
  /// The seed.
  public let seed: UInt64
  /// N, the population size (≥ 4).
  public let populationSize: Int
  /// F, the mutation factor.
  public let mutationFactor: Double
  /// CR, the crossover probability.
  public let crossoverProbability: Double
  let fallback: RandomSampler

  /// DEHB with the paper's F = CR = 0.5 and a population of 20.
  public init(seed: UInt64? = nil, populationSize: Int = 20, mutationFactor: Double = 0.5,
              crossoverProbability: Double = 0.5) throws {
    guard populationSize >= 4 else { throw TuneError.invalidArgument("DEHB needs a population of at least 4, got \(populationSize)") }
    guard mutationFactor > 0, mutationFactor <= 2 else { throw TuneError.invalidArgument("DEHB's mutation factor must be in (0, 2], got \(mutationFactor)") }
    guard (0...1).contains(crossoverProbability) else { throw TuneError.invalidArgument("DEHB's crossover probability must be in [0, 1], got \(crossoverProbability)") }
    self.seed = seed ?? _randomSeed()
    self.populationSize = populationSize
    self.mutationFactor = mutationFactor
    self.crossoverProbability = crossoverProbability
    fallback = RandomSampler(seed: self.seed)
  }

  /// Implements `Sampler.checkDirections`: budgets rank one objective.
  public func checkDirections(_ directions: [StudyDirection]) throws {
    guard directions.count == 1 else { throw TuneError.unsupported("DEHB optimizes one objective; this study has \(directions.count) (use nsga2 or tpe)") }
  }

  /// Implements `Sampler.relativeSearchSpace`: the parameters every finished trial shares,
  /// except single-valued ones.
  public func relativeSearchSpace(study: StudySnapshot, trial: FrozenTrial) throws -> [String: Distribution] {
    try checkDirections(study.directions)
    return SearchSpace.intersection(of: try study.allTrials(), includes: { $0 == .complete || $0 == .pruned }).filter { !$0.value.isSingle }
  }

  /// Implements `Sampler.sampleRelative`: a DE child of the population at the chosen budget.
  public func sampleRelative(study: StudySnapshot, trial: FrozenTrial,
                             space: [String: Distribution]) throws -> [String: ParamValue] {
    guard !space.isEmpty else { return [:] }
    let view = try BudgetView(study, excluding: trial) { _ in populationSize }
    let encoding = GPSpaceEncoding(space)
    // Slot i holds the best trial numbered i mod N (DE's one-to-one selection: a child replaces
    // its target only when better); slots without one take the best trials left.
    var slots = [[Double]?](repeating: nil, count: populationSize)
    var spare: [[Double]] = []
    for t in view.ranked {
      guard let x = encoding.encode(t).map({ unit($0, encoding) }) else { continue }
      if slots[t.number % populationSize] == nil { slots[t.number % populationSize] = x } else { spare.append(x) }
    }
    for i in slots.indices where slots[i] == nil && !spare.isEmpty { slots[i] = spare.removeFirst() }
    guard slots.allSatisfy({ $0 != nil }) else { return [:] }
    let members = slots.map { $0! }
    var rng = SeededRNG(seed: seed, stream: stableHash("dehb"), UInt64(trial.number))
    let target = trial.number % populationSize
    // A child that decodes to a point already evaluated or running is drawn again (up to ten
    // times): on a small grid the population converges and would otherwise repeat itself.
    var seen = Set<[Double]>()
    for t in try study.allTrials() where t.number != trial.number && t.state != .waiting {
      if let x = encoding.encode(t) { seen.insert(encoding.round(x)) }
    }
    var child = members[target]
    for _ in 0..<10 {
      child = mutant(members, target: target, rng: &rng)
      if !seen.contains(encoding.round(internalCoordinates(child, encoding))) { break }
    }
    return encoding.decode(internalCoordinates(child, encoding))
  }

  /// DE/rand/1/bin: the target crossed with x_r1 + F·(x_r2 − x_r3) of three other members.
  func mutant(_ members: [[Double]], target: Int, rng: inout SeededRNG) -> [Double] {
    var others = Array(0..<populationSize).filter { $0 != target }
    for i in 0..<3 { others.swapAt(i, i + rng.nextInt(below: others.count - i)) }
    let (a, b, c) = (members[others[0]], members[others[1]], members[others[2]])
    let always = rng.nextInt(below: a.count)
    var child = members[target]
    for j in 0..<a.count where j == always || rng.nextDouble() < crossoverProbability {
      let v = a[j] + mutationFactor * (b[j] - c[j])
      child[j] = (0...1).contains(v) ? v : rng.nextDouble()
    }
    return child
  }

  /// Implements `Sampler.sampleIndependent`: uniform at random.
  public func sampleIndependent(study: StudySnapshot, trial: FrozenTrial, name: String,
                                distribution: Distribution) throws -> ParamValue {
    try fallback.sampleIndependent(study: study, trial: trial, name: name, distribution: distribution)
  }

  /// GP-encoding coordinates with categorical indices i moved to (i + ½)/k.
  func unit(_ x: [Double], _ encoding: GPSpaceEncoding) -> [Double] {
    x.indices.map { j in encoding.choices[j].map { (x[j] + 0.5) / Double($0) } ?? x[j] }
  }

  /// Unit coordinates back to GP-encoding ones: ⌊u·k⌋ for a categorical of k choices.
  func internalCoordinates(_ u: [Double], _ encoding: GPSpaceEncoding) -> [Double] {
    u.indices.map { j in encoding.choices[j].map { Double(Swift.min($0 - 1, Int(u[j] * Double($0)))) } ?? u[j] }
  }
}
