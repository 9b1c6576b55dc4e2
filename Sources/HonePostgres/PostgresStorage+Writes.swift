import Foundation
import HoneTune
import PostgresNIO

/// Writing trials. A trial is one row (`PostgresSchema`). A new trial takes its number from its
/// study's row in the statement that inserts it (`insertTrial`), so the study's lock is held for
/// that statement's commit only, never across a round trip to a worker — a worker cut off
/// mid-write cannot stall the others. Every other write reads the trial and writes it back only
/// if it is still as read — running, with the same stamp — and reads again when another write
/// came between (`writeRunning`): two short statements, no lock held across a round trip.
extension PostgresStorage {
  /// Writes trial `trialID` while it runs: `body` gets the trial as stored and its study's
  /// direction count, and returns the assignments to make (`SET` items whose parameters start
  /// at `$3`) with what binds their parameters, or nil to write nothing. Applied only if no other write came
  /// since the read; otherwise read and decided again. A finished trial throws
  /// `TrialFinishedError`.
  func writeRunning(_ session: PostgresSession, _ trialID: Int,
                    _ body: (FrozenTrial, Int) throws -> (assignments: String, bind: (inout PostgresBindings) -> Void)?) throws {
    while true {
      let sql = "SELECT \(Self.trialColumns), t.changed::TEXT::BIGINT, s.directions FROM hone_trials t JOIN hone_studies s ON s.id = t.study_id WHERE t.id = $1"
      guard let row = try session.query(PostgresQuery(unsafeSQL: sql, binds: Self.binds(trialID))).first?.makeRandomAccess() else {
        throw StorageError.trialNotFound("no trial with id \(trialID)")
      }
      let trial = try decodeTrial(row, at: 0)
      guard trial.state == .running else { throw TrialFinishedError(trial: trial.number, state: trial.state) }
      let stamp = try row[Self.trialColumnCount].decode(Int.self)
      let directions = try StorageRules.decodeDirections(row[Self.trialColumnCount + 1].decode(String.self))
      guard let change = try body(trial, directions.count) else { return }
      var binds = Self.binds(trialID, stamp)
      change.bind(&binds)
      let update = """
        UPDATE hone_trials SET \(change.assignments), changed = pg_current_xact_id()
        WHERE id = $1 AND state = 'running' AND changed = $2::BIGINT::TEXT::XID8 RETURNING id
        """
      if try !session.query(PostgresQuery(unsafeSQL: update, binds: binds)).isEmpty { return }
    }
  }

  /// Inserts a trial from `template` with the study's next number, taken in the same statement;
  /// returns its id, number and start time.
  @discardableResult
  func insertTrial(_ session: PostgresSession, studyID: Int, template t: TrialTemplate, key: UUID?) throws -> (id: Int, number: Int, start: Date?) {
    let started = t.state != .waiting, finished = t.state.isFinished
    let names = t.params.keys.sorted()
    let values = try names.map { try t.distributions[$0]!.internalValue(of: t.params[$0]!) }
    let steps = t.intermediateValues.keys.sorted()
    guard let row = try session.query("""
      WITH study AS (UPDATE hone_studies SET next_number = next_number + 1 WHERE id = \(studyID) RETURNING next_number - 1 AS number)
      INSERT INTO hone_trials (study_id, number, state, datetime_start, datetime_complete, user_attrs, system_attrs, changed, request_key,
        vals, param_names, param_values, param_distributions, intermediate_steps, intermediate_values)
      SELECT \(studyID), study.number, \(t.state.rawValue), CASE WHEN \(started) THEN now() END, CASE WHEN \(finished) THEN now() END,
        \(JSONValue.object(t.userAttrs).description), \(JSONValue.object(t.systemAttrs).description), pg_current_xact_id(), \(key),
        \(t.values), \(names), \(values), \(names.map { t.distributions[$0]!.json.description }),
        \(steps), \(steps.map { t.intermediateValues[$0]! })
      FROM study RETURNING id, number, datetime_start
      """).first else { throw StorageError.studyNotFound("no study with id \(studyID)") }
    return try row.decode((Int, Int, Date?).self)
  }

  /// The trial this call stored before its commit went unanswered, if it did (found by `key`).
  private func landed(_ session: PostgresSession, key: UUID, attempt: Int) throws -> FrozenTrial? {
    guard attempt > 0 else { return nil }
    return try fetchTrials(session, where: "t.request_key = $1", Self.binds(key)).first
  }

  // MARK: Storage writes

  /// Implements `Storage.createTrial`: one statement (a template is checked first against the
  /// study's directions). A retry after an unanswered commit finds the trial by its key.
  public func createTrial(studyID: Int, template: TrialTemplate?) throws -> FrozenTrial {
    if let template { try StorageRules.checkTemplate(template, directionCount: directions(studyID: studyID).count) }
    let key = UUID()
    return try write { session, attempt in
      if let trial = try landed(session, key: key, attempt: attempt) { return trial }
      guard let template else {
        let (id, number, start) = try insertTrial(session, studyID: studyID, template: TrialTemplate(state: .running), key: key)
        return FrozenTrial(id: id, number: number, state: .running, datetimeStart: start)
      }
      return try fetchTrial(session, id: insertTrial(session, studyID: studyID, template: template, key: key).id)!
    }
  }

  /// Implements `Storage.claimWaitingTrial`.
  public func claimWaitingTrial(studyID: Int, check: (FrozenTrial) throws -> Void) throws -> FrozenTrial? {
    // A read first: most asks find no waiting trial and then need no transaction.
    let anyWaiting = try run { session, _ in
      try !session.query("SELECT 1 FROM hone_trials WHERE study_id = \(studyID) AND state = 'waiting' LIMIT 1").isEmpty
    }
    guard anyWaiting else { return nil }
    let key = UUID()
    return try transaction { session, attempt in
      if let trial = try landed(session, key: key, attempt: attempt) { return trial }
      // The oldest waiting trial that no other worker is claiming, locked.
      guard let waiting = try fetchTrials(session, where: """
        t.id = (SELECT id FROM hone_trials WHERE study_id = $1 AND state = 'waiting' ORDER BY number LIMIT 1 FOR UPDATE SKIP LOCKED)
        """, Self.binds(studyID)).first else { return nil }
      try check(waiting)
      let start = try session.query("""
        UPDATE hone_trials SET state = 'running', datetime_start = now(), changed = pg_current_xact_id(), request_key = \(key)
        WHERE id = \(waiting.id) RETURNING datetime_start
        """)[0].decode(Date.self)
      var claimed = waiting
      claimed.state = .running
      claimed.datetimeStart = start
      return claimed
    }
  }

  /// Implements `Storage.setParams`.
  public func setParams(trialID: Int, _ params: [(name: String, value: ParamValue, distribution: Distribution)]) throws {
    try write { session, _ in
      try writeRunning(session, trialID) { trial, _ in
        var existing = trial
        var names: [String] = [], values: [Double] = [], distributions: [String] = []
        for p in params.sorted(by: { $0.name < $1.name }) {
          try StorageRules.checkParam(name: p.name, value: p.value, distribution: p.distribution, existing: existing)
          guard existing.distributions[p.name] == nil else { continue }
          existing.distributions[p.name] = p.distribution
          names.append(p.name)
          values.append(try p.distribution.internalValue(of: p.value))
          distributions.append(p.distribution.json.description)
        }
        guard !names.isEmpty else { return nil }
        return ("param_names = param_names || $3::TEXT[], param_values = param_values || $4::FLOAT8[], param_distributions = param_distributions || $5::TEXT[]",
                { $0.append(names); $0.append(values); $0.append(distributions) })
      }
    }
  }

  /// Implements `Storage.setIntermediateValue`.
  public func setIntermediateValue(trialID: Int, step: Int, value: Double) throws {
    try write { session, _ in
      try writeRunning(session, trialID) { trial, _ in
        var series = trial.intermediateValues
        series[step] = value
        let steps = series.keys.sorted()
        return ("intermediate_steps = $3, intermediate_values = $4", { $0.append(steps); $0.append(steps.map { series[$0]! }) })
      }
    }
  }

  /// Implements `Storage.setIntermediateVector`.
  public func setIntermediateVector(trialID: Int, step: Int, values: [Double]) throws {
    try write { session, _ in
      try writeRunning(session, trialID) { trial, _ in
        var series = trial.intermediateVectors
        series[step] = values
        let steps = series.keys.sorted()
        let repeated = steps.flatMap { s in Array(repeating: s, count: series[s]!.count) }, flat = steps.flatMap { series[$0]! }
        return ("vector_steps = $3, vector_values = $4", { $0.append(repeated); $0.append(flat) })
      }
    }
  }

  /// Implements `Storage.finishTrial`. A retry after an unanswered commit that finds the trial
  /// finished as asked counts as done.
  public func finishTrial(trialID: Int, state: TrialState, values: [Double]?, systemAttrs: [String: JSONValue]) throws {
    try write { session, attempt in
      do {
        try writeRunning(session, trialID) { trial, directionCount in
          guard state.isFinished else {
            throw StorageError.invalidArgument("trial \(trial.number): finish it as complete, pruned or failed, not \(state.rawValue)")
          }
          try StorageRules.checkValues(values, state: state, directionCount: directionCount, subject: "trial \(trial.number)")
          let attrs = trial.systemAttrs.merging(systemAttrs) { $1 }
          return ("state = $3, vals = $4, system_attrs = $5, datetime_complete = now(), heartbeat = NULL",
                  { binds in
                    binds.append(state.rawValue)
                    if let values { binds.append(values) } else { binds.appendNull() }
                    binds.append(JSONValue.object(attrs).description)
                  })
        }
      } catch let error as TrialFinishedError where attempt > 0 {
        guard let stored = try fetchTrial(session, id: trialID), stored.state == state, stored.values == values else { throw error }
      }
    }
  }

  /// Implements `Storage.setTrialUserAttr`.
  public func setTrialUserAttr(trialID: Int, key: String, value: JSONValue) throws {
    try updateTrialAttrs(trialID, \.userAttrs, column: "user_attrs", key: key, value: value)
  }

  /// Implements `Storage.setTrialSystemAttr`.
  public func setTrialSystemAttr(trialID: Int, key: String, value: JSONValue) throws {
    try updateTrialAttrs(trialID, \.systemAttrs, column: "system_attrs", key: key, value: value)
  }

  private func updateTrialAttrs(_ trialID: Int, _ attrs: KeyPath<FrozenTrial, [String: JSONValue]>, column: String,
                                key: String, value: JSONValue) throws {
    try write { session, _ in
      try writeRunning(session, trialID) { trial, _ in
        var updated = trial[keyPath: attrs]
        updated[key] = value
        let text = JSONValue.object(updated).description
        return ("\(column) = $3", { $0.append(text) })
      }
    }
  }

  /// Implements `Storage.recordHeartbeat`, with the server's clock.
  public func recordHeartbeat(trialID: Int) throws {
    try write { session, _ in
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
      // Locked in number order; a trial finished meanwhile no longer matches once its writer commits.
      let rows = try session.query(PostgresQuery(unsafeSQL: "SELECT id, heartbeat FROM hone_trials WHERE \(stale) ORDER BY number FOR UPDATE",
                                                 binds: Self.binds(studyID, gracePeriod)))
      var failed: [FrozenTrial] = []
      for row in rows {
        let (id, heartbeat) = try row.decode((Int, Date).self)
        let trial = try fetchTrial(session, id: id)!
        var attrs = trial.systemAttrs
        attrs["fail_reason"] = .string(StorageRules.staleReason(lastHeartbeat: heartbeat))
        try session.query("""
          UPDATE hone_trials SET state = 'failed', datetime_complete = now(), heartbeat = NULL,
          system_attrs = \(JSONValue.object(attrs).description), changed = pg_current_xact_id() WHERE id = \(id)
          """)
        if retry, let template = StorageRules.retryTemplate(for: trial) {
          try insertTrial(session, studyID: studyID, template: template, key: nil)
        }
        failed.append(try fetchTrial(session, id: id)!)
      }
      return failed
    }
  }
}
