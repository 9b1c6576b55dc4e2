import Foundation
import HoneTune
import PostgresNIO

/// The versioned schema of Hone's tables in a PostgreSQL database.
///
/// The tables are prefixed `hone_`, so they sit beside other tables (an Optuna schema, an
/// application's) without a clash. A trial is one row of `hone_trials`: its values, parameters
/// (names, internal values, distribution JSON) and intermediate values and vectors are array
/// columns (NaN kept as NaN), so reading or writing a trial touches one row. `hone_schema` holds the version. Opening a database checks it
/// inside one transaction that first takes a transaction-level advisory lock
/// (`pg_advisory_xact_lock`), so fifty workers that start at once migrate it once, one after
/// another, and none fails: the first creates or migrates, the others find it current.
///
/// Each study row carries the next trial number (`next_number`): creating a trial increments
/// it, which locks the study's row until the commit, so numbers are dense without retries.
/// Every other write touches only the trial it changes, so writers of different trials commit
/// (and share the log flushes of) their transactions at the same time. Each write stamps the
/// trials it touches with its transaction id (`changed`, `xid8`). A reader's snapshot has an
/// `xmin`: every transaction below it has ended, so a trial stamped below it that the reader did
/// not see is not there. Reading `changed >= xmin` of the previous read therefore finds every
/// trial written since — and, at most, some already read again.
enum PostgresSchema {
  /// The advisory lock key of migrations: "Hone" in ASCII.
  static let lockKey: Int64 = 0x486F_6E65
  /// `migrations[i]` brings a database from version i to version i + 1.
  static let migrations: [String] = [
    """
    CREATE TABLE hone_schema (version INTEGER NOT NULL);
    INSERT INTO hone_schema VALUES (0);
    CREATE TABLE hone_studies (
      id BIGSERIAL PRIMARY KEY,
      name TEXT NOT NULL UNIQUE,
      directions TEXT NOT NULL,
      user_attrs TEXT NOT NULL DEFAULT '{}',
      system_attrs TEXT NOT NULL DEFAULT '{}',
      next_number BIGINT NOT NULL DEFAULT 0,
      request_key UUID UNIQUE
    );
    CREATE TABLE hone_trials (
      id BIGSERIAL PRIMARY KEY,
      study_id BIGINT NOT NULL REFERENCES hone_studies(id) ON DELETE CASCADE,
      number BIGINT NOT NULL,
      state TEXT NOT NULL,
      datetime_start TIMESTAMPTZ,
      datetime_complete TIMESTAMPTZ,
      heartbeat TIMESTAMPTZ,
      user_attrs TEXT NOT NULL DEFAULT '{}',
      system_attrs TEXT NOT NULL DEFAULT '{}',
      changed XID8 NOT NULL,
      request_key UUID UNIQUE,
      vals FLOAT8[],
      param_names TEXT[] NOT NULL DEFAULT '{}',
      param_values FLOAT8[] NOT NULL DEFAULT '{}',
      param_distributions TEXT[] NOT NULL DEFAULT '{}',
      intermediate_steps BIGINT[] NOT NULL DEFAULT '{}',
      intermediate_values FLOAT8[] NOT NULL DEFAULT '{}',
      vector_steps BIGINT[] NOT NULL DEFAULT '{}',
      vector_values FLOAT8[] NOT NULL DEFAULT '{}',
      UNIQUE (study_id, number)
    );
    CREATE INDEX hone_trials_by_change ON hone_trials (study_id, changed);
    CREATE INDEX hone_trials_by_state ON hone_trials (study_id, state, number);
    """,
  ]

  /// The schema version this build writes.
  static var currentVersion: Int { migrations.count }

  /// Checks the database and brings it to the current version, under the advisory lock.
  static func prepare(_ session: PostgresSession, url: PostgresURL, create: Bool) throws {
    try session.transaction {
      try session.query("SELECT pg_advisory_xact_lock(\(lockKey))")
      let found = try session.query("SELECT to_regclass('hone_schema') IS NOT NULL, to_regclass('hone_studies') IS NOT NULL")
      let (hasVersion, hasStudies) = try found[0].decode((Bool, Bool).self)
      var version = 0
      if hasVersion {
        version = try session.query("SELECT version FROM hone_schema")[0].decode(Int.self)
      } else if hasStudies {
        throw StorageError.notAHoneDatabase("database '\(url.database)' on \(url.host):\(url.port) has a hone_studies table but no hone_schema: it was not written by Hone; use another database")
      }
      guard hasVersion || create else {
        throw StorageError.databaseNotFound("database '\(url.database)' on \(url.host):\(url.port) holds no Hone studies; create a study first (hone study create) or check --storage")
      }
      guard version <= currentVersion else {
        throw StorageError.newerSchema("database '\(url.database)' on \(url.host):\(url.port) has Hone schema version \(version), newer than this Hone understands (\(currentVersion)); upgrade Hone to open it")
      }
      for step in version..<currentVersion {
        for statement in migrations[step].components(separatedBy: ";\n") where !statement.allSatisfy(\.isWhitespace) {
          try session.query(PostgresQuery(unsafeSQL: statement))
        }
      }
      if version < currentVersion { try session.query("UPDATE hone_schema SET version = \(currentVersion)") }
    }
  }
}
