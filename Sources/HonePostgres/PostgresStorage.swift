import Foundation
import HoneTune
import PostgresNIO

/// Storage on a PostgreSQL server, shared by workers on many hosts; `postgresql://` in a
/// storage URL (see `PostgresURL` for its form and options).
///
/// - Every call is one transaction (or one statement), committed before it returns, with the
///   server's durability settings (`fsync`, `synchronous_commit`).
/// - Writes to a study's trials are serialized by its row (`PostgresSchema`): trial numbers
///   are dense under any number of writers, locks are taken in one order, and every write
///   advances the study's change counter, so `trials(studyID:states:)` reads only the trials
///   that changed since this process last read the study (`PostgresTrialCache`).
/// - Times (start, completion, heartbeats) are the server's `now()`: hosts with skewed clocks
///   agree on which trials are stale.
/// - The process's connections are one bounded pool per URL (`PostgresPool`), which
///   reconnects with back-off after a restart or a dropped link. A write whose commit went
///   unanswered is reconciled before it is tried again — by the request key it stored, or by
///   re-reading the trial — so nothing is lost or written twice.
public final class PostgresStorage: Storage, Sendable {
  /// The server, database and options.
  public let url: PostgresURL
  let pool: PostgresPool
  let cache = PostgresTrialCache()
  let distributions = Locked<[String: Distribution]>([:])

  /// Opens the database `url` names, creating or migrating Hone's tables when needed. A bad
  /// URL, a wrong password, a missing database or an unreachable server throws one clear
  /// `StorageError` within the connect timeout, and nothing is written.
  public convenience init(url: String) throws {
    try self.init(PostgresURL(url))
  }

  /// Opens the database `url` names (as `init(url:)`); with `create: false`, a database
  /// without Hone's tables is `StorageError.databaseNotFound` and stays untouched.
  public init(_ url: PostgresURL, create: Bool = true) throws {
    self.url = url
    pool = PostgresPool.shared(url)
    guard !pool.schemaChecked.current else { return }
    try pool.run(deadline: Date(timeIntervalSinceNow: url.connectTimeout)) { session, _ in try PostgresSchema.prepare(session, url: url, create: create) }
    pool.schemaChecked.withLock { $0 = true }
  }

  /// Runs `body` through the pool (see `PostgresPool.run`).
  func run<T>(_ body: (PostgresSession, _ attempt: Int) throws -> T) throws -> T { try pool.run(body) }

  /// Runs a write of autocommit statements through the pool and returns once the server has
  /// committed it. A statement's rows arrive before its implicit transaction commits (at the
  /// protocol's Sync), so a connection ended between the two would lose a write the caller saw
  /// succeed; the server answers a following query on the same connection only after that
  /// commit. If the connection is lost first, the pool runs `body` again, and `attempt` lets it
  /// find a write that did land (every write here is idempotent on a retry, or keyed).
  func write<T>(_ body: (PostgresSession, _ attempt: Int) throws -> T) throws -> T {
    try pool.run { session, attempt in
      let result = try body(session, attempt)
      try session.query("SELECT 1")
      return result
    }
  }

  /// Runs `body` in one transaction through the pool.
  func transaction<T>(_ body: (PostgresSession, _ attempt: Int) throws -> T) throws -> T {
    try pool.run { session, attempt in try session.transaction { try body(session, attempt) } }
  }

  // MARK: studies

  /// Implements `Storage.createStudy`.
  public func createStudy(name: String, directions: [StudyDirection]) throws -> Int {
    try StorageRules.checkStudy(name: name, directions: directions)
    let key = UUID()
    return try write { session, _ in
      let inserted = try session.query("""
        INSERT INTO hone_studies (name, directions, request_key) VALUES (\(name), \(StorageRules.encodeDirections(directions)), \(key))
        ON CONFLICT (name) DO NOTHING RETURNING id
        """)
      if let row = inserted.first { return try row.decode(Int.self) }
      // Taken — by this very call when an unanswered commit had landed.
      let existing = try session.query("SELECT id, request_key FROM hone_studies WHERE name = \(name)")
      if let row = existing.first, try row.decode((Int, UUID?).self).1 == key { return try row.decode((Int, UUID?).self).0 }
      throw StorageError.studyExists("a study named '\(name)' already exists (load it, or pick another name)")
    }
  }

  /// Implements `Storage.studyID`.
  public func studyID(name: String) throws -> Int {
    try run { session, _ in
      guard let row = try session.query("SELECT id FROM hone_studies WHERE name = \(name)").first else {
        throw StorageError.studyNotFound("no study named '\(name)' in \(url) (create it first; `hone study list` shows the studies)")
      }
      return try row.decode(Int.self)
    }
  }

  /// Implements `Storage.studies`.
  public func studies() throws -> [StudySummary] {
    try run { session, _ in
      let rows = try session.query("""
        SELECT s.id, s.name, s.directions, t.state, COUNT(t.id)::BIGINT, MIN(t.datetime_start)
        FROM hone_studies s LEFT JOIN hone_trials t ON t.study_id = s.id GROUP BY s.id, t.state ORDER BY s.id
        """)
      var summaries: [StudySummary] = []
      for row in rows {
        let (id, name, directions, state, count, start) = try row.decode((Int, String, String, String?, Int, Date?).self)
        if summaries.last?.id != id {
          summaries.append(StudySummary(id: id, name: name, directions: try StorageRules.decodeDirections(directions),
                                        trialCounts: [:], datetimeStart: nil))
        }
        if let state, let s = TrialState(rawValue: state) { summaries[summaries.count - 1].trialCounts[s] = count }
        if let start { summaries[summaries.count - 1].datetimeStart = min(summaries[summaries.count - 1].datetimeStart ?? start, start) }
      }
      return summaries
    }
  }

  /// Implements `Storage.deleteStudy`.
  public func deleteStudy(id: Int) throws {
    try write { session, attempt in
      let deleted = try session.query("DELETE FROM hone_studies WHERE id = \(id) RETURNING id")
      // A retry that finds nothing follows a delete whose commit went unanswered.
      guard !deleted.isEmpty || attempt > 0 else { throw StorageError.studyNotFound("no study with id \(id)") }
    }
    cache.remove(id)
  }

  /// Implements `Storage.directions`.
  public func directions(studyID: Int) throws -> [StudyDirection] {
    try run { session, _ in
      guard let row = try session.query("SELECT directions FROM hone_studies WHERE id = \(studyID)").first else {
        throw StorageError.studyNotFound("no study with id \(studyID)")
      }
      return try StorageRules.decodeDirections(row.decode(String.self))
    }
  }

  /// Implements `Storage.setStudyUserAttr`.
  public func setStudyUserAttr(studyID: Int, key: String, value: JSONValue) throws {
    try updateStudyAttrs(studyID, column: "user_attrs", key: key, value: value)
  }

  /// Implements `Storage.studyUserAttrs`.
  public func studyUserAttrs(studyID: Int) throws -> [String: JSONValue] {
    try readStudyAttrs(studyID, column: "user_attrs")
  }

  /// Implements `Storage.setStudySystemAttr`.
  public func setStudySystemAttr(studyID: Int, key: String, value: JSONValue) throws {
    try updateStudyAttrs(studyID, column: "system_attrs", key: key, value: value)
  }

  /// Implements `Storage.studySystemAttrs`.
  public func studySystemAttrs(studyID: Int) throws -> [String: JSONValue] {
    try readStudyAttrs(studyID, column: "system_attrs")
  }

  private func updateStudyAttrs(_ studyID: Int, column: String, key: String, value: JSONValue) throws {
    try transaction { session, _ in
      var attrs = try Self.studyAttrs(session, studyID, column: column, lock: true)
      attrs[key] = value
      var binds = PostgresBindings()
      binds.append(JSONValue.object(attrs).description)
      binds.append(studyID)
      try session.query(PostgresQuery(unsafeSQL: "UPDATE hone_studies SET \(column) = $1 WHERE id = $2", binds: binds))
    }
  }

  private func readStudyAttrs(_ studyID: Int, column: String) throws -> [String: JSONValue] {
    try run { session, _ in try Self.studyAttrs(session, studyID, column: column, lock: false) }
  }

  private static func studyAttrs(_ session: PostgresSession, _ studyID: Int, column: String, lock: Bool) throws -> [String: JSONValue] {
    var binds = PostgresBindings()
    binds.append(studyID)
    let sql = "SELECT \(column) FROM hone_studies WHERE id = $1" + (lock ? " FOR UPDATE" : "")
    guard let row = try session.query(PostgresQuery(unsafeSQL: sql, binds: binds)).first else {
      throw StorageError.studyNotFound("no study with id \(studyID)")
    }
    return try StorageRules.decodeAttrs(row.decode(String.self))
  }
}
