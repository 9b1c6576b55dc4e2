import Foundation
import HoneMath

/// The tree-structured Parzen estimator (Bergstra, Bardenet, Bengio & Kégl 2011,
/// "Algorithms for hyper-parameter optimization", NeurIPS), with Optuna's design choices
/// (Watanabe 2023, "Tree-structured Parzen estimator: understanding its algorithm
/// components and why it works"). CLI name `tpe`.
///
/// After `startupTrials` random trials, each suggestion splits the finished trials into the
/// best γ(n) ("below") and the rest ("above", see `TPESplit`), fits a Parzen estimator to
/// each — l(x) and g(x), see `ParzenEstimator` — draws `eiCandidates` points from l and
/// keeps the one that maximizes log l(x) − log g(x), which ranks points as expected
/// improvement does (Bergstra et al. 2011 §4.1).
///
/// - `multivariate` (default): the parameters every finished trial shares are modelled
///   jointly (Falkner, Klein & Hutter 2018, BOHB); otherwise each parameter on its own.
/// - `group`: the space is split into groups that always occur together, each modelled
///   jointly on the trials that have it — the way to handle conditional spaces.
/// - `constantLiar` (default): running trials count as bad ("above"), so concurrent
///   workers do not all propose the same point; their relative sample is stored on the
///   trial (`tpe:relative_params`) for that purpose.
/// - Several objectives: MOTPE (Ozaki et al. 2022); γ(n) = ⌈0.1·n⌉ and uniform weights below.
/// - Parameters outside the relative space are sampled by univariate TPE.
///
/// Reproducible: each suggestion's randomness is seeded by (seed, trial number, names), and
/// nothing is kept between calls, so any process given the same storage proposes the same.
/// Cost per suggestion O(candidates · n · d) for n trials of d parameters.
public struct TPESampler: Sampler {
  /// The seed of every suggestion's stream.
  public let seed: UInt64
  /// Finished trials sampled at random before the model is used.
  public let startupTrials: Int
  /// Points drawn from l(x) per suggestion.
  public let eiCandidates: Int
  /// Kernel weight of the prior (the wide kernel at the middle of each range).
  public let priorWeight: Double
  /// Bounds bandwidths from below by range / min(100, n + 2) (Bergstra et al. 2011).
  public let magicClip: Bool
  /// Models the shared parameters jointly.
  public let multivariate: Bool
  /// Models groups of parameters that occur together jointly.
  public let group: Bool
  /// Counts running trials as bad.
  public let constantLiar: Bool
  /// The number of good trials among n; nil for `defaultGamma` (one objective) or
  /// `defaultMultiObjectiveGamma` (several).
  public let gamma: (@Sendable (Int) -> Int)?
  /// The weights of n observations in number order (oldest first).
  public let weights: @Sendable (Int) -> [Double]
  private let fallback: RandomSampler

  /// The system attribute that holds a trial's relative sample, for the constant liar.
  public static var relativeParamsKey: String { relativeState.key }
  /// The trial state with the part of a running trial's relative sample that its ask did not
  /// suggest (define-by-run), which other workers' constant liar reads.
  public static let relativeState = StateKey<[String: JSONValue]>("tpe", "relative_params")
  /// Dimensions × observations from which the two estimators are built on two threads.
  static let parallelWork = 100_000

  /// A TPE sampler with Optuna's defaults; throws on counts below 1 or a negative prior weight.
  public init(seed: UInt64? = nil, startupTrials: Int = 10, eiCandidates: Int = 24, priorWeight: Double = 1,
              magicClip: Bool = true, multivariate: Bool = true, group: Bool = false, constantLiar: Bool = true,
              gamma: (@Sendable (Int) -> Int)? = nil, weights: @escaping @Sendable (Int) -> [Double] = TPESampler.defaultWeights) throws {
    guard startupTrials >= 0, eiCandidates >= 1 else {
      throw TuneError.invalidArgument("TPE needs startupTrials >= 0 and eiCandidates >= 1, got \(startupTrials) and \(eiCandidates)")
    }
    guard priorWeight >= 0, priorWeight.isFinite else { throw TuneError.invalidArgument("TPE's prior weight must be >= 0, got \(priorWeight)") }
    self.seed = seed ?? _randomSeed()
    self.startupTrials = startupTrials
    self.eiCandidates = eiCandidates
    self.priorWeight = priorWeight
    self.magicClip = magicClip
    self.multivariate = multivariate || group
    self.group = group
    self.constantLiar = constantLiar
    self.gamma = gamma
    self.weights = weights
    self.fallback = RandomSampler(seed: self.seed)
  }

  /// γ(n) = min(⌈0.1·n⌉, 25), Optuna's default for one objective.
  @Sendable public static func defaultGamma(_ n: Int) -> Int { min((n + 9) / 10, 25) }

  /// γ(n) = ⌈0.1·n⌉, Optuna's default for several objectives.
  @Sendable public static func defaultMultiObjectiveGamma(_ n: Int) -> Int { (n + 9) / 10 }

  /// Ones for fewer than 25 observations; otherwise a ramp from 1/n to 1 over the oldest
  /// n − 25 and ones for the newest 25 (Bergstra et al. 2011's forgetting of old trials).
  @Sendable public static func defaultWeights(_ n: Int) -> [Double] {
    guard n >= 25 else { return [Double](repeating: 1, count: n) }
    let rampCount = n - 25
    let ramp = (0..<rampCount).map { rampCount == 1 ? 1 / Double(n) : 1 / Double(n) + (1 - 1 / Double(n)) * Double($0) / Double(rampCount - 1) }
    return ramp + [Double](repeating: 1, count: 25)
  }

  /// Implements `Sampler.relativeSearchSpace`: the shared (or grouped) parameters of the
  /// finished trials, when multivariate.
  public func relativeSearchSpace(study: StudySnapshot, trial: FrozenTrial) throws -> [String: Distribution] {
    guard multivariate else { return [:] }
    let all = try study.allTrials()
    guard pastStartup(all) else { return [:] }
    if group { return SearchSpace.groups(of: all.filter { Self.isFinished($0.state) }).reduce(into: [:]) { $0.merge($1) { a, _ in a } } }
    return SearchSpace.intersection(of: all, includes: Self.isFinished)
  }

  /// Complete or pruned: the trials the model learns from.
  private static func isFinished(_ state: TrialState) -> Bool { state == .complete || state == .pruned }

  /// Whether `startupTrials` trials are finished, so the model takes over from random draws.
  private func pastStartup(_ all: [FrozenTrial]) -> Bool {
    all.indices.reduce(0) { $0 + (Self.isFinished(all[$1].state) ? 1 : 0) } >= startupTrials
  }

  /// Implements `Sampler.sampleRelative`.
  public func sampleRelative(study: StudySnapshot, trial: FrozenTrial,
                             space: [String: Distribution]) throws -> [String: ParamValue] {
    guard !space.isEmpty else { return [:] }
    var result: [String: ParamValue] = [:]
    if group {
      for part in SearchSpace.groups(of: try study.allTrials().filter { Self.isFinished($0.state) }) {
        let restricted = part.filter { space[$0.key] == $0.value }
        if !restricted.isEmpty { result.merge(try sample(restricted, study: study, trial: trial)) { a, _ in a } }
      }
    } else {
      result = try sample(space, study: study, trial: trial)
    }
    // The constant liar needs the values that stay unsuggested after the ask returns.
    if constantLiar {
      let pending = result.filter { !study.suggestedInAsk.contains($0.key) }
      if !pending.isEmpty { try study.setState(Self.relativeState, pending.mapValues(\.json), of: trial) }
    }
    return result
  }

  /// Implements `Sampler.sampleIndependent`: random during start-up, then univariate TPE.
  public func sampleIndependent(study: StudySnapshot, trial: FrozenTrial, name: String,
                                distribution: Distribution) throws -> ParamValue {
    guard pastStartup(try study.allTrials()) else {
      return try fallback.sampleIndependent(study: study, trial: trial, name: name, distribution: distribution)
    }
    return try sample([name: distribution], study: study, trial: trial)[name]!
  }

  /// One TPE step over `space`.
  private func sample(_ space: [String: Distribution], study: StudySnapshot, trial: FrozenTrial) throws -> [String: ParamValue] {
    let names = space.keys.sorted()
    let distributions = names.map { space[$0]! }
    let transforms = distributions.map { ParamTransform($0) }
    let dimensions: [ParzenEstimator.Dimension] = names.indices.map { j in
      transforms[j].map { .numeric($0) } ?? .categorical(count: space[names[j]]!.valueCount!)
    }
    let all = try study.allTrials()
    let considered = all.indices.map { i in
      all[i].number != trial.number && (Self.isFinished(all[i].state) || (constantLiar && all[i].state == .running))
    }
    let finishedCount = all.indices.reduce(0) { $0 + (considered[$1] && all[$1].state != .running ? 1 : 0) }
    let multiObjective = study.directions.count > 1
    let count = (gamma ?? (multiObjective ? Self.defaultMultiObjectiveGamma : Self.defaultGamma))(finishedCount)
    let (below, above) = TPESplit.split(all, considered: { considered[$0] }, directions: study.directions, below: count)

    let reader = ParameterReader(names: names, distributions: distributions)
    let logScale = transforms.map { $0?.isLog ?? false }
    /// The observations of the trials at `indices` that have every parameter, one column per parameter.
    func columns(_ indices: [Int]) -> [[Double]] {
      var columns = [[Double]](repeating: [], count: names.count)
      for j in names.indices { columns[j].reserveCapacity(indices.count) }
      var row = [Double](repeating: 0, count: names.count)
      trials: for i in indices {
        if all[i].state == .running {
          // The constant liar: a running trial's relative sample stands in for what it lacks.
          let relative = all[i].state(Self.relativeState)
          for (j, name) in names.enumerated() {
            guard let value = all[i].params[name] ?? relative?[name].flatMap(ParamValue.init(json:)),
                  let x = try? distributions[j].internalValue(of: value) else { continue trials }
            row[j] = x
          }
        } else if !reader.read(all[i], into: &row) {
          continue trials
        }
        for j in names.indices { columns[j].append(logScale[j] ? log(row[j]) : row[j]) }
      }
      return columns
    }
    let good = columns(below), bad = columns(above)
    let goodCount = good.first?.count ?? 0, badCount = bad.first?.count ?? 0
    // Wide models (many dimensions × observations) build each estimator by dimension and
    // score by candidate on all cores. (Not l beside g: g has many more kernels, and a
    // parallel loop nested in another runs serially.)
    let wide = names.count * (goodCount + badCount) >= Self.parallelWork
    let l = ParzenEstimator(columns: good, dimensions: dimensions,
                            weights: multiObjective ? [Double](repeating: 1, count: goodCount) : weights(goodCount),
                            priorWeight: priorWeight, magicClip: magicClip)
    let g = ParzenEstimator(columns: bad, dimensions: dimensions, weights: weights(badCount), priorWeight: priorWeight,
                            magicClip: magicClip, sampled: false)
    var rng = SeededRNG(seed: seed, stream: UInt64(trial.number), stableHash(names.joined(separator: "\u{1F}")))
    let candidates = l.sample(count: eiCandidates, rng: &rng, parallel: wide)
    // Scored by candidate, not by estimator: g has many more kernels than l, so splitting the
    // candidates keeps both threads busy.
    let scores = parallelMap(candidates.count, parallel: wide) { i in
      l.logDensity([candidates[i]])[0] - g.logDensity([candidates[i]])[0]
    }
    var best = 0
    for i in scores.indices where scores[i] > scores[best] { best = i }
    var result: [String: ParamValue] = [:]
    result.reserveCapacity(names.count)
    for (j, name) in names.enumerated() {
      let x = candidates[best][j]
      result[name] = transforms[j]?.decode(x) ?? distributions[j].value(fromInternal: x)
    }
    return result
  }
}
