/// A running trial, handed to the objective: define-by-run suggestions, intermediate
/// reports and pruning decisions (Akiba et al. 2019, "Optuna").
///
/// Suggesting a name twice returns the first value (asking with another distribution is an
/// error), and parameters may depend on earlier ones, so conditional spaces work. Values
/// come, in this order, from an enqueued trial's fixed parameters, from the sampler's
/// relative sample, or from the sampler's independent draw; each is stored at once.
public final class Trial: Sendable {
  /// The trial's number within its study.
  public let number: Int
  /// The storage id.
  public let id: Int
  /// The study the trial belongs to.
  public let study: Study
  private let relativeParams: [String: ParamValue]
  private let fixedParams: [String: ParamValue]
  private let local: Locked<FrozenTrial>
  /// The study as the sampler sees it for this trial's draws: read at most once per trial,
  /// however many parameters are suggested.
  private let view: StudySnapshot

  init(study: Study, frozen: FrozenTrial, relativeParams: [String: ParamValue], snapshot: StudySnapshot? = nil) {
    self.number = frozen.number
    self.id = frozen.id
    self.study = study
    self.relativeParams = relativeParams
    self.fixedParams = Self.fixedParams(of: frozen)
    self.local = Locked(frozen)
    self.view = snapshot ?? study.snapshot()
  }

  /// The parameters an enqueued trial fixed in advance (`Study.enqueueTrial`).
  static func fixedParams(of trial: FrozenTrial) -> [String: ParamValue] {
    var fixed: [String: ParamValue] = [:]
    for (name, value) in trial.systemAttrs["fixed_params"]?.objectValue ?? [:] { fixed[name] = ParamValue(json: value) }
    return fixed
  }

  /// The parameters suggested so far.
  public var params: [String: ParamValue] { local.current.params }

  /// The trial as suggested and reported so far.
  public var snapshot: FrozenTrial { local.current }

  /// A float in `range`: uniform, log-uniform with `log`, or on the grid low + k·step.
  public func suggestFloat(_ name: String, _ range: ClosedRange<Double>, log: Bool = false, step: Double? = nil) throws -> Double {
    try suggest(name, .float(low: range.lowerBound, high: range.upperBound, log: log, step: step)).doubleValue!
  }

  /// An integer in `range` on the grid low + k·step, log-uniform with `log`.
  public func suggestInt(_ name: String, _ range: ClosedRange<Int>, log: Bool = false, step: Int = 1) throws -> Int {
    guard case .int(let value) = try suggest(name, .int(low: range.lowerBound, high: range.upperBound, log: log, step: step)) else {
      preconditionFailure("an int distribution yields ints")
    }
    return value
  }

  /// One of `choices` (strings, ints, doubles or bools).
  public func suggestCategorical<T: ParamRepresentable>(_ name: String, _ choices: [T]) throws -> T {
    let value = try suggest(name, .categorical(choices.map(\.paramValue)))
    guard let choice = T(paramValue: value) else {
      throw TuneError.conflictingDistribution(parameter: name, "parameter '\(name)' holds \(value), which is not a \(T.self)")
    }
    return choice
  }

  /// A value of `distribution` for `name`, recorded in storage.
  public func suggest(_ name: String, _ distribution: Distribution) throws -> ParamValue {
    try suggest([name: distribution])[name]!
  }

  /// Values for several parameters at once, recorded in one storage write.
  @discardableResult
  public func suggest(_ space: [String: Distribution]) throws -> [String: ParamValue] {
    try suggest(sorted: space.sorted(by: { $0.key < $1.key }))
  }

  /// `suggest(_:)` for parameters already in name order.
  func suggest(sorted space: [(key: String, value: Distribution)]) throws -> [String: ParamValue] {
    let current = local.current
    var result: [String: ParamValue] = [:]
    result.reserveCapacity(space.count)
    var new: [(name: String, value: ParamValue, distribution: Distribution)] = []
    new.reserveCapacity(space.count)
    for (name, distribution) in space {
      try distribution.validate(name: name)
      if let known = current.distributions[name] {
        guard known == distribution else {
          throw TuneError.conflictingDistribution(parameter: name,
            "trial \(number): parameter '\(name)' was suggested from \(known.json) and now from \(distribution.json); use one distribution per name")
        }
        result[name] = current.params[name]
        continue
      }
      let value = try choose(name, distribution)
      result[name] = value
      new.append((name, value, distribution))
    }
    guard !new.isEmpty else { return result }
    try study.storage.setParams(trialID: id, new)
    local.withLock { trial in
      trial.params.reserveCapacity(trial.params.count + new.count)
      trial.distributions.reserveCapacity(trial.distributions.count + new.count)
      for p in new {
        trial.params[p.name] = p.value
        trial.distributions[p.name] = p.distribution
      }
    }
    return result
  }

  private func choose(_ name: String, _ distribution: Distribution) throws -> ParamValue {
    if !fixedParams.isEmpty, let fixed = fixedParams[name] {
      guard let value = distribution.coerce(fixed) else {
        throw TuneError.invalidArgument("trial \(number): the enqueued value \(fixed) of '\(name)' is not in \(distribution.json)")
      }
      return value
    }
    if let relative = relativeParams[name], let value = distribution.coerce(relative) { return value }
    // A distribution of one value needs no sampler (as in Optuna; a model of a zero-width
    // range would divide by its width).
    if distribution.isSingle { return distribution.value(atUnit: 0) }
    let value = try study.sampler.sampleIndependent(study: view, trial: local.current, name: name, distribution: distribution)
    guard let coerced = distribution.coerce(value) else {
      throw TuneError.invalidArgument("the sampler proposed \(value) for '\(name)', outside \(distribution.json)")
    }
    return coerced
  }

  /// Reports an intermediate objective value at `step` (an epoch, say) for pruners.
  /// A second report at the same step is ignored, as in Optuna.
  public func report(_ value: Double, step: Int) throws {
    guard step >= 0 else { throw TuneError.invalidArgument("trial \(number): step must be >= 0, got \(step)") }
    guard study.directions.count == 1 else {
      throw TuneError.unsupported("trial \(number): a study with several objectives takes intermediate vectors (report([Double], step:))")
    }
    if local.current.intermediateValues[step] != nil { return }
    try runningOnly { try study.storage.setIntermediateValue(trialID: id, step: step, value: value) }
    local.withLock { $0.intermediateValues[step] = value }
  }

  /// Reports an intermediate vector, one value per objective, at `step`, for studies with
  /// several objectives (pruned by `ParetoPruner`). A second report at the same step is ignored.
  public func report(_ values: [Double], step: Int) throws {
    guard step >= 0 else { throw TuneError.invalidArgument("trial \(number): step must be >= 0, got \(step)") }
    guard values.count == study.directions.count else {
      throw TuneError.invalidArgument("trial \(number): the study has \(study.directions.count) objective(s) but \(values.count) value(s) were reported")
    }
    if study.directions.count == 1 { return try report(values[0], step: step) }
    if local.current.intermediateVectors[step] != nil { return }
    try runningOnly { try study.storage.setIntermediateVector(trialID: id, step: step, values: values) }
    local.withLock { $0.intermediateVectors[step] = values }
  }

  /// Runs a storage write of this trial; a refusal because the trial is finished (its timeout,
  /// a stale-trial sweep) is a `TrialFinishedError` naming the study.
  private func runningOnly(_ write: () throws -> Void) throws {
    do { try write() } catch let error as TrialFinishedError {
      throw TrialFinishedError(trial: error.trial, state: error.state, study: study.name, refusal: error.refusal)
    }
  }

  /// Whether the study's pruner says this trial should stop now. Throw `TrialPruned()` from
  /// the objective when it does.
  public func shouldPrune() throws -> Bool {
    try study.pruner.shouldPrune(study: study.snapshot(), trial: local.current)
  }

  /// Sets a user attribute (any JSON value), stored at once.
  public func setUserAttr(_ key: String, _ value: JSONValue) throws {
    try study.storage.setTrialUserAttr(trialID: id, key: key, value: value)
    local.withLock { $0.userAttrs[key] = value }
  }

  /// Records the trial's constraint values, feasible when every one is ≤ 0 (Optuna's
  /// `constraints_func` convention; Deb et al. 2002 §IV constraint handling). NSGA-II and
  /// TPE rank infeasible trials behind feasible ones by their total violation Σ max(cᵢ, 0),
  /// and `Study.bestTrials` keeps feasible trials only. NaN is refused.
  public func setConstraints(_ values: [Double]) throws {
    guard !values.contains(where: \.isNaN) else {
      throw TuneError.invalidArgument("trial \(number): constraint values must not be NaN, got \(values)")
    }
    let json = JSONValue.array(values.map { .double($0) })
    try study.storage.setTrialSystemAttr(trialID: id, key: FrozenTrial.constraintsKey, value: json)
    local.withLock { $0.systemAttrs[FrozenTrial.constraintsKey] = json }
  }

  /// The user attributes set so far.
  public var userAttrs: [String: JSONValue] { local.current.userAttrs }
}
