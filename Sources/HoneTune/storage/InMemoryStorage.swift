import Foundation

/// Storage in this process's memory: fast, and gone when the process ends. The default for
/// studies that need no persistence; `memory:` in a storage URL.
///
/// All state sits behind one lock, so every call is atomic. Each call is O(1) except the
/// trial reads, which are O(n) in the study's trials, and claiming a waiting trial, which is
/// O(waiting).
public final class InMemoryStorage: Storage, Sendable {
  private struct StudyRecord {
    var id: Int
    var name: String
    var directions: [StudyDirection]
    var userAttrs: [String: JSONValue] = [:]
    var systemAttrs: [String: JSONValue] = [:]
  }

  /// Trials by ID. IDs count up from 1 and are never reused, so an array indexed by ID − 1
  /// holds them (nil once deleted): a read is an index, not a hash.
  private struct TrialTable {
    private var slots: [FrozenTrial?] = []

    subscript(id: Int) -> FrozenTrial? {
      get { id >= 1 && id <= slots.count ? slots[id - 1] : nil }
      _modify {
        precondition(id >= 1 && id <= slots.count + 1, "trial IDs are given out in order")
        if id == slots.count + 1 { slots.append(nil) }
        yield &slots[id - 1]
      }
    }
  }

  private struct State {
    var studies: [Int: StudyRecord] = [:]
    var studyOrder: [Int] = []
    var trials = TrialTable()
    var trialIDs: [Int: [Int]] = [:]  // by study, in number order
    var waiting: [Int: [Int]] = [:]  // by study, oldest first
    var trialStudy: [Int: Int] = [:]
    var heartbeats: [Int: Date] = [:]
    /// Each study's change counter, and the counter of each trial's last write.
    var changes: [Int: Int] = [:]
    var changed: [Int: Int] = [:]
    var nextStudyID = 1
    var nextTrialID = 1
    /// Recent distinct parameter spaces; trials with an equal one share its storage, so
    /// comparing two trials' spaces (as samplers do for every trial) is one pointer check.
    var spaces: [[String: Distribution]] = []

    /// Advances the study's change counter and stamps trial `trialID` with it.
    mutating func touch(_ trialID: Int) {
      let study = trialStudy[trialID]!
      let counter = changes[study, default: 0] + 1
      changes[study] = counter
      changed[trialID] = counter
    }

    /// The shared copy of `space`, remembering it when new (the 8 most recent are kept).
    mutating func intern(_ space: [String: Distribution]) -> [String: Distribution] {
      if let index = spaces.firstIndex(of: space) {
        let shared = spaces.remove(at: index)
        spaces.append(shared)
        return shared
      }
      spaces.append(space)
      if spaces.count > 8 { spaces.removeFirst() }
      return space
    }
  }

  private let state = Locked(State())

  /// An empty storage.
  public init() {}

  /// Implements `Storage.createStudy`.
  public func createStudy(name: String, directions: [StudyDirection]) throws -> Int {
    try StorageRules.checkStudy(name: name, directions: directions)
    return try state.withLock { s in
      guard !s.studies.values.contains(where: { $0.name == name }) else {
        throw StorageError.studyExists("a study named '\(name)' already exists (load it, or pick another name)")
      }
      let id = s.nextStudyID
      s.nextStudyID += 1
      s.studies[id] = StudyRecord(id: id, name: name, directions: directions)
      s.trialIDs[id] = []
      s.waiting[id] = []
      s.studyOrder.append(id)
      return id
    }
  }

  /// Implements `Storage.studyID`.
  public func studyID(name: String) throws -> Int {
    try state.withLock { s in
      guard let study = s.studies.values.first(where: { $0.name == name }) else {
        throw StorageError.studyNotFound("no study named '\(name)' (create it first; `hone study list` shows the studies)")
      }
      return study.id
    }
  }

  /// Implements `Storage.studies`.
  public func studies() throws -> [StudySummary] {
    state.withLock { s in
      s.studyOrder.compactMap { s.studies[$0] }.map { study in
        let trials = s.trialIDs[study.id]!.compactMap { s.trials[$0] }
        return StudySummary(id: study.id, name: study.name, directions: study.directions,
                            trialCounts: Dictionary(grouping: trials, by: \.state).mapValues(\.count),
                            datetimeStart: trials.compactMap(\.datetimeStart).min())
      }
    }
  }

  /// Implements `Storage.deleteStudy`.
  public func deleteStudy(id: Int) throws {
    try state.withLock { s in
      _ = try Self.study(id, in: s)
      for trialID in s.trialIDs[id]! {
        s.trials[trialID] = nil
        s.trialStudy[trialID] = nil
        s.heartbeats[trialID] = nil
        s.changed[trialID] = nil
      }
      s.changes[id] = nil
      s.studies[id] = nil
      s.trialIDs[id] = nil
      s.waiting[id] = nil
      s.studyOrder.removeAll { $0 == id }
    }
  }

  /// Implements `Storage.directions`.
  public func directions(studyID: Int) throws -> [StudyDirection] {
    try state.withLock { try Self.study(studyID, in: $0).directions }
  }

  /// Implements `Storage.setStudyUserAttr`.
  public func setStudyUserAttr(studyID: Int, key: String, value: JSONValue) throws {
    try setStudyAttr(\.userAttrs, of: studyID, key: key, value: value)
  }

  /// Implements `Storage.studyUserAttrs`.
  public func studyUserAttrs(studyID: Int) throws -> [String: JSONValue] {
    try state.withLock { try Self.study(studyID, in: $0).userAttrs }
  }

  /// Implements `Storage.setStudySystemAttr`.
  public func setStudySystemAttr(studyID: Int, key: String, value: JSONValue) throws {
    try setStudyAttr(\.systemAttrs, of: studyID, key: key, value: value)
  }

  /// Implements `Storage.studySystemAttrs`.
  public func studySystemAttrs(studyID: Int) throws -> [String: JSONValue] {
    try state.withLock { try Self.study(studyID, in: $0).systemAttrs }
  }

  /// Implements `Storage.createTrial`.
  public func createTrial(studyID: Int, template: TrialTemplate?) throws -> FrozenTrial {
    try state.withLock { s in
      let study = try Self.study(studyID, in: s)
      if let template { try StorageRules.checkTemplate(template, directionCount: study.directions.count) }
      return Self.insertTrial(studyID: studyID, template: template, in: &s)
    }
  }

  private static func insertTrial(studyID: Int, template: TrialTemplate?, in s: inout State) -> FrozenTrial {
    let now = Date()
    let id = s.nextTrialID
    s.nextTrialID += 1
    let number = s.trialIDs[studyID]!.count
    let t = template ?? TrialTemplate(state: .running)
    let trial = FrozenTrial(
      id: id, number: number, state: t.state, values: t.values,
      params: t.params.mapValues { $0 }, distributions: t.distributions,
      intermediateValues: t.intermediateValues, userAttrs: t.userAttrs, systemAttrs: t.systemAttrs,
      datetimeStart: t.state == .waiting ? nil : now, datetimeComplete: t.state.isFinished ? now : nil)
    var stored = trial
    for (name, value) in t.params { stored.params[name] = t.distributions[name]!.coerce(value)! }
    stored.distributions = s.intern(stored.distributions)
    s.trials[id] = stored
    s.trialStudy[id] = studyID
    s.touch(id)
    s.trialIDs[studyID]!.append(id)
    if stored.state == .waiting { s.waiting[studyID]!.append(id) }
    return stored
  }

  /// Implements `Storage.claimWaitingTrial`.
  public func claimWaitingTrial(studyID: Int, check: (FrozenTrial) throws -> Void) throws -> FrozenTrial? {
    try state.withLock { s in
      _ = try Self.study(studyID, in: s)
      guard let id = s.waiting[studyID]!.first else { return nil }
      try check(s.trials[id]!)
      s.waiting[studyID]!.removeFirst()
      s.trials[id]!.state = .running
      s.trials[id]!.datetimeStart = Date()
      s.touch(id)
      return s.trials[id]!
    }
  }

  /// Implements `Storage.setParams`.
  public func setParams(trialID: Int, _ params: [(name: String, value: ParamValue, distribution: Distribution)]) throws {
    try state.withLock { s in
      var trial = try Self.runningTrial(trialID, in: s)
      for p in params {
        try StorageRules.checkParam(name: p.name, value: p.value, distribution: p.distribution, existing: trial)
        if trial.params[p.name] == nil {
          trial.params[p.name] = p.distribution.coerce(p.value)!
          trial.distributions[p.name] = p.distribution
        }
      }
      trial.distributions = s.intern(trial.distributions)
      s.trials[trialID] = trial
      s.touch(trialID)
    }
  }

  /// Implements `Storage.setIntermediateValue`.
  public func setIntermediateValue(trialID: Int, step: Int, value: Double) throws {
    try state.withLock { s in
      _ = try Self.runningTrial(trialID, in: s)
      s.trials[trialID]!.intermediateValues[step] = value
      s.touch(trialID)
    }
  }

  /// Implements `Storage.setIntermediateVector`.
  public func setIntermediateVector(trialID: Int, step: Int, values: [Double]) throws {
    try state.withLock { s in
      _ = try Self.runningTrial(trialID, in: s)
      s.trials[trialID]!.intermediateVectors[step] = values
      s.touch(trialID)
    }
  }

  /// Implements `Storage.finishTrial`.
  public func finishTrial(trialID: Int, state newState: TrialState, values: [Double]?, systemAttrs: [String: JSONValue]) throws {
    try state.withLock { s in
      let trial = try Self.runningTrial(trialID, in: s)
      guard newState.isFinished else {
        throw StorageError.invalidArgument("trial \(trial.number): finish it as complete, pruned or failed, not \(newState.rawValue)")
      }
      let directions = s.studies[s.trialStudy[trialID]!]!.directions
      try StorageRules.checkValues(values, state: newState, directionCount: directions.count, subject: "trial \(trial.number)")
      s.trials[trialID]!.state = newState
      s.trials[trialID]!.values = values
      s.trials[trialID]!.datetimeComplete = Date()
      s.trials[trialID]!.systemAttrs.merge(systemAttrs) { $1 }
      s.heartbeats[trialID] = nil
      s.touch(trialID)
    }
  }

  /// Implements `Storage.setTrialUserAttr`.
  public func setTrialUserAttr(trialID: Int, key: String, value: JSONValue) throws {
    try state.withLock { s in
      _ = try Self.runningTrial(trialID, in: s)  // a finished trial never changes
      s.trials[trialID]!.userAttrs[key] = value
      s.touch(trialID)
    }
  }

  /// Implements `Storage.setTrialSystemAttr`.
  public func setTrialSystemAttr(trialID: Int, key: String, value: JSONValue) throws {
    try state.withLock { s in
      _ = try Self.runningTrial(trialID, in: s)
      s.trials[trialID]!.systemAttrs[key] = value
      s.touch(trialID)
    }
  }

  /// Sets one attribute of a study, or throws if there is no such study.
  private func setStudyAttr(_ attrs: WritableKeyPath<StudyRecord, [String: JSONValue]>, of id: Int, key: String, value: JSONValue) throws {
    try state.withLock { s in
      _ = try Self.study(id, in: s)
      s.studies[id]![keyPath: attrs][key] = value
    }
  }

  /// Implements `Storage.recordHeartbeat`.
  public func recordHeartbeat(trialID: Int) throws {
    try state.withLock { s in
      _ = try Self.runningTrial(trialID, in: s)
      s.heartbeats[trialID] = Date()
    }
  }

  /// Implements `Storage.failStaleTrials`.
  public func failStaleTrials(studyID: Int, gracePeriod: TimeInterval, retry: Bool) throws -> [FrozenTrial] {
    let cutoff = Date(timeIntervalSinceNow: -gracePeriod)
    return try state.withLock { s in
      _ = try Self.study(studyID, in: s)
      var failed: [FrozenTrial] = []
      for (id, beat) in s.heartbeats.sorted(by: { $0.key < $1.key }) where s.trialStudy[id] == studyID && beat < cutoff {
        guard let trial = s.trials[id], trial.state == .running else { continue }
        s.trials[id]!.state = .failed
        s.trials[id]!.datetimeComplete = Date()
        s.trials[id]!.systemAttrs["fail_reason"] = .string(StorageRules.staleReason(lastHeartbeat: beat))
        s.heartbeats[id] = nil
        s.touch(id)
        failed.append(s.trials[id]!)
        if retry, let template = StorageRules.retryTemplate(for: trial) {
          _ = Self.insertTrial(studyID: studyID, template: template, in: &s)
        }
      }
      return failed
    }
  }

  /// Implements `Storage.trial`.
  public func trial(id: Int) throws -> FrozenTrial {
    try state.withLock { try Self.trial(id, in: $0) }
  }

  /// Implements `Storage.trial`.
  public func trial(studyID: Int, number: Int) throws -> FrozenTrial {
    try state.withLock { s in
      let study = try Self.study(studyID, in: s)
      let ids = s.trialIDs[studyID]!
      guard number >= 0, number < ids.count else {
        throw StorageError.trialNotFound("study '\(study.name)' has no trial \(number)")
      }
      return s.trials[ids[number]]!
    }
  }

  /// Implements `Storage.trials`.
  public func trials(studyID: Int, states: Set<TrialState>?) throws -> [FrozenTrial] {
    try state.withLock { s in
      _ = try Self.study(studyID, in: s)
      guard let states else { return s.trialIDs[studyID]!.map { s.trials[$0]! } }
      return s.trialIDs[studyID]!.compactMap { id in s.trials[id].flatMap { states.contains($0.state) ? $0 : nil } }
    }
  }

  /// Implements `Storage.trials(studyID:changedSince:)`. O(n) in the study's trials.
  public func trials(studyID: Int, changedSince counter: Int) throws -> TrialChanges {
    try state.withLock { s in
      _ = try Self.study(studyID, in: s)
      let changed = s.trialIDs[studyID]!.filter { s.changed[$0, default: 0] > counter }.map { s.trials[$0]! }
      return TrialChanges(counter: s.changes[studyID, default: 0], trials: changed)
    }
  }

  private static func study(_ id: Int, in s: State) throws -> StudyRecord {
    guard let study = s.studies[id] else { throw StorageError.studyNotFound("no study with id \(id)") }
    return study
  }

  private static func trial(_ id: Int, in s: State) throws -> FrozenTrial {
    guard let trial = s.trials[id] else { throw StorageError.trialNotFound("no trial with id \(id)") }
    return trial
  }

  private static func runningTrial(_ id: Int, in s: State) throws -> FrozenTrial {
    let trial = try trial(id, in: s)
    guard trial.state == .running else {
      throw TrialFinishedError(trial: trial.number, state: trial.state)
    }
    return trial
  }
}
