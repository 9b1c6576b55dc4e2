/// What a sampler or pruner sees of a study: its directions and its trials, read from
/// storage on first use and kept for the rest of the decision (a sampler that needs no
/// history, like random search, costs no read).
public final class StudySnapshot: Sendable {
  /// The study's storage id.
  public let studyID: Int
  /// One direction per objective.
  public let directions: [StudyDirection]
  /// Where the trials are read from; samplers and pruners write only their typed state
  /// (`setState`), so the snapshot offers no storage of its own.
  let storage: any Storage
  /// The parameters the asking trial receives in the same `ask` (its search space given
  /// up front): a sampler need not record its relative sample of these for other workers
  /// (TPE's constant liar), since storage holds them before the ask returns.
  public let suggestedInAsk: Set<String>
  private let cache = Locked<[TrialState?: [FrozenTrial]]>([:])
  /// The study's system attributes, once read.
  let studyAttributes = Locked<[String: JSONValue]?>(nil)
  private let stopRequest: @Sendable () -> Void

  /// A view of study `studyID` in `storage`; `onStop` is what `requestStop()` does.
  public init(studyID: Int, directions: [StudyDirection], storage: any Storage, suggestedInAsk: Set<String> = [],
              onStop: @escaping @Sendable () -> Void = {}) {
    self.studyID = studyID
    self.directions = directions
    self.storage = storage
    self.suggestedInAsk = suggestedInAsk
    self.stopRequest = onStop
  }

  /// All trials, in number order (read once per snapshot).
  public func allTrials() throws -> [FrozenTrial] {
    if let cached = cache.withLock({ $0[nil] }) { return cached }
    let trials = try storage.trials(studyID: studyID, states: nil)
    cache.withLock { $0[nil] = trials }
    return trials
  }

  /// The study's system attributes (read once per snapshot).
  func studySystemAttrs() throws -> [String: JSONValue] {
    if let cached = studyAttributes.current { return cached }
    let attrs = try storage.studySystemAttrs(studyID: studyID)
    studyAttributes.withLock { $0 = attrs }
    return attrs
  }

  /// The trials in `states`, in number order.
  public func trials(states: Set<TrialState>) throws -> [FrozenTrial] {
    try allTrials().filter { states.contains($0.state) }
  }

  /// The completed trials.
  public func completedTrials() throws -> [FrozenTrial] { try trials(states: [.complete]) }

  /// The same study with the trials that `promote` selects shown as complete (their values
  /// as stored), for one decision; nothing is written. Itself when no trial is selected.
  func showing(asComplete promote: (FrozenTrial) -> Bool) throws -> StudySnapshot {
    let all = try allTrials()
    func selected(_ trial: FrozenTrial) -> Bool { trial.state != .complete && promote(trial) }
    guard all.contains(where: selected) else { return self }
    let trials = all.map { trial -> FrozenTrial in
      guard selected(trial) else { return trial }
      var shown = trial
      shown.state = .complete
      return shown
    }
    return showing(trials)
  }

  /// The same study with `trials` in place of its stored trials, for one decision (a
  /// multi-fidelity sampler shows the values at one budget as final ones); nothing is written,
  /// and state set through it goes to storage as usual.
  func showing(_ trials: [FrozenTrial]) -> StudySnapshot {
    let view = StudySnapshot(studyID: studyID, directions: directions, storage: storage, suggestedInAsk: suggestedInAsk, onStop: stopRequest)
    view.cache.withLock { $0[nil] = trials }
    return view
  }

  /// Asks the running `optimize` loop to start no more trials (a grid that is exhausted).
  public func requestStop() { stopRequest() }
}
