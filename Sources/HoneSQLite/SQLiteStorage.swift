import Foundation
import GRDB
import HoneTune

/// Storage in an SQLite file, shared safely by many threads and processes. The embedded
/// default; `sqlite:///path.db` in a storage URL.
///
/// - Write-ahead logging, so readers never wait for the writer; a busy timeout, so
///   concurrent writers queue instead of failing; every write is one `BEGIN IMMEDIATE`
///   transaction, committed before the call returns (`synchronous = NORMAL` by default:
///   durable across process crashes; `FULL` also across power loss).
/// - Trial numbers come from `MAX(number) + 1` inside the write transaction, under a
///   `UNIQUE (study_id, number)` constraint, so they are dense under any concurrency.
/// - The schema is versioned (`_SQLiteSchema`); a foreign or newer file is refused untouched.
public final class SQLiteStorage: Storage, Sendable {
  /// How durably each commit is written.
  public enum Durability: String, Sendable {
    /// `PRAGMA synchronous = NORMAL`: a commit survives the process crashing.
    case normal
    /// `PRAGMA synchronous = FULL`: a commit also survives the machine losing power.
    case full
  }

  /// The database file.
  public let path: String
  /// Seconds a write waits for another process's lock before failing with `StorageError.locked`.
  public let busyTimeout: Double
  let queue: DatabaseQueue
  /// The parameter layouts read so far.
  let layouts = ParamLayoutCache()
  /// The finished trials read so far.
  let finishedTrials = FinishedTrialCache()

  /// Opens the Hone database at `path`, creating it if needed — or, with `create: false`,
  /// throwing `StorageError.databaseNotFound` when there is no file (so a mistyped path in a
  /// read-only command leaves nothing behind).
  public init(path: String, busyTimeout: Double = 60, durability: Durability = .normal, create: Bool = true) throws {
    self.path = path
    self.busyTimeout = busyTimeout
    if !create, !FileManager.default.fileExists(atPath: path) {
      throw StorageError.databaseNotFound("no Hone database at \(path); create a study first (hone study create) or check --storage")
    }
    let directory = URL(fileURLWithPath: path).deletingLastPathComponent().path
    var isDirectory: ObjCBool = false
    guard FileManager.default.fileExists(atPath: directory, isDirectory: &isDirectory), isDirectory.boolValue else {
      throw StorageError.invalidURL("the folder \(directory) of database \(path) does not exist; create it first")
    }
    var config = Configuration()
    config.busyMode = .timeout(busyTimeout)
    config.label = "hone"
    config.prepareDatabase { db in try db.execute(sql: "PRAGMA synchronous = \(durability.rawValue.uppercased())") }
    do {
      queue = try Self.openWritable(path: path, configuration: config)
    } catch {
      // On a full disk the shared-memory index of the write-ahead log cannot be created, and
      // every command would fail, reads included. When the log holds nothing (every commit is
      // in the main file), the file is read as immutable — no lock, no index, no log — so
      // reads work, and every write fails with "the disk is full".
      let log = (try? FileManager.default.attributesOfItem(atPath: path + "-wal")[.size] as? Int) ?? 0
      guard Self.freeBytes(at: path).map({ $0 < Self.fullDiskBytes }) == true, log == 0 else {
        throw SQLiteStorage.translate(error, path: path, busyTimeout: busyTimeout)
      }
      config.readonly = true
      do {
        let absolute = URL(fileURLWithPath: path).path.addingPercentEncoding(withAllowedCharacters: .urlPathAllowed) ?? path
        queue = try DatabaseQueue(path: "file:\(absolute)?immutable=1", configuration: config)
        try queue.inDatabase { db in try _SQLiteSchema.check(db, path: path) }
      } catch {
        throw SQLiteStorage.translate(error, path: path, busyTimeout: busyTimeout)
      }
    }
  }

  /// Opens `path` for reading and writing, bringing its schema up to date in one
  /// `BEGIN IMMEDIATE` transaction and switching it to write-ahead logging.
  private static func openWritable(path: String, configuration: Configuration) throws -> DatabaseQueue {
    let queue = try DatabaseQueue(path: path, configuration: configuration)
    try queue.writeWithoutTransaction { db in
      try db.inTransaction(.immediate) {
        try _SQLiteSchema.prepare(db, path: path)
        return .commit
      }
      if try String.fetchOne(db, sql: "PRAGMA journal_mode")?.lowercased() != "wal" {
        try db.execute(sql: "PRAGMA journal_mode = WAL")
      }
    }
    return queue
  }

  /// Below this many free bytes, the disk counts as full.
  static let fullDiskBytes: UInt64 = 1 << 20

  /// The bytes free for unprivileged writes on the file system that holds `path`; nil when
  /// it cannot be told.
  static func freeBytes(at path: String) -> UInt64? {
    var info = statvfs()
    let folder = URL(fileURLWithPath: path).deletingLastPathComponent().path
    guard statvfs(folder, &info) == 0 else { return nil }
    return UInt64(info.f_bavail) * UInt64(info.f_frsize)
  }

  /// Runs `body` in one `BEGIN IMMEDIATE` transaction: the write lock is taken up front, so
  /// a busy database is waited for under the busy timeout instead of failing on a lock upgrade.
  func write<T>(_ body: (Database) throws -> T) throws -> T { try transaction(.immediate, body) }

  /// Runs `body` in one deferred transaction, so its queries see one snapshot. (GRDB's `read`
  /// also toggles `query_only` around each call, which costs more than the queries here.)
  func read<T>(_ body: (Database) throws -> T) throws -> T { try transaction(.deferred, body) }

  private func transaction<T>(_ kind: Database.TransactionKind, _ body: (Database) throws -> T) throws -> T {
    do {
      return try queue.inDatabase { db in
        var result: T?
        try db.inTransaction(kind) {
          result = try body(db)
          return .commit
        }
        return result!
      }
    } catch {
      if kind == .immediate { layouts.removeAll() }
      throw SQLiteStorage.translate(error, path: path, busyTimeout: busyTimeout)
    }
  }

  /// SQLite's errors as `StorageError`s that say what to do; Hone's own errors pass through.
  static func translate(_ error: Error, path: String, busyTimeout: Double) -> Error {
    guard let error = error as? DatabaseError else { return error }
    let full = [.SQLITE_FULL, .SQLITE_IOERR, .SQLITE_READONLY, .SQLITE_CANTOPEN].contains(error.resultCode)
      && freeBytes(at: path).map { $0 < fullDiskBytes } == true
    if error.resultCode == .SQLITE_FULL || full {
      return StorageError.diskFull("the disk that holds \(path) is full (\(freeBytes(at: path) ?? 0) bytes free); free some space and try again — nothing was written")
    }
    switch error.resultCode {
    case .SQLITE_BUSY, .SQLITE_LOCKED:
      return StorageError.locked("database \(path) stayed locked by another process for \(busyTimeout) s; try again, or raise ?timeout= in the storage URL")
    case .SQLITE_NOTADB:
      return StorageError.notAHoneDatabase("\(path) is not an SQLite database, so not a Hone database; give another path")
    case .SQLITE_CANTOPEN, .SQLITE_READONLY, .SQLITE_PERM:
      return StorageError.backend("cannot open or write \(path): \(error.message ?? "\(error.resultCode)")")
    default:
      return StorageError.backend("SQLite error on \(path): \(error.message ?? "\(error.resultCode)")")
    }
  }

  // MARK: studies

  /// Implements `Storage.createStudy`.
  public func createStudy(name: String, directions: [StudyDirection]) throws -> Int {
    try StorageRules.checkStudy(name: name, directions: directions)
    return try write { db in
      if try db.value(Int.self, "SELECT id FROM studies WHERE name = ?", [name]) != nil {
        throw StorageError.studyExists("a study named '\(name)' already exists (load it, or pick another name)")
      }
      try db.run("INSERT INTO studies (name, directions) VALUES (?, ?)", [name, StorageRules.encodeDirections(directions)])
      return Int(db.lastInsertedRowID)
    }
  }

  /// Implements `Storage.studyID`.
  public func studyID(name: String) throws -> Int {
    try read { db in
      guard let id = try db.value(Int.self, "SELECT id FROM studies WHERE name = ?", [name]) else {
        throw StorageError.studyNotFound("no study named '\(name)' in \(path) (create it first; `hone study list` shows the studies)")
      }
      return id
    }
  }

  /// Implements `Storage.studies`.
  public func studies() throws -> [StudySummary] {
    try read { db in
      let counts = try Row.fetchAll(db, sql: "SELECT study_id, state, COUNT(*) AS n, MIN(datetime_start) AS start FROM trials GROUP BY study_id, state")
      return try Row.fetchAll(db, sql: "SELECT id, name, directions FROM studies ORDER BY id").map { row in
        let id: Int = row["id"]
        var trialCounts: [TrialState: Int] = [:]
        var start: Double?
        for c in counts where (c["study_id"] as Int) == id {
          if let state = TrialState(rawValue: c["state"]) { trialCounts[state] = c["n"] }
          if let s: Double = c["start"] { start = min(start ?? s, s) }
        }
        return StudySummary(id: id, name: row["name"], directions: try StorageRules.decodeDirections(row["directions"]),
                            trialCounts: trialCounts, datetimeStart: start.map(Date.init(timeIntervalSince1970:)))
      }
    }
  }

  /// Implements `Storage.deleteStudy`.
  public func deleteStudy(id: Int) throws {
    try write { db in
      try Self.requireStudy(db, id)
      try db.run("DELETE FROM studies WHERE id = ?", [id])
    }
    finishedTrials.remove(id)
  }

  /// Implements `Storage.directions`.
  public func directions(studyID: Int) throws -> [StudyDirection] {
    try read { db in try Self.directions(db, studyID) }
  }

  /// Implements `Storage.setStudyUserAttr`.
  public func setStudyUserAttr(studyID: Int, key: String, value: JSONValue) throws {
    try updateAttrs(table: "studies", column: "user_attrs", id: studyID, key: key, value: value)
  }

  /// Implements `Storage.studyUserAttrs`.
  public func studyUserAttrs(studyID: Int) throws -> [String: JSONValue] {
    try readAttrs(table: "studies", column: "user_attrs", id: studyID)
  }

  /// Implements `Storage.setStudySystemAttr`.
  public func setStudySystemAttr(studyID: Int, key: String, value: JSONValue) throws {
    try updateAttrs(table: "studies", column: "system_attrs", id: studyID, key: key, value: value)
  }

  /// Implements `Storage.studySystemAttrs`.
  public func studySystemAttrs(studyID: Int) throws -> [String: JSONValue] {
    try readAttrs(table: "studies", column: "system_attrs", id: studyID)
  }

  func updateAttrs(table: String, column: String, id: Int, key: String, value: JSONValue) throws {
    try write { db in
      if table == "trials" {  // a finished trial never changes
        try Self.touch(db, studyID: Self.requireRunning(db, id).studyID, trialID: id)
      }
      guard let text = try db.value(String.self, "SELECT \(column) FROM \(table) WHERE id = ?", [id]) else {
        throw Self.missing(table, id)
      }
      var attrs = try StorageRules.decodeAttrs(text)
      attrs[key] = value
      try db.run("UPDATE \(table) SET \(column) = ? WHERE id = ?", [JSONValue.object(attrs).description, id])
    }
  }

  func readAttrs(table: String, column: String, id: Int) throws -> [String: JSONValue] {
    try read { db in
      guard let text = try db.value(String.self, "SELECT \(column) FROM \(table) WHERE id = ?", [id]) else {
        throw Self.missing(table, id)
      }
      return try StorageRules.decodeAttrs(text)
    }
  }

  static func missing(_ table: String, _ id: Int) -> StorageError {
    table == "studies" ? .studyNotFound("no study with id \(id)") : .trialNotFound("no trial with id \(id)")
  }

  static func requireStudy(_ db: Database, _ id: Int) throws {
    guard try db.value(Int.self, "SELECT 1 FROM studies WHERE id = ?", [id]) != nil else {
      throw StorageError.studyNotFound("no study with id \(id)")
    }
  }

  static func directions(_ db: Database, _ studyID: Int) throws -> [StudyDirection] {
    guard let text = try db.value(String.self, "SELECT directions FROM studies WHERE id = ?", [studyID]) else {
      throw StorageError.studyNotFound("no study with id \(studyID)")
    }
    return try StorageRules.decodeDirections(text)
  }
}
