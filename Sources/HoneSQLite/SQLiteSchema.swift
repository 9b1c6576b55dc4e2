import GRDB
import HoneTune

/// The versioned schema of a Hone SQLite database.
///
/// A Hone database carries `PRAGMA application_id = 0x486F6E65` ("Hone") and its schema
/// version in `PRAGMA user_version`. Opening a file checks both inside one `BEGIN IMMEDIATE`
/// transaction: an empty file gets the newest schema; an older Hone schema is migrated one
/// step at a time; anything else (another SQLite file, a newer Hone) is refused untouched.
enum _SQLiteSchema {
  static let applicationID: Int32 = 0x486F_6E65
  /// `migrations[i]` brings a database from version i to version i + 1.
  static let migrations: [@Sendable (Database) throws -> Void] = [
    { try $0.execute(sql: """
    CREATE TABLE studies (
      id INTEGER PRIMARY KEY AUTOINCREMENT,
      name TEXT NOT NULL UNIQUE,
      directions TEXT NOT NULL,
      user_attrs TEXT NOT NULL DEFAULT '{}',
      system_attrs TEXT NOT NULL DEFAULT '{}'
    );
    CREATE TABLE trials (
      id INTEGER PRIMARY KEY AUTOINCREMENT,
      study_id INTEGER NOT NULL REFERENCES studies(id) ON DELETE CASCADE,
      number INTEGER NOT NULL,
      state TEXT NOT NULL,
      datetime_start REAL,
      datetime_complete REAL,
      heartbeat REAL,
      user_attrs TEXT NOT NULL DEFAULT '{}',
      system_attrs TEXT NOT NULL DEFAULT '{}',
      UNIQUE (study_id, number)
    );
    CREATE INDEX trials_by_state ON trials(study_id, state, number);
    CREATE TABLE trial_values (
      trial_id INTEGER NOT NULL REFERENCES trials(id) ON DELETE CASCADE,
      objective INTEGER NOT NULL,
      value REAL NOT NULL,
      PRIMARY KEY (trial_id, objective)
    ) WITHOUT ROWID;
    CREATE TABLE trial_params (
      trial_id INTEGER NOT NULL REFERENCES trials(id) ON DELETE CASCADE,
      name TEXT NOT NULL,
      value REAL NOT NULL,
      distribution TEXT NOT NULL,
      PRIMARY KEY (trial_id, name)
    ) WITHOUT ROWID;
    CREATE TABLE trial_intermediate_values (
      trial_id INTEGER NOT NULL REFERENCES trials(id) ON DELETE CASCADE,
      step INTEGER NOT NULL,
      value REAL,
      PRIMARY KEY (trial_id, step)
    ) WITHOUT ROWID;
    """) },
    { try $0.execute(sql: """
    CREATE TABLE trial_intermediate_vectors (
      trial_id INTEGER NOT NULL REFERENCES trials(id) ON DELETE CASCADE,
      step INTEGER NOT NULL,
      objective INTEGER NOT NULL,
      value REAL,
      PRIMARY KEY (trial_id, step, objective)
    ) WITHOUT ROWID;
    """) },
    SQLiteStorage.migrateParamRowsToBlocks,
    // v4: each study's change counter and each trial's stamp (the counter of its last write);
    // the trials of an older file count as written at 1.
    { try $0.execute(sql: """
    ALTER TABLE studies ADD COLUMN changes INTEGER NOT NULL DEFAULT 0;
    ALTER TABLE trials ADD COLUMN changed INTEGER NOT NULL DEFAULT 0;
    UPDATE studies SET changes = 1 WHERE id IN (SELECT study_id FROM trials);
    UPDATE trials SET changed = 1;
    CREATE INDEX trials_by_change ON trials(study_id, changed);
    """) },
  ]

  /// The schema version this build writes.
  static var currentVersion: Int { migrations.count }

  /// Checks, without writing, that the file is a Hone database this build can read at its
  /// current version (for a read-only connection).
  static func check(_ db: Database, path: String) throws {
    let applicationID = try Int32.fetchOne(db, sql: "PRAGMA application_id") ?? 0
    let version = try Int.fetchOne(db, sql: "PRAGMA user_version") ?? 0
    guard applicationID == Self.applicationID else {
      throw StorageError.notAHoneDatabase("\(path) is not a Hone database; give another path")
    }
    guard version == currentVersion else {
      throw StorageError.newerSchema("\(path) has schema version \(version), and this Hone reads version \(currentVersion) without writing; open it with space to write")
    }
  }

  /// Checks the file and brings it to the current version, inside the caller's transaction.
  static func prepare(_ db: Database, path: String) throws {
    let applicationID = try Int32.fetchOne(db, sql: "PRAGMA application_id") ?? 0
    let version = try Int.fetchOne(db, sql: "PRAGMA user_version") ?? 0
    let tableCount = try Int.fetchOne(db, sql: "SELECT COUNT(*) FROM sqlite_master") ?? 0
    if applicationID != Self.applicationID {
      guard applicationID == 0, version == 0, tableCount == 0 else {
        throw StorageError.notAHoneDatabase("\(path) is an SQLite database but not a Hone database; give another path")
      }
      try db.execute(sql: "PRAGMA application_id = \(Self.applicationID)")
    }
    guard version >= 0 else {
      throw StorageError.notAHoneDatabase("\(path) has schema version \(version), which no Hone writes; the file is damaged or not Hone's")
    }
    guard version <= currentVersion else {
      throw StorageError.newerSchema(
        "\(path) has schema version \(version), newer than this Hone understands (\(currentVersion)); upgrade Hone to open it")
    }
    for step in version..<currentVersion { try migrations[step](db) }
    if version < currentVersion { try db.execute(sql: "PRAGMA user_version = \(currentVersion)") }
  }
}
