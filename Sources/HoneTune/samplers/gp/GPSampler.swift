import Foundation
import HoneBayes
import HoneMath

/// Bayesian optimization with a Gaussian process (Frazier 2018, "A Tutorial on Bayesian
/// Optimization"; the engineering after BoTorch and Optuna's GPSampler).
///
/// For each trial after `startupTrials` random ones: the parameters shared by all complete
/// trials are mapped to the unit cube (`GPSpaceEncoding`); a `GaussianProcess` (Matérn-5/2
/// ARD, MAP hyperparameters warm-started from the last fit, which is stored with the trial
/// as `gp:hyperparameters`) models the score — the objective (negated when minimized), or for
/// several objectives a ParEGO scalarization (Knowles 2006): the losses normalized to [0, 1]
/// over the complete trials and combined as −(maxᵢ λᵢf̃ᵢ + 0.05·Σᵢ λᵢf̃ᵢ) with weights λ drawn
/// from the simplex for each trial — warped by a fitted Yeo–Johnson power transform
/// (`outputWarping`) when no trial reports constraints. Pruned trials count with their last reported value (a
/// pessimistic stand-in for the final one, never the incumbent), so the search does not return
/// to them; no complete or pruned trial's point is suggested again. Trials with constraints (`Trial.setConstraints`, feasible
/// when all ≤ 0) get one GP per constraint and the acquisition adds the log probability of
/// feasibility. Running trials enter as Kriging-believer fantasies (their posterior mean
/// taken as observed, hyperparameters fixed), so parallel workers get distinct points. The
/// `acquisition` (log EI by default) is maximized by `AcquisitionOptimizer`, which never
/// returns an evaluated or running point while others remain.
///
/// The model need not be the Matérn GP: `surrogate` takes any HoneBayes `SurrogateFitter` —
/// the infinite-width network, or HoneBayesNN's deep kernel, HMC, ensemble and Laplace
/// networks (Li, Rudner & Wilson 2024) — and the acquisitions read it through `Surrogate`.
///
/// Parameters outside the shared space (conditional ones) are sampled independently at
/// random, as Optuna's GPSampler does.
public struct GPSampler: Sampler {
  /// The seed: the same seed and trials give the same suggestions.
  public let seed: UInt64
  /// The acquisition function.
  public let acquisition: AcquisitionKind
  /// Random trials before the model is used.
  public let startupTrials: Int
  /// How the acquisition is maximized.
  public let optimizer: AcquisitionOptimizer
  /// Fix the noise at its floor (10⁻⁸) when repeated evaluations give the same value
  /// (Optuna's `deterministic_objective`); otherwise it is fitted.
  public let deterministicObjective: Bool
  /// L-BFGS iterations of a warm-started hyperparameter fit up to 200 trials (fewer past
  /// that, at least 2; a cold fit runs 60).
  public let warmFitIterations: Int
  /// Warp the scores with a fitted Yeo–Johnson power transform before the GP sees them
  /// (`YeoJohnsonTransform`, as HEBO does; on by default), which draws in the long tails of
  /// objectives whose values span orders of magnitude. On the benchmark functions
  /// (BENCHMARKS.md) it cut the median regret on Rosenbrock in 5, 10 and 20 dimensions by
  /// 4–9×, and raised the cells no worse than Optuna's GPSampler from 7 to 12 of 15. Not
  /// applied once trials report constraints: stretching the objective's best values reweights
  /// them against the probability of feasibility in constrained EI, and on a disc-constrained
  /// test problem most late suggestions then fell outside the feasible set.
  public let outputWarping: Bool
  /// Warp each numeric coordinate by a Kumaraswamy CDF chosen by marginal likelihood
  /// (`KumaraswamyWarping`, as HEBO does).
  public let inputWarping: Bool
  /// Choose among the local optima of log EI, log PI and UCB a random point of their Pareto
  /// front, HEBO's MACE (multi-objective acquisition ensemble; Cowen-Rivers et al. 2022), in
  /// place of log EI's maximum; it hedges between the three when they disagree.
  public let acquisitionEnsemble: Bool
  /// Observations past which the GP is fitted to a subset of `exactTrialLimit` of them
  /// (`trainingSubset`): an exact GP costs O(n³) per fit, and the subset bounds a suggestion's
  /// time however large the study grows.
  public let exactTrialLimit: Int
  /// The model of the score: the Matérn GP by default, or any `SurrogateFitter` (the
  /// infinite-width network here, HoneBayesNN's networks) — Li, Rudner & Wilson 2024. A
  /// surrogate other than the Matérn GP is fitted with a seed drawn from the sampler's seed and
  /// the number of observations, so the same data give the same model in every process, and the
  /// last fit is kept in memory: the asks of a batch (the same data, different fantasies) fit
  /// once.
  public let surrogate: any SurrogateFitter
  let fitted = FittedSurrogateCache()
  /// The system attribute holding the fitted θ of the trial it was fitted for.
  public static var hyperparametersKey: String { fitState.key }
  /// The trial state holding the fit of `surrogate`: `fitState` for the Matérn GP,
  /// `gp:<name>-hyperparameters` for another.
  public var surrogateFitState: StateKey<Fit> {
    surrogate is MaternSurrogate ? Self.fitState : StateKey<Fit>("gp", "\(surrogate.name)-hyperparameters")
  }
  /// The fitted hyperparameters θ of the model, with the signature of their space (the
  /// parameter names), stored with each trial so that the next fit starts from them.
  public struct Fit: Codable, Sendable, Equatable {
    /// The parameter names, joined by commas.
    public var space: String
    /// θ as `GPHyperparameters.vector`.
    public var theta: [Double]
  }
  /// The trial state that holds the fit.
  public static let fitState = StateKey<Fit>("gp", "hyperparameters")
  let fallback: RandomSampler

  /// A GP sampler; `startupTrials` random trials first (Optuna's default 10).
  public init(seed: UInt64? = nil, acquisition: AcquisitionKind = .logEI, startupTrials: Int = 10,
              optimizer: AcquisitionOptimizer = AcquisitionOptimizer(), warmFitIterations: Int = 8,
              deterministicObjective: Bool = false, outputWarping: Bool = true, inputWarping: Bool = false,
              acquisitionEnsemble: Bool = false, exactTrialLimit: Int = 500,
              surrogate: any SurrogateFitter = MaternSurrogate()) throws {
    guard acquisition != .knowledgeGradient || surrogate.supportsKnowledgeGradient else {
      throw TuneError.invalidArgument("the knowledge gradient needs the matern surrogate, not \(surrogate.name)")
    }
    guard exactTrialLimit >= 10 else { throw TuneError.invalidArgument("the GP sampler needs exactTrialLimit ≥ 10, got \(exactTrialLimit)") }
    guard startupTrials >= 1 else { throw TuneError.invalidArgument("the GP sampler needs startupTrials ≥ 1, got \(startupTrials)") }
    self.seed = seed ?? _randomSeed()
    self.acquisition = acquisition
    self.startupTrials = startupTrials
    self.optimizer = optimizer
    self.warmFitIterations = warmFitIterations
    self.deterministicObjective = deterministicObjective
    self.outputWarping = outputWarping
    self.inputWarping = inputWarping
    self.acquisitionEnsemble = acquisitionEnsemble
    self.exactTrialLimit = exactTrialLimit
    self.surrogate = surrogate
    fallback = RandomSampler(seed: self.seed)
  }

  /// Implements `Sampler.relativeSearchSpace`: the parameters of every complete trial, except
  /// single-valued ones.
  public func relativeSearchSpace(study: StudySnapshot, trial: FrozenTrial) throws -> [String: Distribution] {
    SearchSpace.intersection(of: try study.completedTrials()).filter { !$0.value.isSingle }
  }

  /// Implements `Sampler.sampleRelative`.
  public func sampleRelative(study: StudySnapshot, trial: FrozenTrial,
                             space: [String: Distribution]) throws -> [String: ParamValue] {
    guard !space.isEmpty else { return [:] }
    let all = try study.allTrials()
    let encoding = GPSpaceEncoding(space)
    // Pruned trials enter with their last reported value: a pessimistic stand-in for the final
    // value they were stopped before reaching, which keeps the search away from them.
    let observed = all.filter { ($0.state == .complete || $0.state == .pruned) && $0.values?.count == study.directions.count }
    guard observed.count >= startupTrials else { return [:] }
    var inputs: [Double] = []
    var done: [FrozenTrial] = []
    for t in observed { if let x = encoding.encode(t) { inputs += x; done.append(t) } }
    guard !done.isEmpty else { return [:] }
    let d = encoding.names.count
    let categorical = encoding.choices.map { $0 != nil }
    var rng = SeededRNG(seed: seed, stream: stableHash("gp"), UInt64(trial.number))
    var scores = Self.scores(done, directions: study.directions, rng: &rng)
    // Every evaluated point stays excluded from the suggestions, even outside the model's subset.
    var exclude = Set<[Double]>()
    for t in done { exclude.insert(encoding.round(encoding.encode(t)!)) }
    if outputWarping && done.allSatisfy({ $0.constraints == nil }) {
      let warp = YeoJohnsonTransform(fitting: scores)
      scores = scores.map { warp($0) }
    }
    // Past the limit the model sees a subset, standardized as the whole history is: its prior
    // mean, where it has no data, is then the mean of every observation, not of the (mostly
    // good) points kept, which would send the search to unexplored corners.
    var standardization: (mean: Double, scale: Double)?
    var box: [ClosedRange<Double>]?
    if done.count > exactTrialLimit {
      standardization = SurrogateData.standardization(of: scores)
      let nearest = Self.nearestFirst(to: scores.indices.max { scores[$0] < scores[$1] }!, inputs: inputs, dimensions: d)
      let keep = Self.trainingSubset(scores: scores, nearestFirst: nearest, limit: exactTrialLimit)
      box = Self.trustRegion(around: nearest.prefix(exactTrialLimit * 7 / 10), inputs: inputs, dimensions: d)
      done = keep.map { done[$0] }
      scores = keep.map { scores[$0] }
      inputs = keep.flatMap { inputs[($0 * d)..<(($0 + 1) * d)] }
    }
    let constraintValues = done.map(\.constraints)
    // Warm start from the newest stored fit of the same space (θ is stored with the names).
    let signature = encoding.names.joined(separator: ",")
    let stateKey = surrogateFitState
    let previous = all.reversed().lazy.compactMap { t -> [Double]? in
      guard let fit = t.state(stateKey), fit.space == signature else { return nil }
      return fit.theta
    }.first
    // A warm fit continues the previous one for a few iterations; their number shrinks as
    // (200/n)² past 200 trials, since each costs O(n³), so the fit keeps improving across trials.
    let n = Double(done.count)
    let warmIterations = Swift.max(2, Int((Double(warmFitIterations) * Swift.min(1, (200 / n) * (200 / n))).rounded()))
    // With input warping the model, the acquisition and its search live in the warped cube.
    let warping = inputWarping
      ? KumaraswamyWarping.fit(inputs: inputs, scores: scores, dimensions: d, categorical: categorical,
                               hyperparameters: previous.flatMap { $0.count == d + 2 ? GPHyperparameters(vector: $0) : nil },
                               standardization: standardization)
      : nil
    if let warping {
      inputs = warping.warpRows(inputs)
      exclude = Set(exclude.map(warping.warp))
      box = box.map { sides in sides.indices.map { j in
        guard let shape = warping.shapes[j] else { return sides[j] }
        return KumaraswamyWarping.warp(sides[j].lowerBound, shape)...KumaraswamyWarping.warp(sides[j].upperBound, shape)
      } }
    }
    let data = SurrogateData(inputs: inputs, outputs: scores, dimensions: d, choices: encoding.choices,
                             standardization: standardization, deterministic: deterministicObjective)
    var model = try fitted.model(surrogate, data: data, initial: previous, warmIterations: warmIterations,
                                 seed: SplitMix64.mix(seed ^ UInt64(done.count)))
    let theta = model.hyperparameterVector
    if !theta.isEmpty && theta.allSatisfy(\.isFinite) {
      try study.setState(stateKey, Fit(space: signature, theta: theta), of: trial)
    }
    // One model per constraint, on the trials that report it (non-finite values clipped to ±1e12).
    var constraints: [(model: any Surrogate, threshold: Double)] = []
    for k in 0..<(constraintValues.map { $0?.count ?? 0 }.max() ?? 0) {
      let rows = done.indices.filter { (constraintValues[$0]?.count ?? 0) > k }
      let values = rows.map { r -> Double in
        let v = constraintValues[r]![k]
        return v.isNaN ? 1e12 : Swift.min(Swift.max(v, -1e12), 1e12)
      }
      let c = try GaussianProcess(inputs: rows.flatMap { inputs[($0 * d)..<(($0 + 1) * d)] }, outputs: values, dimensions: d,
                                  categorical: categorical)
      constraints.append((c, (0 - c.outputMean) / c.outputScale))
    }
    // The incumbent is the best complete feasible trial: a pruned trial's stand-in value is no result.
    let feasible = done.indices.filter { done[$0].isFeasible && done[$0].state == .complete }
    var incumbent = feasible.map { model.targets[$0] }.max()
    // Running trials as Kriging-believer fantasies.
    let running = all.filter { $0.state == .running && $0.id != trial.id }.compactMap { encoding.encode($0) }
    if !running.isEmpty {
      let pending = running.flatMap { warping?.warp($0) ?? $0 }
      let believed = model.posterior(at: pending).mean
      model = try model.conditionedOnObservations(inputs: pending, outputs: believed)
      // The believed values count as observations (Ginsbourger, Le Riche & Carraro 2010), in
      // the incumbent too: otherwise a point the model rates far above the best stays as
      // attractive after its fantasy (EI → μ − best as σ → 0) and a batch piles onto it.
      if constraints.isEmpty, let high = believed.max(), let best = incumbent { incumbent = Swift.max(best, high) }
      for x in running { exclude.insert(warping?.warp(encoding.round(x)) ?? encoding.round(x)) }
    }
    var gridRNG = SeededRNG(seed: seed, stream: stableHash("gp-grid"), UInt64(trial.number))
    // Random points where MES fits the distribution of the maximum and KG looks ahead.
    let gridSize = acquisition == .maxValueEntropy ? 256 : acquisition == .knowledgeGradient ? 64 : 0
    let grid = (0..<(gridSize * d)).map { j in encoding.choices[j % d].map { Double(gridRNG.nextInt(below: $0)) } ?? gridRNG.nextDouble() }
    let function = Acquisition(acquisition, model: model, bestObserved: incumbent, constraints: constraints, grid: grid,
                               incumbents: feasible)
    // Local searches also start from the three best feasible evaluated points.
    let ranked = feasible.sorted { model.targets[$0] > model.targets[$1] }.prefix(3)
    let warmStarts = ranked.map { Array(inputs[($0 * d)..<(($0 + 1) * d)]) }
    let round: ([Double]) -> [Double] = { z in
      guard let warping else { return encoding.round(z) }
      return warping.warp(encoding.round(warping.unwarp(z)))
    }
    let searchSeed = SplitMix64.mix(seed ^ UInt64(trial.number))
    var x = optimizer.maximize(function, choices: encoding.choices, seed: searchSeed,
                               round: round, exclude: exclude, warmStarts: warmStarts, box: box)
    if acquisitionEnsemble {
      let members = [AcquisitionKind.logEI, .logPI, .ucb].map {
        Acquisition($0, model: model, bestObserved: incumbent, constraints: constraints, grid: [], incumbents: feasible)
      }
      var candidates = [x]
      var seen: Set<[Double]> = [x]
      for member in members {
        for c in optimizer.localOptima(member, choices: encoding.choices, seed: searchSeed, warmStarts: warmStarts, box: box) {
          let r = round(c)
          if !exclude.contains(r) && seen.insert(r).inserted { candidates.append(r) }
        }
      }
      let front = paretoFrontIndices(candidates.map { c in members.map { -$0.value(at: c) } })
      var pick = SeededRNG(seed: seed, stream: stableHash("gp-mace"), UInt64(trial.number))
      if !front.isEmpty { x = candidates[front[pick.nextInt(below: front.count)]] }
    }
    return encoding.decode(warping?.unwarp(x) ?? x)
  }

  /// Implements `Sampler.sampleIndependent`: uniform at random.
  public func sampleIndependent(study: StudySnapshot, trial: FrozenTrial, name: String,
                                distribution: Distribution) throws -> ParamValue {
    try fallback.sampleIndependent(study: study, trial: trial, name: name, distribution: distribution)
  }

  /// Every point's index (`inputs`, n × d in the unit cube), nearest the point at `best` first
  /// (squared Euclidean distance; ties by index) — the order both `trainingSubset` and
  /// `trustRegion` read.
  static func nearestFirst(to best: Int, inputs: [Double], dimensions d: Int) -> [Int] {
    let distances = (0..<(inputs.count / d)).map { i in
      var sum = 0.0
      for j in 0..<d { let t = inputs[i * d + j] - inputs[best * d + j]; sum += t * t }
      return sum
    }
    return distances.indices.sorted { distances[$0] < distances[$1] || (distances[$0] == distances[$1] && $0 < $1) }
  }

  /// The trials a GP past `exactTrialLimit` observations is fitted to: the best tenth of `limit`
  /// by score, and the rest of `limit` nearest the best point (`nearestFirst`) — a local model,
  /// as TuRBO's (Eriksson et al. 2019), whose acquisition is then maximized in `trustRegion`
  /// (subset-of-data regression: Rasmussen & Williams 2006, §8.3.1).
  /// On 5-D Rosenbrock, Levy and Ackley at 300 trials with a limit of 150 (5 seeds) this
  /// measured median regrets 1.49, 0.18 and 2.44, against the exact GP's 0.13, 0.046 and 2.52;
  /// without the box 4.5, 0.15 and 2.45; with 60% nearest and 30% at random, 3.5, 0.19 and 2.4
  /// (BENCHMARKS.md). Indices in increasing order.
  static func trainingSubset(scores: [Double], nearestFirst nearest: [Int], limit: Int) -> [Int] {
    let ranked = scores.indices.sorted { scores[$0] > scores[$1] || (scores[$0] == scores[$1] && $0 < $1) }
    let best = Set(ranked.prefix(limit / 10))
    return (Array(best) + nearest.lazy.filter { !best.contains($0) }.prefix(limit - best.count)).sorted()
  }

  /// The box the acquisition is maximized in when the model is a subset: each side the range
  /// of the `nearest` points (the best one among them) in `inputs` (n × d), widened by a
  /// tenth — TuRBO's trust region (Eriksson et al. 2019), where a local model is reliable.
  static func trustRegion(around nearest: ArraySlice<Int>, inputs: [Double], dimensions d: Int) -> [ClosedRange<Double>] {
    (0..<d).map { j in
      let values = nearest.map { inputs[$0 * d + j] }
      let low = values.min()!, high = values.max()!
      let margin = 0.1 * (high - low)
      return Swift.max(0, low - margin)...Swift.min(1, high + margin)
    }
  }

  /// The scores to maximize: ±value for one objective; for several, the ParEGO scalarization
  /// with weights from `rng`.
  static func scores(_ trials: [FrozenTrial], directions: [StudyDirection], rng: inout SeededRNG) -> [Double] {
    let losses = trials.map { $0.losses(directions) }
    if directions.count == 1 { return losses.map { -$0[0] } }
    let m = directions.count
    let low = (0..<m).map { i in losses.map { $0[i] }.min()! }
    let high = (0..<m).map { i in losses.map { $0[i] }.max()! }
    var weights = (0..<m).map { _ in -Foundation.log(Swift.max(rng.nextDouble(), 1e-300)) }
    let total = weights.reduce(0, +)
    weights = weights.map { $0 / total }
    return losses.map { loss in
      var worst = -Double.infinity, sum = 0.0
      for i in 0..<m {
        let normalized = high[i] > low[i] ? (loss[i] - low[i]) / (high[i] - low[i]) : 0
        worst = Swift.max(worst, weights[i] * normalized)
        sum += weights[i] * normalized
      }
      return -(worst + 0.05 * sum)
    }
  }
}
