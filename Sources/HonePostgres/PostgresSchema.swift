import Foundation
import HoneTune
import PostgresNIO

/// The versioned schema of Hone's tables in a PostgreSQL database.
///
/// The tables are prefixed `hone_`, so they sit beside other tables (an Optuna schema, an
/// application's) without a clash. `hone_schema` holds the version. Opening a database checks it
/// inside one transaction that first takes a transaction-level advisory lock
/// (`pg_advisory_xact_lock`), so fifty workers that start at once migrate it once, one after
/// another, and none fails: the first creates or migrates, the others find it current.
///
/// Each study row carries a change counter (`changes`) and the next trial number
/// (`next_number`). A write to a study's trials increments the counter in its first statement,
/// which locks the study's row until the commit, and stamps each trial it touches with the new
/// value (`changed`). Writes to one study are therefore serialized in counter order, so trial
/// numbers are dense without retries, locks are always taken study first (no deadlock), and a
/// reader that has seen every change up to `k` reads what changed since with `changed > k`.
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
      changes BIGINT NOT NULL DEFAULT 0,
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
      changed BIGINT NOT NULL,
      request_key UUID UNIQUE,
      UNIQUE (study_id, number)
    );
    CREATE INDEX hone_trials_by_change ON hone_trials (study_id, changed);
    CREATE INDEX hone_trials_by_state ON hone_trials (study_id, state, number);
    CREATE TABLE hone_trial_values (
      trial_id BIGINT NOT NULL REFERENCES hone_trials(id) ON DELETE CASCADE,
      objective INTEGER NOT NULL,
      value DOUBLE PRECISION NOT NULL,
      PRIMARY KEY (trial_id, objective)
    );
    CREATE TABLE hone_trial_params (
      trial_id BIGINT NOT NULL REFERENCES hone_trials(id) ON DELETE CASCADE,
      name TEXT NOT NULL,
      value DOUBLE PRECISION NOT NULL,
      distribution TEXT NOT NULL,
      PRIMARY KEY (trial_id, name)
    );
    CREATE TABLE hone_trial_intermediate_values (
      trial_id BIGINT NOT NULL REFERENCES hone_trials(id) ON DELETE CASCADE,
      step BIGINT NOT NULL,
      value DOUBLE PRECISION NOT NULL,
      PRIMARY KEY (trial_id, step)
    );
    CREATE TABLE hone_trial_intermediate_vectors (
      trial_id BIGINT NOT NULL REFERENCES hone_trials(id) ON DELETE CASCADE,
      step BIGINT NOT NULL,
      objective INTEGER NOT NULL,
      value DOUBLE PRECISION NOT NULL,
      PRIMARY KEY (trial_id, step, objective)
    );
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
