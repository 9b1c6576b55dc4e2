import Foundation
import HoneTune
import PostgresNIO

/// Writing trials. Each write locks the study's row first by advancing its change counter
/// (`lockStudy`, `lockRunningTrial`), then stamps the trials it touches with the new value.
extension PostgresStorage {
  /// Locks study `studyID` for this transaction, advances its change counter and reserves
  /// `numbers` trial numbers; returns the new counter, the first number reserved and the
  /// study's direction count.
  func lockStudy(_ session: PostgresSession, _ studyID: Int, numbers: Int = 0) throws -> (changes: Int, number: Int, directionCount: Int) {
    guard let row = try session.query("""
      UPDATE hone_studies SET changes = changes + 1, next_number = next_number + \(numbers)
      WHERE id = \(studyID) RETURNING changes, next_number - \(numbers), directions
      """).first else { throw StorageError.studyNotFound("no study with id \(studyID)") }
    let (changes, number, directions) = try row.decode((Int, Int, String).self)
    return (changes, number, try StorageRules.decodeDirections(directions).count)
  }

  /// A running trial whose study this transaction has locked.
  struct LockedTrial {
    var studyID: Int
    var changes: Int
    var directionCount: Int
    var number: Int
    var userAttrs: String
    var systemAttrs: String
  }

  /// Locks the study of trial `trialID`, advances its counter, stamps the trial with it, and
  /// checks that the trial runs (`TrialFinishedError` otherwise).
  func lockRunningTrial(_ session: PostgresSession, _ trialID: Int) throws -> LockedTrial {
    guard let row = try session.query("""
      UPDATE hone_studies s SET changes = s.changes + 1 FROM hone_trials t
      WHERE t.id = \(trialID) AND s.id = t.study_id RETURNING s.id, s.changes, s.directions
      """).first else { throw StorageError.trialNotFound("no trial with id \(trialID)") }
    let (studyID, changes, directions) = try row.decode((Int, Int, String).self)
    // After the study's lock: this statement sees the trial as the last writer left it.
    let trial = try session.query("""
      UPDATE hone_trials SET changed = \(changes) WHERE id = \(trialID) RETURNING number, state, user_attrs, system_attrs
      """)[0]
    let (number, state, userAttrs, systemAttrs) = try trial.decode((Int, String, String, String).self)
    guard state == TrialState.running.rawValue else {
      throw TrialFinishedError(trial: number, state: TrialState(rawValue: state) ?? .complete)
    }
    return LockedTrial(studyID: studyID, changes: changes, directionCount: try StorageRules.decodeDirections(directions).count,
                       number: number, userAttrs: userAttrs, systemAttrs: systemAttrs)
  }

  /// Inserts a trial numbered `number` from `template`, stamped `changes`, and returns its id.
  @discardableResult
  func insertTrial(_ session: PostgresSession, studyID: Int, number: Int, changes: Int, template t: TrialTemplate, key: UUID?) throws -> Int {
    let started = t.state != .waiting, finished = t.state.isFinished
    let id = try session.query("""
      INSERT INTO hone_trials (study_id, number, state, datetime_start, datetime_complete, user_attrs, system_attrs, changed, request_key)
      VALUES (\(studyID), \(number), \(t.state.rawValue), CASE WHEN \(started) THEN now() END, CASE WHEN \(finished) THEN now() END,
              \(JSONValue.object(t.userAttrs).description), \(JSONValue.object(t.systemAttrs).description), \(changes), \(key))
      RETURNING id
      """)[0].decode(Int.self)
    let names = t.params.keys.sorted()
    try insertParams(session, trialID: id, names: names, values: try names.map { try t.distributions[$0]!.internalValue(of: t.params[$0]!) },
                     distributions: names.map { t.distributions[$0]! })
    if let values = t.values { try insertValues(session, trialID: id, values) }
    if !t.intermediateValues.isEmpty {
      let steps = t.intermediateValues.keys.sorted()
      try session.query("""
        INSERT INTO hone_trial_intermediate_values (trial_id, step, value)
        SELECT \(id), * FROM unnest(\(steps)::BIGINT[], \(steps.map { t.intermediateValues[$0]! })::FLOAT8[])
        """)
    }
    return id
  }

  private func insertParams(_ session: PostgresSession, trialID: Int, names: [String], values: [Double], distributions: [Distribution]) throws {
    guard !names.isEmpty else { return }
    try session.query("""
      INSERT INTO hone_trial_params (trial_id, name, value, distribution)
      SELECT \(trialID), * FROM unnest(\(names)::TEXT[], \(values)::FLOAT8[], \(distributions.map(\.json.description))::TEXT[])
      """)
  }

  private func insertValues(_ session: PostgresSession, trialID: Int, _ values: [Double]) throws {
    try session.query("""
      INSERT INTO hone_trial_values (trial_id, objective, value)
      SELECT \(trialID), o - 1, v FROM unnest(\(values)::FLOAT8[]) WITH ORDINALITY AS x(v, o)
      """)
  }

  /// The trial this call stored before its commit went unanswered, if it did (found by `key`).
  private func landed(_ session: PostgresSession, key: UUID, attempt: Int) throws -> FrozenTrial? {
    guard attempt > 0 else { return nil }
    return try fetchTrials(session, where: "t.request_key = $1", Self.binds(key)).first
  }

  // MARK: Storage writes

  /// Implements `Storage.createTrial`.
  public func createTrial(studyID: Int, template: TrialTemplate?) throws -> FrozenTrial {
    let key = UUID()
    return try transaction { session, attempt in
      if let trial = try landed(session, key: key, attempt: attempt) { return trial }
      let study = try lockStudy(session, studyID, numbers: 1)
      if let template { try StorageRules.checkTemplate(template, directionCount: study.directionCount) }
      let id = try insertTrial(session, studyID: studyID, number: study.number, changes: study.changes,
                               template: template ?? TrialTemplate(state: .running), key: key)
      return try fetchTrial(session, id: id)!
    }
  }

  /// Implements `Storage.claimWaitingTrial`.
  public func claimWaitingTrial(studyID: Int, check: (FrozenTrial) throws -> Void) throws -> FrozenTrial? {
    // A read first: most asks find no waiting trial and then need no lock.
    let anyWaiting = try run { session, _ in
      try !session.query("SELECT 1 FROM hone_trials WHERE study_id = \(studyID) AND state = 'waiting' LIMIT 1").isEmpty
    }
    guard anyWaiting else { return nil }
    let key = UUID()
    return try transaction { session, attempt in
      if let trial = try landed(session, key: key, attempt: attempt) { return trial }
      let study = try lockStudy(session, studyID)
      guard let waiting = try fetchTrials(session, where: """
        t.id = (SELECT id FROM hone_trials WHERE study_id = $1 AND state = 'waiting' ORDER BY number LIMIT 1)
        """, Self.binds(studyID)).first else { return nil }
      try check(waiting)
      try session.query("""
        UPDATE hone_trials SET state = 'running', datetime_start = now(), changed = \(study.changes), request_key = \(key)
        WHERE id = \(waiting.id)
        """)
      return try fetchTrial(session, id: waiting.id)!
    }
  }

  /// Implements `Storage.setParams`.
  public func setParams(trialID: Int, _ params: [(name: String, value: ParamValue, distribution: Distribution)]) throws {
    try transaction { session, _ in
      let locked = try lockRunningTrial(session, trialID)
      var existing = FrozenTrial(id: trialID, number: locked.number, state: .running)
      for row in try session.query("SELECT name, distribution FROM hone_trial_params WHERE trial_id = \(trialID)") {
        let (name, text) = try row.decode((String, String).self)
        existing.distributions[name] = try Distribution(json: JSONValue.parse(text), name: name)
      }
      var names: [String] = [], values: [Double] = [], distributions: [Distribution] = []
      for p in params.sorted(by: { $0.name < $1.name }) {
        try StorageRules.checkParam(name: p.name, value: p.value, distribution: p.distribution, existing: existing)
        guard existing.distributions[p.name] == nil else { continue }
        existing.distributions[p.name] = p.distribution
        names.append(p.name)
        values.append(try p.distribution.internalValue(of: p.value))
        distributions.append(p.distribution)
      }
      try insertParams(session, trialID: trialID, names: names, values: values, distributions: distributions)
    }
  }

  /// Implements `Storage.setIntermediateValue`.
  public func setIntermediateValue(trialID: Int, step: Int, value: Double) throws {
    try transaction { session, _ in
      _ = try lockRunningTrial(session, trialID)
      try session.query("""
        INSERT INTO hone_trial_intermediate_values (trial_id, step, value) VALUES (\(trialID), \(step), \(value))
        ON CONFLICT (trial_id, step) DO UPDATE SET value = EXCLUDED.value
        """)
    }
  }

  /// Implements `Storage.setIntermediateVector`.
  public func setIntermediateVector(trialID: Int, step: Int, values: [Double]) throws {
    try transaction { session, _ in
      _ = try lockRunningTrial(session, trialID)
      try session.query("DELETE FROM hone_trial_intermediate_vectors WHERE trial_id = \(trialID) AND step = \(step)")
      try session.query("""
        INSERT INTO hone_trial_intermediate_vectors (trial_id, step, objective, value)
        SELECT \(trialID), \(step), o - 1, v FROM unnest(\(values)::FLOAT8[]) WITH ORDINALITY AS x(v, o)
        """)
    }
  }

  /// Implements `Storage.finishTrial`. A retry after an unanswered commit that finds the trial
  /// finished as asked counts as done.
  public func finishTrial(trialID: Int, state: TrialState, values: [Double]?, systemAttrs: [String: JSONValue]) throws {
    try transaction { session, attempt in
      let locked: LockedTrial
      do {
        locked = try lockRunningTrial(session, trialID)
      } catch let error as TrialFinishedError where attempt > 0 {
        guard let stored = try fetchTrial(session, id: trialID), stored.state == state, stored.values == values else { throw error }
        return
      }
      guard state.isFinished else {
        throw StorageError.invalidArgument("trial \(locked.number): finish it as complete, pruned or failed, not \(state.rawValue)")
      }
      try StorageRules.checkValues(values, state: state, directionCount: locked.directionCount, subject: "trial \(locked.number)")
      var attrs = try StorageRules.decodeAttrs(locked.systemAttrs)
      attrs.merge(systemAttrs) { $1 }
      try session.query("""
        UPDATE hone_trials SET state = \(state.rawValue), datetime_complete = now(), heartbeat = NULL,
        system_attrs = \(JSONValue.object(attrs).description) WHERE id = \(trialID)
        """)
      if let values { try insertValues(session, trialID: trialID, values) }
    }
  }

  /// Implements `Storage.setTrialUserAttr`.
  public func setTrialUserAttr(trialID: Int, key: String, value: JSONValue) throws {
    try updateTrialAttrs(trialID, column: "user_attrs", key: key, value: value)
  }

  /// Implements `Storage.setTrialSystemAttr`.
  public func setTrialSystemAttr(trialID: Int, key: String, value: JSONValue) throws {
    try updateTrialAttrs(trialID, column: "system_attrs", key: key, value: value)
  }

  private func updateTrialAttrs(_ trialID: Int, column: String, key: String, value: JSONValue) throws {
    try transaction { session, _ in
      let locked = try lockRunningTrial(session, trialID)
      var attrs = try StorageRules.decodeAttrs(column == "user_attrs" ? locked.userAttrs : locked.systemAttrs)
      attrs[key] = value
      try session.query(PostgresQuery(unsafeSQL: "UPDATE hone_trials SET \(column) = $1 WHERE id = $2",
                                      binds: Self.binds(JSONValue.object(attrs).description, trialID)))
    }
  }

  /// Implements `Storage.recordHeartbeat`, with the server's clock.
  public func recordHeartbeat(trialID: Int) throws {
    try run { session, _ in
      guard try session.query("UPDATE hone_trials SET heartbeat = now() WHERE id = \(trialID) AND state = 'running' RETURNING id").isEmpty else { return }
      guard let row = try session.query("SELECT number, state FROM hone_trials WHERE id = \(trialID)").first else {
        throw StorageError.trialNotFound("no trial with id \(trialID)")
      }
      let (number, state) = try row.decode((Int, String).self)
      throw TrialFinishedError(trial: number, state: TrialState(rawValue: state) ?? .complete)
    }
  }

  /// Implements `Storage.failStaleTrials`: stale by the server's clock.
  public func failStaleTrials(studyID: Int, gracePeriod: TimeInterval, retry: Bool) throws -> [FrozenTrial] {
    let stale = "study_id = $1 AND state = 'running' AND heartbeat < now() - make_interval(secs => $2)"
    let anyStale = try run { session, _ in
      try !session.query(PostgresQuery(unsafeSQL: "SELECT 1 FROM hone_trials WHERE \(stale) LIMIT 1", binds: Self.binds(studyID, gracePeriod))).isEmpty
    }
    guard anyStale else { return [] }
    return try transaction { session, _ in
      let study = try lockStudy(session, studyID)
      let rows = try session.query(PostgresQuery(unsafeSQL: "SELECT id, heartbeat FROM hone_trials WHERE \(stale) ORDER BY number",
                                                 binds: Self.binds(studyID, gracePeriod)))
      var failed: [FrozenTrial] = []
      for row in rows {
        let (id, heartbeat) = try row.decode((Int, Date).self)
        let trial = try fetchTrial(session, id: id)!
        var attrs = trial.systemAttrs
        attrs["fail_reason"] = .string(StorageRules.staleReason(lastHeartbeat: heartbeat))
        try session.query("""
          UPDATE hone_trials SET state = 'failed', datetime_complete = now(), heartbeat = NULL,
          system_attrs = \(JSONValue.object(attrs).description), changed = \(study.changes) WHERE id = \(id)
          """)
        if retry, let template = StorageRules.retryTemplate(for: trial) {
          let reserved = try lockStudy(session, studyID, numbers: 1)
          try insertTrial(session, studyID: studyID, number: reserved.number, changes: reserved.changes, template: template, key: nil)
        }
        failed.append(try fetchTrial(session, id: id)!)
      }
      return failed
    }
  }
}
