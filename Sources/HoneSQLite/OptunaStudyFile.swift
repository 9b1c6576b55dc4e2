import Foundation
import GRDB
import HoneTune

/// An Optuna storage in an SQLite file — what `optuna.create_study(storage="sqlite:///…")`
/// writes — opened read-only, never changed.
///
/// Opening checks that the file is an Optuna storage with schema revision `v3.2.0.a` (the
/// one of Optuna 3.2 to 5.x); an older revision is refused with the command that upgrades
/// it. `readStudy` reads one study in Hone's terms; `export` writes a Hone study as a new
/// Optuna file.
public struct OptunaStudyFile {
  /// The file's path.
  public let path: String
  /// The Optuna version that created the file (`version_info.library_version`), if recorded.
  public let libraryVersion: String?
  let queue: DatabaseQueue

  /// The schema revision this reader and the writer know (`alembic_version`).
  public static let schemaRevision = _OptunaSchema.headRevision

  /// Opens the Optuna file at `path` read-only; throws `OptunaFileError` when there is no
  /// file, when it is not an Optuna storage, or when its schema revision is not `v3.2.0.a`.
  public init(path: String) throws {
    guard FileManager.default.fileExists(atPath: path) else {
      throw OptunaFileError.fileNotFound("no Optuna file at \(path); check the path")
    }
    // The header tells a foreign or a Hone file before SQLite opens it (which would add
    // journal files beside a database in WAL mode).
    if let header = Self.header(path), !header.isEmpty {
      guard Array(header.prefix(16)) == Array("SQLite format 3\u{0}".utf8) else {
        throw OptunaFileError.notAnOptunaFile("\(path) is not an SQLite database, so not an Optuna storage; check the path")
      }
      if header.count >= 72, Array(header[68..<72]) == [0x48, 0x6F, 0x6E, 0x65] {
        throw Self.honeDatabase(path)
      }
    }
    var config = Configuration()
    config.readonly = true
    config.label = "optuna"
    do {
      let queue = try DatabaseQueue(path: path, configuration: config)
      do {
        libraryVersion = try queue.read { db in try Self.check(db, path: path) }
      } catch {
        try? queue.close()
        throw error
      }
      self.queue = queue
    } catch {
      throw Self.translate(error, path: path)
    }
    self.path = path
  }

  /// The path of an Optuna storage URL: `sqlite:///relative.db`, `sqlite:////absolute.db`,
  /// or a plain path. Other databases (PostgreSQL, MySQL) and query options are refused.
  public static func path(fromURL url: String) throws -> String {
    let prefix = "sqlite:///"
    if url.hasPrefix(prefix) {
      let rest = String(url.dropFirst(prefix.count))
      guard !rest.contains("?") else {
        throw OptunaFileError.invalidURL("'\(url)' has query options, which Hone does not take; give sqlite:///path.db or a path")
      }
      guard !rest.isEmpty else { throw OptunaFileError.invalidURL("'\(url)' names no file; give sqlite:///path.db or a path") }
      return rest.removingPercentEncoding ?? rest
    }
    guard !url.contains("://"), !url.hasPrefix("sqlite:") else {
      throw OptunaFileError.invalidURL(
        "'\(url)' is not an SQLite file; Hone reads and writes Optuna storages in SQLite files (sqlite:///relative.db, sqlite:////absolute.db or a path); copy other storages into one with optuna.copy_study")
    }
    guard !url.isEmpty else { throw OptunaFileError.invalidURL("the Optuna file is empty; give sqlite:///path.db or a path") }
    return url
  }

  /// The names of the file's studies, in order of creation.
  public func studyNames() throws -> [String] {
    try read { db in
      try Row.fetchAll(db, sql: "SELECT study_name FROM studies ORDER BY study_id").compactMap { _OptunaEncoding.text($0[0]) }
    }
  }

  /// Runs `body` in one read transaction, with SQLite's errors as `OptunaFileError`s.
  func read<T>(_ body: (Database) throws -> T) throws -> T {
    do {
      return try queue.read(body)
    } catch {
      throw Self.translate(error, path: path)
    }
  }

  /// Checks that the file is an Optuna storage at the head revision; returns its library version.
  private static func check(_ db: Database, path: String) throws -> String? {
    let applicationID = try Int.fetchOne(db, sql: "PRAGMA application_id") ?? 0
    if applicationID == Int(_SQLiteSchema.applicationID) { throw honeDatabase(path) }
    let tables = Set(try String.fetchAll(db, sql: "SELECT name FROM sqlite_master WHERE type = 'table'"))
    var studyColumns: [String] = []
    if tables.contains("studies") { studyColumns = try db.columns(in: "studies").map(\.name) }
    let isOptuna = studyColumns.contains("study_id") && (tables.contains("alembic_version") || tables.contains("version_info"))
    guard isOptuna else {
      throw OptunaFileError.notAnOptunaFile("\(path) is not an Optuna storage (it lacks Optuna's tables); check the path")
    }
    var revisions: [String] = []
    if tables.contains("alembic_version") {
      revisions = try DatabaseValue.fetchAll(db, sql: "SELECT version_num FROM alembic_version").compactMap(_OptunaEncoding.text)
    }
    let head = _OptunaSchema.headRevision
    guard revisions == [head] else {
      guard let revision = revisions.first else {
        throw OptunaFileError.unsupportedRevision(
          "\(path) has no Optuna schema revision; open it once with Optuna 3.2 or later, which stamps it \(head), then try again")
      }
      if _OptunaSchema.olderRevisions.contains(revision) {
        throw OptunaFileError.unsupportedRevision(
          "\(path) has Optuna schema revision \(revision); upgrade it to \(head) with `optuna storage upgrade --storage sqlite:///\(path)` (Optuna 3.2 or later), then try again")
      }
      throw OptunaFileError.unsupportedRevision(
        "\(path) has Optuna schema revision \(revisions.joined(separator: ", ")), which this Hone does not know; it reads \(head), the revision of Optuna 3.2 to 5.x")
    }
    let missing = _OptunaSchema.requiredTables.filter { !tables.contains($0) }
    guard missing.isEmpty else {
      throw OptunaFileError.corrupt("\(path) lacks the Optuna tables \(missing.joined(separator: ", ")); the file is damaged")
    }
    guard tables.contains("version_info") else { return nil }
    return try DatabaseValue.fetchOne(db, sql: "SELECT library_version FROM version_info").flatMap(_OptunaEncoding.text)
  }

  /// The first 100 bytes of the file (SQLite's header), nil when it cannot be read.
  private static func header(_ path: String) -> Data? {
    guard let handle = FileHandle(forReadingAtPath: path) else { return nil }
    defer { try? handle.close() }
    return try? handle.read(upToCount: 100)
  }

  private static func honeDatabase(_ path: String) -> OptunaFileError {
    .notAnOptunaFile("\(path) is a Hone database, not an Optuna storage; open it with --storage")
  }

  /// SQLite's errors as `OptunaFileError`s that say what to do; others pass through.
  static func translate(_ error: Error, path: String) -> Error {
    guard let error = error as? DatabaseError else { return error }
    switch error.resultCode {
    case .SQLITE_NOTADB:
      return OptunaFileError.notAnOptunaFile("\(path) is not an SQLite database, so not an Optuna storage; check the path")
    case .SQLITE_BUSY, .SQLITE_LOCKED:
      return OptunaFileError.backend("\(path) stayed locked by another process; try again once it has finished writing")
    default:
      return OptunaFileError.backend("SQLite error on \(path): \(error.message ?? "\(error.resultCode)")")
    }
  }
}
