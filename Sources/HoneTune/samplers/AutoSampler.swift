import HoneMath

/// Chooses a sampler for each trial from what the study holds, so that a user need not know
/// whether the problem wants a GP, TPE, CMA-ES or NSGA-II. CLI and server name `auto`, the
/// default of `hone tune`, `hone ask` and `hone serve`.
///
/// The rule follows OptunaHub's AutoSampler (Optuna team 2024) and Nevergrad's NGOpt
/// (Rapin & Teytaud 2018; Meunier et al. 2022, "Black-box optimization revisited"): a model
/// that is sample-efficient while evaluations are few, a cheaper search once they are many.
/// With n the complete trials (the asking one aside):
///
/// - a conditional space (two finished trials with different parameter names): TPE, which
///   models what each trial has;
/// - one objective, n < `gpTrialLimit`: the GP (`GPSampler`; categorical parameters through its
///   Hamming kernel, constraints through its feasibility models, running trials as fantasies);
/// - one objective, n ≥ `gpTrialLimit`: CMA-ES when every shared parameter is numeric and no
///   trial reports constraints — started at the best trial, with σ₀ the spread of the best
///   tenth of the trials in the unit cube (the idea of warm-starting CMA-ES, Nomura et al.
///   2021) — else TPE;
/// - several objectives: the GP (ParEGO) while n < `gpTrialLimit` with at most three
///   objectives, then NSGA-II (which takes the earlier trials as its first generation); TPE
///   (MOTPE) for four or more objectives.
///
/// The choice is a function of the stored trials only, so every process makes the same one;
/// it is stored with each trial (`auto:sampler`) and shown by `hone study show` and the report.
public struct AutoSampler: Sampler {
  /// The samplers it chooses between.
  public enum Choice: String, Codable, Sendable, CaseIterable {
    case gp, tpe, cmaes, nsga2
  }

  /// The seed of every sampler it delegates to.
  public let seed: UInt64
  /// Complete trials past which the GP gives way to CMA-ES, TPE or NSGA-II.
  public let gpTrialLimit: Int
  /// The trial state with the sampler chosen for the trial.
  public static let choiceState = StateKey<String>("auto", "sampler")
  let gp: GPSampler
  let tpe: TPESampler
  let nsga2: NSGAIISampler

  /// An automatic sampler; the GP serves up to `gpTrialLimit` complete trials (250, as
  /// OptunaHub's).
  public init(seed: UInt64? = nil, gpTrialLimit: Int = 250) throws {
    guard gpTrialLimit >= 0 else { throw TuneError.invalidArgument("the auto sampler needs gpTrialLimit ≥ 0, got \(gpTrialLimit)") }
    self.seed = seed ?? _randomSeed()
    self.gpTrialLimit = gpTrialLimit
    gp = try GPSampler(seed: self.seed)
    tpe = try TPESampler(seed: self.seed)
    nsga2 = try NSGAIISampler(seed: self.seed)
  }

  /// How many of `trials` each sampler served, in the order of `Choice` (none for a study
  /// the auto sampler never served).
  public static func choices(in trials: [FrozenTrial]) -> [(choice: String, trials: Int)] {
    var counts: [String: Int] = [:]
    for t in trials { if let c = t.state(choiceState) { counts[c, default: 0] += 1 } }
    let order = Choice.allCases.map(\.rawValue)
    return counts.sorted { (order.firstIndex(of: $0.key) ?? order.count, $0.key) < (order.firstIndex(of: $1.key) ?? order.count, $1.key) }
      .map { ($0.key, $0.value) }
  }

  /// `choices(in:)` as text: "gp 250 trials, cmaes 40 trials"; nil when there are none.
  public static func choiceSummary(of trials: [FrozenTrial]) -> String? {
    let counts = choices(in: trials)
    return counts.isEmpty ? nil : counts.map { "\($0.choice) \($0.trials) trials" }.joined(separator: ", ")
  }

  /// The sampler for `trial`, from the study's trials.
  public func choice(study: StudySnapshot, trial: FrozenTrial) throws -> Choice {
    let all = try study.allTrials()
    var complete = 0
    var names: Set<String>?
    var conditional = false
    var constrained = false
    for t in all where t.number != trial.number && (t.state == .complete || t.state == .pruned) {
      if t.state == .complete { complete += 1 }
      let keys = Set(t.params.keys)
      if let names, names != keys { conditional = true }
      names = names ?? keys
      if t.constraints != nil { constrained = true }
    }
    if conditional { return .tpe }
    let objectives = study.directions.count
    if objectives > 1 {
      if objectives > 3 { return .tpe }
      return complete < gpTrialLimit ? .gp : .nsga2
    }
    if complete < gpTrialLimit { return .gp }
    let space = SearchSpace.intersection(of: all, includes: { $0 == .complete })
    let numeric = space.values.allSatisfy { ParamTransform($0) != nil }
    return numeric && !constrained ? .cmaes : .tpe
  }

  /// Implements `Sampler.relativeSearchSpace`: the chosen sampler's, after storing the choice.
  public func relativeSearchSpace(study: StudySnapshot, trial: FrozenTrial) throws -> [String: Distribution] {
    let chosen = try choice(study: study, trial: trial)
    try study.setState(Self.choiceState, chosen.rawValue, of: trial)
    return try sampler(chosen, study, trial).relativeSearchSpace(study: study, trial: trial)
  }

  /// Implements `Sampler.sampleRelative`.
  public func sampleRelative(study: StudySnapshot, trial: FrozenTrial,
                             space: [String: Distribution]) throws -> [String: ParamValue] {
    try sampler(try choice(study: study, trial: trial), study, trial).sampleRelative(study: study, trial: trial, space: space)
  }

  /// Implements `Sampler.sampleIndependent`.
  public func sampleIndependent(study: StudySnapshot, trial: FrozenTrial, name: String,
                                distribution: Distribution) throws -> ParamValue {
    try sampler(try choice(study: study, trial: trial), study, trial)
      .sampleIndependent(study: study, trial: trial, name: name, distribution: distribution)
  }

  /// The sampler behind a choice.
  func sampler(_ choice: Choice, _ study: StudySnapshot, _ trial: FrozenTrial) throws -> any Sampler {
    switch choice {
    case .gp: return gp
    case .tpe: return tpe
    case .nsga2: return nsga2
    case .cmaes: return try warmStartedCMAES(study)
    }
  }

  /// CMA-ES started at the best complete trial, with σ₀ the root-mean-square distance of the
  /// best tenth of the complete trials from it in the unit cube (within [0.02, 1/6]). Once
  /// CMA-ES has stored its search, these only name the same start.
  func warmStartedCMAES(_ study: StudySnapshot) throws -> CMAESSampler {
    let complete = try study.completedTrials().filter { $0.values?.first?.isFinite == true }
    let direction = study.directions[0]
    let ranked = complete.sorted { direction.isBetter($0.values![0], than: $1.values![0]) }
    guard let best = ranked.first else { return try CMAESSampler(seed: seed) }
    let encoding = GPSpaceEncoding(SearchSpace.intersection(of: complete).filter { ParamTransform($0.value) != nil && !$0.value.isSingle })
    var sigma = 1.0 / 6
    if let center = encoding.encode(best), !center.isEmpty {
      let top = ranked.prefix(Swift.max(2, ranked.count / 10)).compactMap { encoding.encode($0) }
      let squares = top.map { x in zip(x, center).map { ($0 - $1) * ($0 - $1) }.reduce(0, +) / Double(x.count) }
      sigma = Swift.min(Swift.max((squares.reduce(0, +) / Double(Swift.max(top.count - 1, 1))).squareRoot(), 0.02), 1.0 / 6)
    }
    return try CMAESSampler(seed: seed, initialParams: best.params, sigma0: sigma)
  }
}
