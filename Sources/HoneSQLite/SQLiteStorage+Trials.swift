import Foundation
import GRDB
import HoneTune

extension SQLiteStorage {
  /// Implements `Storage.createTrial`.
  public func createTrial(studyID: Int, template: TrialTemplate?) throws -> FrozenTrial {
    try write { db in
      let directions = try Self.directions(db, studyID)
      if let template { try StorageRules.checkTemplate(template, directionCount: directions.count) }
      return try insertTrial(db, studyID: studyID, template: template ?? TrialTemplate(state: .running))
    }
  }

  /// Inserts a trial with the next number and returns it as stored.
  @discardableResult
  func insertTrial(_ db: Database, studyID: Int, template t: TrialTemplate) throws -> FrozenTrial {
    let now = Date().timeIntervalSince1970
    let number = try db.value(Int.self, "SELECT COALESCE(MAX(number) + 1, 0) FROM trials WHERE study_id = ?", [studyID])!
    try db.run("""
      INSERT INTO trials (study_id, number, state, datetime_start, datetime_complete, user_attrs, system_attrs)
      VALUES (?, ?, ?, ?, ?, ?, ?)
      """, [studyID, number, t.state.rawValue, t.state == .waiting ? nil : now, t.state.isFinished ? now : nil,
                       JSONValue.object(t.userAttrs).description, JSONValue.object(t.systemAttrs).description])
    let id = Int(db.lastInsertedRowID)
    try Self.touch(db, studyID: studyID, trialID: id)
    try writeBlock(db, studyID: studyID, trialID: id, try t.params.sorted { $0.key < $1.key }.map { name, value in
      let distribution = t.distributions[name]!
      return (name, try distribution.internalValue(of: value), distribution)
    })
    for (i, v) in (t.values ?? []).enumerated() {
      try db.run("INSERT INTO trial_values (trial_id, objective, value) VALUES (?, ?, ?)", [id, i, v])
    }
    for (step, v) in t.intermediateValues {
      try db.run("INSERT INTO trial_intermediate_values (trial_id, step, value) VALUES (?, ?, ?)", [id, step, v.isNaN ? nil : v])
    }
    let date = Date(timeIntervalSince1970: now)
    var trial = FrozenTrial(id: id, number: number, state: t.state, values: t.values, distributions: t.distributions,
                            intermediateValues: t.intermediateValues, userAttrs: t.userAttrs, systemAttrs: t.systemAttrs,
                            datetimeStart: t.state == .waiting ? nil : date, datetimeComplete: t.state.isFinished ? date : nil)
    for (name, value) in t.params { trial.params[name] = t.distributions[name]!.coerce(value) }
    return trial
  }

  /// Implements `Storage.claimWaitingTrial`.
  public func claimWaitingTrial(studyID: Int, check: (FrozenTrial) throws -> Void) throws -> FrozenTrial? {
    // A read first: most asks find no waiting trial and then need no write transaction.
    let anyWaiting = try read { db in
      try db.value(Int.self, "SELECT 1 FROM trials WHERE study_id = ? AND state = 'waiting' LIMIT 1", [studyID]) != nil
    }
    guard anyWaiting else { return nil }
    return try write { db in
      guard let id = try db.value(Int.self, "SELECT id FROM trials WHERE study_id = ? AND state = 'waiting' ORDER BY number LIMIT 1", [studyID]) else { return nil }
      try check(try fetchTrials(db, where: "t.id = ?", [id])[0])
      try db.run("UPDATE trials SET state = 'running', datetime_start = ? WHERE id = ?", [Date().timeIntervalSince1970, id])
      try Self.touch(db, studyID: studyID, trialID: id)
      return try fetchTrials(db, where: "t.id = ?", [id])[0]
    }
  }

  /// Implements `Storage.setParams`.
  public func setParams(trialID: Int, _ params: [(name: String, value: ParamValue, distribution: Distribution)]) throws {
    try write { db in
      let (number, studyID) = try Self.requireRunning(db, trialID)
      try Self.touch(db, studyID: studyID, trialID: trialID)
      var existing = FrozenTrial(id: trialID, number: number, state: .running)
      existing.distributions = try storedDistributions(db, trialID: trialID)
      var new: [(name: String, internalValue: Double, distribution: Distribution)] = []
      for p in params.sorted(by: { $0.name < $1.name }) {
        try StorageRules.checkParam(name: p.name, value: p.value, distribution: p.distribution, existing: existing)
        guard existing.distributions[p.name] == nil else { continue }
        existing.distributions[p.name] = p.distribution
        new.append((p.name, try p.distribution.internalValue(of: p.value), p.distribution))
      }
      try writeBlock(db, studyID: studyID, trialID: trialID, new)
    }
  }

  /// Implements `Storage.setIntermediateValue`.
  public func setIntermediateValue(trialID: Int, step: Int, value: Double) throws {
    try write { db in
      try Self.touch(db, studyID: Self.requireRunning(db, trialID).studyID, trialID: trialID)
      try db.run("INSERT OR REPLACE INTO trial_intermediate_values (trial_id, step, value) VALUES (?, ?, ?)", [trialID, step, value.isNaN ? nil : value])
    }
  }

  /// Implements `Storage.setIntermediateVector`.
  public func setIntermediateVector(trialID: Int, step: Int, values: [Double]) throws {
    try write { db in
      try Self.touch(db, studyID: Self.requireRunning(db, trialID).studyID, trialID: trialID)
      try db.run("DELETE FROM trial_intermediate_vectors WHERE trial_id = ? AND step = ?", [trialID, step])
      for (objective, value) in values.enumerated() {
        try db.run("INSERT INTO trial_intermediate_vectors (trial_id, step, objective, value) VALUES (?, ?, ?, ?)",
                   [trialID, step, objective, value.isNaN ? nil : value])
      }
    }
  }

  /// Implements `Storage.finishTrial`.
  public func finishTrial(trialID: Int, state: TrialState, values: [Double]?, systemAttrs: [String: JSONValue]) throws {
    try write { db in
      let (number, studyID) = try Self.requireRunning(db, trialID)
      try Self.touch(db, studyID: studyID, trialID: trialID)
      guard state.isFinished else {
        throw StorageError.invalidArgument("trial \(number): finish it as complete, pruned or failed, not \(state.rawValue)")
      }
      let directions = try Self.directions(db, studyID)
      try StorageRules.checkValues(values, state: state, directionCount: directions.count, subject: "trial \(number)")
      var attrs = try StorageRules.decodeAttrs(try db.value(String.self, "SELECT system_attrs FROM trials WHERE id = ?", [trialID]) ?? "{}")
      attrs.merge(systemAttrs) { $1 }
      try db.run("UPDATE trials SET state = ?, datetime_complete = ?, heartbeat = NULL, system_attrs = ? WHERE id = ?",
                 [state.rawValue, Date().timeIntervalSince1970, JSONValue.object(attrs).description, trialID])
      for (i, v) in (values ?? []).enumerated() {
        try db.run("INSERT INTO trial_values (trial_id, objective, value) VALUES (?, ?, ?)", [trialID, i, v])
      }
    }
  }

  /// Implements `Storage.setTrialUserAttr`.
  public func setTrialUserAttr(trialID: Int, key: String, value: JSONValue) throws {
    try updateAttrs(table: "trials", column: "user_attrs", id: trialID, key: key, value: value)
  }

  /// Implements `Storage.setTrialSystemAttr`.
  public func setTrialSystemAttr(trialID: Int, key: String, value: JSONValue) throws {
    try updateAttrs(table: "trials", column: "system_attrs", id: trialID, key: key, value: value)
  }

  /// Implements `Storage.recordHeartbeat`.
  public func recordHeartbeat(trialID: Int) throws {
    try write { db in
      try Self.requireRunning(db, trialID)
      try db.run("UPDATE trials SET heartbeat = ? WHERE id = ?", [Date().timeIntervalSince1970, trialID])
    }
  }

  /// Implements `Storage.failStaleTrials`.
  public func failStaleTrials(studyID: Int, gracePeriod: TimeInterval, retry: Bool) throws -> [FrozenTrial] {
    let cutoff = Date(timeIntervalSinceNow: -gracePeriod)
    let anyStale = try read { db in
      try db.value(Int.self, "SELECT 1 FROM trials WHERE study_id = ? AND state = 'running' AND heartbeat < ? LIMIT 1", [studyID, cutoff.timeIntervalSince1970]) != nil
    }
    guard anyStale else { return [] }
    return try write { db in
      let rows = try Row.fetchAll(db, sql: "SELECT id, heartbeat FROM trials WHERE study_id = ? AND state = 'running' AND heartbeat < ?",
                                  arguments: [studyID, cutoff.timeIntervalSince1970])
      var failed: [FrozenTrial] = []
      for row in rows {
        let id: Int = row["id"]
        let trial = try fetchTrials(db, where: "t.id = ?", [id])[0]
        var attrs = trial.systemAttrs
        attrs["fail_reason"] = .string(StorageRules.staleReason(lastHeartbeat: Date(timeIntervalSince1970: row["heartbeat"])))
        try db.run("UPDATE trials SET state = 'failed', datetime_complete = ?, heartbeat = NULL, system_attrs = ? WHERE id = ?", [Date().timeIntervalSince1970, JSONValue.object(attrs).description, id])
        try Self.touch(db, studyID: studyID, trialID: id)
        if retry, let template = StorageRules.retryTemplate(for: trial) {
          try insertTrial(db, studyID: studyID, template: template)
        }
        failed.append(try fetchTrials(db, where: "t.id = ?", [id])[0])
      }
      return failed
    }
  }

  /// Implements `Storage.trial`.
  public func trial(id: Int) throws -> FrozenTrial {
    try read { db in
      guard let trial = try fetchTrials(db, where: "t.id = ?", [id]).first else {
        throw StorageError.trialNotFound("no trial with id \(id)")
      }
      return trial
    }
  }

  /// Implements `Storage.trial`.
  public func trial(studyID: Int, number: Int) throws -> FrozenTrial {
    try read { db in
      guard let trial = try fetchTrials(db, where: "t.study_id = ? AND t.number = ?", [studyID, number]).first else {
        try Self.requireStudy(db, studyID)
        throw StorageError.trialNotFound("the study has no trial \(number)")
      }
      return trial
    }
  }

  /// Implements `Storage.trials`: the trials new since this storage's last read of the study
  /// (see `FinishedTrialCache`), with the finished ones read before.
  public func trials(studyID: Int, states: Set<TrialState>?) throws -> [FrozenTrial] {
    if let states, states.isEmpty { return [] }
    let all = try read { db in
      try Self.requireStudy(db, studyID)
      let known = finishedTrials.entry(studyID)
      var condition = "t.study_id = ? AND (t.id > ?"
      if !known.unfinished.isEmpty { condition += " OR t.id IN (" + known.unfinished.map(String.init).joined(separator: ",") + ")" }
      let fresh = try fetchTrials(db, where: condition + ")", [studyID, known.maxID])
      return finishedTrials.update(studyID, known, with: fresh)
    }
    guard let states else { return all }
    return all.filter { states.contains($0.state) }
  }

  /// Implements `Storage.trials(studyID:changedSince:)`.
  public func trials(studyID: Int, changedSince counter: Int) throws -> TrialChanges {
    try read { db in
      guard let now = try db.value(Int.self, "SELECT changes FROM studies WHERE id = ?", [studyID]) else {
        throw StorageError.studyNotFound("no study with id \(studyID)")
      }
      return TrialChanges(counter: now, trials: try fetchTrials(db, where: "t.study_id = ? AND t.changed > ?", [studyID, counter]))
    }
  }

  /// Advances the study's change counter and stamps trial `trialID` with it, inside the write
  /// transaction (writes are serialized, so counters follow commit order).
  static func touch(_ db: Database, studyID: Int, trialID: Int) throws {
    try db.run("UPDATE studies SET changes = changes + 1 WHERE id = ?", [studyID])
    try db.run("UPDATE trials SET changed = (SELECT changes FROM studies WHERE id = ?) WHERE id = ?", [studyID, trialID])
  }

  // MARK: reading rows

  @discardableResult
  static func requireRunning(_ db: Database, _ trialID: Int) throws -> (number: Int, studyID: Int) {
    guard let row = try db.row("SELECT number, study_id, state FROM trials WHERE id = ?", [trialID]) else {
      throw StorageError.trialNotFound("no trial with id \(trialID)")
    }
    let state: String = row["state"]
    guard state == TrialState.running.rawValue else {
      throw TrialFinishedError(trial: row["number"], state: TrialState(rawValue: state) ?? .complete)
    }
    return (row["number"], row["study_id"])
  }

  /// Trials matching `condition` (over `trials t`), with their params, values and
  /// intermediate values: five queries, joined in memory. O(rows).
  func fetchTrials(_ db: Database, where condition: String, _ arguments: StatementArguments) throws -> [FrozenTrial] {
    var trials: [FrozenTrial] = []
    var position: [Int: Int] = [:]
    let rows = try db.rows("""
      SELECT t.id, t.number, t.state, t.datetime_start, t.datetime_complete, t.user_attrs, t.system_attrs
      FROM trials t WHERE \(condition) ORDER BY t.number
      """, arguments)
    while let row = try rows.next() {
      let stateText: String = row[2]
      guard let state = TrialState(rawValue: stateText) else { throw StorageError.backend("corrupt trial state '\(stateText)'") }
      let start: Double? = row[3]
      let complete: Double? = row[4]
      position[row[0]] = trials.count
      trials.append(FrozenTrial(
        id: row[0], number: row[1], state: state, userAttrs: try StorageRules.decodeAttrs(row[5]), systemAttrs: try StorageRules.decodeAttrs(row[6]),
        datetimeStart: start.map(Date.init(timeIntervalSince1970:)), datetimeComplete: complete.map(Date.init(timeIntervalSince1970:))))
    }
    guard !trials.isEmpty else { return [] }
    try readParams(db, into: &trials, position: position, where: condition, arguments)
    let values = try db.rows("""
      SELECT v.trial_id, v.objective, v.value FROM trial_values v JOIN trials t ON t.id = v.trial_id WHERE \(condition)
      ORDER BY v.trial_id, v.objective
      """, arguments)
    while let row = try values.next() {
      let i = position[row[0]]!
      trials[i].values = (trials[i].values ?? []) + [row[2] as Double]
    }
    let intermediate = try db.rows("""
      SELECT i.trial_id, i.step, i.value FROM trial_intermediate_values i JOIN trials t ON t.id = i.trial_id WHERE \(condition)
      """, arguments)
    while let row = try intermediate.next() {
      let value: Double? = row[2]
      trials[position[row[0]]!].intermediateValues[row[1]] = value ?? .nan
    }
    let vectors = try db.rows("""
      SELECT v.trial_id, v.step, v.value FROM trial_intermediate_vectors v JOIN trials t ON t.id = v.trial_id WHERE \(condition)
      ORDER BY v.trial_id, v.step, v.objective
      """, arguments)
    while let row = try vectors.next() {
      let value: Double? = row[2]
      trials[position[row[0]]!].intermediateVectors[row[1], default: []].append(value ?? .nan)
    }
    return trials
  }
}
