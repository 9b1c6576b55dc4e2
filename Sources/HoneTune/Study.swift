import Foundation
import HoneMath

/// A study: one optimization problem, its trials, and the sampler and pruner that drive
/// it. Trials live in `storage`, so a study can be resumed, shared by many workers, or read
/// back without its objective.
///
/// ```swift
/// let study = try Study(name: "mlp", storage: SQLiteStorage(path: "hone.db"), direction: .maximize,
///                       sampler: QMCSampler(seed: 1))
/// try await study.optimize(trials: 40) { trial in
///   let lr = try trial.suggestFloat("lr", 1e-5...1e-1, log: true)
///   return train(lr: lr)
/// }
/// print(try study.bestTrial.params)
/// ```
public final class Study: Sendable {
  /// The study's unique name in its storage.
  public let name: String
  /// The storage id.
  public let id: Int
  /// One direction per objective.
  public let directions: [StudyDirection]
  /// Where trials are kept.
  public let storage: any Storage
  /// Chooses parameters.
  public let sampler: any Sampler
  /// Stops unpromising trials.
  public let pruner: any Pruner
  /// Dead-worker detection, when enabled.
  public let heartbeat: HeartbeatPolicy?
  let stopFlag = Locked(false)

  /// Creates a study (or, with `loadIfExists`, loads the one of that name, which must have
  /// the same directions). Defaults: in-memory storage, minimize, random sampler, median pruner
  /// (no pruner for several objectives: choose `ParetoPruner` to prune those). A sampler or
  /// pruner that cannot serve these directions is refused before anything is written.
  public convenience init(name: String, storage: any Storage = InMemoryStorage(), directions: [StudyDirection] = [.minimize],
                          sampler: (any Sampler)? = nil, pruner: (any Pruner)? = nil, loadIfExists: Bool = false,
                          heartbeat: HeartbeatPolicy? = nil) throws {
    try Self.checkCompatible(sampler: sampler, pruner: pruner, directions: directions)
    var id: Int
    do {
      id = try storage.createStudy(name: name, directions: directions)
    } catch StorageError.studyExists(let message) {
      guard loadIfExists else { throw StorageError.studyExists(message) }
      id = try storage.studyID(name: name)
      let stored = try storage.directions(studyID: id)
      guard stored == directions else {
        throw TuneError.invalidArgument("study '\(name)' exists with directions \(stored.map(\.rawValue)), not \(directions.map(\.rawValue))")
      }
    }
    try self.init(id: id, name: name, directions: directions, storage: storage, sampler: sampler, pruner: pruner,
                  heartbeat: heartbeat)
  }

  /// A handle on the stored study `id`; writes nothing.
  init(id: Int, name: String, directions: [StudyDirection], storage: any Storage, sampler: (any Sampler)?,
       pruner: (any Pruner)?, heartbeat: HeartbeatPolicy?) throws {
    self.name = name
    self.id = id
    self.directions = directions
    self.storage = storage
    self.sampler = sampler ?? RandomSampler()
    self.pruner = try pruner ?? (directions.count == 1 ? MedianPruner() : NopPruner())
    self.heartbeat = heartbeat
    try Self.checkCompatible(sampler: self.sampler, pruner: self.pruner, directions: directions)
  }

  /// Throws `TuneError.unsupported` when the sampler or the pruner cannot serve a study with
  /// `directions`; called before anything is written.
  static func checkCompatible(sampler: (any Sampler)?, pruner: (any Pruner)?, directions: [StudyDirection]) throws {
    try sampler?.checkDirections(directions)
    try pruner?.checkDirections(directions)
  }

  /// Creates a single-objective study; see the general initializer.
  public convenience init(name: String, storage: any Storage = InMemoryStorage(), direction: StudyDirection,
                          sampler: (any Sampler)? = nil, pruner: (any Pruner)? = nil, loadIfExists: Bool = false,
                          heartbeat: HeartbeatPolicy? = nil) throws {
    try self.init(name: name, storage: storage, directions: [direction], sampler: sampler, pruner: pruner,
                  loadIfExists: loadIfExists, heartbeat: heartbeat)
  }

  /// Loads an existing study; throws `StorageError.studyNotFound` if there is none. Without
  /// `heartbeat`, the policy stored with the study (`HeartbeatPolicy.store`) applies, if any.
  public static func load(name: String, storage: any Storage, sampler: (any Sampler)? = nil,
                          pruner: (any Pruner)? = nil, heartbeat: HeartbeatPolicy? = nil) throws -> Study {
    let id = try storage.studyID(name: name)
    return try Study(id: id, name: name, directions: try storage.directions(studyID: id), storage: storage,
                     sampler: sampler, pruner: pruner,
                     heartbeat: heartbeat ?? HeartbeatPolicy.stored(in: storage, studyID: id))
  }

  /// Deletes the study called `name` with all its trials.
  public static func delete(name: String, storage: any Storage) throws {
    try storage.deleteStudy(id: try storage.studyID(name: name))
  }

  /// A fresh view of the study for a sampler or pruner decision.
  public func snapshot() -> StudySnapshot { snapshot(suggestedInAsk: []) }

  /// A snapshot for an ask that suggests `suggestedInAsk` before it returns.
  func snapshot(suggestedInAsk: Set<String>) -> StudySnapshot {
    StudySnapshot(studyID: id, directions: directions, storage: storage, suggestedInAsk: suggestedInAsk) { [stopFlag] in stopFlag.withLock { $0 = true } }
  }

  // MARK: ask and tell

  /// Starts a trial: an enqueued (waiting) trial if there is one, else a new one. With
  /// `fixedDistributions`, those parameters are suggested at once (in one write), and the
  /// parameters of the waiting trial next in line are checked against them as it is claimed:
  /// a value outside them leaves it waiting, writes nothing and throws. Stale trials are
  /// failed first when a heartbeat policy is set, and the new trial's first heartbeat is
  /// recorded. The study is read once per ask: the sampler's relative and independent draws
  /// share one snapshot.
  public func ask(_ fixedDistributions: [String: Distribution] = [:]) throws -> Trial {
    try ask(ConditionalSpace(fixedDistributions))
  }

  /// Starts a trial and suggests the parameters of `space` whose conditions hold (see
  /// `ConditionalSpace`); otherwise as `ask(_:)` with a plain space.
  public func ask(_ conditionalSpace: ConditionalSpace) throws -> Trial {
    let fixedDistributions = conditionalSpace.distributions
    for (name, distribution) in fixedDistributions { try distribution.validate(name: name) }
    if let heartbeat {
      _ = try storage.failStaleTrials(studyID: id, gracePeriod: heartbeat.gracePeriod.seconds,
                                      retry: heartbeat.retryFailedTrials)
    }
    let frozen = try storage.claimWaitingTrial(studyID: id) { try Self.checkFixedParams(of: $0, in: fixedDistributions) }
      ?? storage.createTrial(studyID: id, template: nil)
    do {
      if heartbeat != nil { try storage.recordHeartbeat(trialID: frozen.id) }
      let view = snapshot(suggestedInAsk: Set(fixedDistributions.keys))
      let space = try sampler.relativeSearchSpace(study: view, trial: frozen)
      let relative = space.isEmpty ? [:] : try sampler.sampleRelative(study: view, trial: frozen, space: space)
      let trial = Trial(study: self, frozen: frozen, relativeParams: relative, snapshot: view)
      try conditionalSpace.suggest(in: trial)
      return trial
    } catch {
      try? storage.finishTrial(trialID: frozen.id, state: .failed, values: nil,
                               systemAttrs: ["fail_reason": .string("sampling failed: \(error)")])
      throw error
    }
  }

  /// Throws when an enqueued value of `trial` lies outside its distribution in `space`.
  static func checkFixedParams(of trial: FrozenTrial, in space: [String: Distribution]) throws {
    for (name, value) in Trial.fixedParams(of: trial) {
      guard let distribution = space[name] else { continue }
      guard distribution.coerce(value) != nil else {
        throw TuneError.invalidArgument("the enqueued trial \(trial.number) holds \(name) = \(value), outside \(distribution.json); enqueue values inside the search space")
      }
    }
  }

  /// Finishes running trial `number` as `finish(number:state:values:failReason:)` does, and
  /// throws `TrialFinishedError`, writing nothing, when it was finished already.
  @discardableResult
  public func tell(number: Int, state: TrialState = .complete, values: [Double]? = nil,
                   failReason: String? = nil) throws -> FrozenTrial {
    let outcome = try finish(number: number, state: state, values: values, failReason: failReason)
    guard outcome.finishedNow else { throw Self.alreadyFinished(outcome.trial, study: name) }
    return outcome.trial
  }

  /// Completes `trial` with its single objective value.
  @discardableResult
  public func tell(_ trial: Trial, _ value: Double) throws -> FrozenTrial {
    try tell(number: trial.number, values: [value])
  }

  /// Completes `trial` with one value per objective.
  @discardableResult
  public func tell(_ trial: Trial, values: [Double]) throws -> FrozenTrial {
    try tell(number: trial.number, values: values)
  }

  /// Finishes `trial` as pruned or failed.
  @discardableResult
  public func tell(_ trial: Trial, state: TrialState, failReason: String? = nil) throws -> FrozenTrial {
    try tell(number: trial.number, state: state, failReason: failReason)
  }

  /// Records an intermediate value (or, with several objectives, vector) of running trial
  /// `number` at `step` and returns the pruner's decision — for trials run outside this
  /// process (`hone intermediate`). A second report at the same step is ignored.
  public func report(trialNumber number: Int, step: Int, values: [Double]) throws -> Bool {
    let stored = try storage.trial(studyID: id, number: number)
    guard stored.state == .running else {
      throw TrialFinishedError(trial: number, state: stored.state, study: name, refusal: "only a running trial takes intermediate values")
    }
    let trial = Trial(study: self, frozen: stored, relativeParams: [:])
    if directions.count == 1, values.count == 1 { try trial.report(values[0], step: step) } else { try trial.report(values, step: step) }
    return try trial.shouldPrune()
  }

  // MARK: warm starts

  /// Enqueues a trial whose parameters are fixed in advance; the next `ask` takes it, and
  /// its suggestions return these values (other parameters are sampled as usual).
  /// With `space`, or when the study's trials already know a parameter's distribution, each
  /// value is checked against it first and a value outside it is refused, writing nothing.
  @discardableResult
  public func enqueueTrial(_ params: [String: ParamValue], userAttrs: [String: JSONValue] = [:],
                           space: [String: Distribution] = [:]) throws -> FrozenTrial {
    var known = space
    if params.keys.contains(where: { known[$0] == nil }) {
      for trial in try trials.reversed() {
        for (name, distribution) in trial.distributions where known[name] == nil { known[name] = distribution }
      }
    }
    for (name, value) in params {
      guard let distribution = known[name] else { continue }
      guard distribution.coerce(value) != nil else {
        throw TuneError.invalidArgument("cannot enqueue \(name) = \(value): it is outside \(distribution.json), the distribution of '\(name)'")
      }
    }
    return try storage.createTrial(studyID: id, template: TrialTemplate(
      state: .waiting, userAttrs: userAttrs, systemAttrs: ["fixed_params": .object(params.mapValues(\.json))]))
  }

  /// Adds an already evaluated trial (complete by default) to the study, for warm starts
  /// from earlier results; it is validated like a told trial.
  @discardableResult
  public func addTrial(_ template: TrialTemplate) throws -> FrozenTrial {
    guard template.state.isFinished else {
      throw TuneError.invalidArgument("an added trial must be complete, pruned or failed (enqueue a trial to run it)")
    }
    return try storage.createTrial(studyID: id, template: template)
  }

  // MARK: reading

  /// Sets a user attribute of the study.
  public func setUserAttr(_ key: String, _ value: JSONValue) throws {
    try storage.setStudyUserAttr(studyID: id, key: key, value: value)
  }

  /// The study's user attributes.
  public var userAttrs: [String: JSONValue] { get throws { try storage.studyUserAttrs(studyID: id) } }

  /// Every trial, in number order.
  public var trials: [FrozenTrial] { get throws { try storage.trials(studyID: id, states: nil) } }

  /// The trials in `states`, in number order.
  public func trials(states: Set<TrialState>) throws -> [FrozenTrial] {
    try storage.trials(studyID: id, states: states)
  }

  /// The complete trial with the best value (the earliest among equals). Single objective only.
  public var bestTrial: FrozenTrial {
    get throws {
      guard directions.count == 1 else {
        throw TuneError.unsupported("study '\(name)' has \(directions.count) objectives; use bestTrials for its Pareto set")
      }
      let complete = try trials(states: [.complete])
      guard var best = complete.first else { throw TuneError.noCompletedTrials("study '\(name)' has no complete trial yet") }
      for trial in complete.dropFirst() where directions[0].isBetter(trial.value!, than: best.value!) { best = trial }
      return best
    }
  }

  /// The feasible complete trials no other feasible complete trial dominates (the first
  /// front of the non-dominated sort, Deb et al. 2002), in number order; for one objective,
  /// the trials that share the best value. Trials whose constraints (`Trial.setConstraints`)
  /// are violated are left out, as in Optuna.
  public var bestTrials: [FrozenTrial] {
    get throws {
      let complete = try trials(states: [.complete]).filter(\.isFeasible)
      return paretoFrontIndices(complete.map { $0.losses(directions) }).map { complete[$0] }
    }
  }

  /// Asks a running `optimize` to start no more trials (running ones finish).
  public func stop() { stopFlag.withLock { $0 = true } }
}
