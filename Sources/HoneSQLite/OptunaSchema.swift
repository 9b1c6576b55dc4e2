import HoneTune

/// The schema of Optuna's RDB storage on SQLite, as Optuna 3.2 to 5.x create it, and the
/// names it stores for states and directions.
enum _OptunaSchema {
  /// The alembic revision of that schema (`alembic_version.version_num`); no revision was
  /// added after Optuna 3.2.
  static let headRevision = "v3.2.0.a"
  /// The revisions before the head, oldest first: files that `optuna storage upgrade` brings
  /// to the head.
  static let olderRevisions = ["v0.9.0.a", "v1.2.0.a", "v1.3.0.a", "v2.4.0.a", "v2.6.0.a", "v3.0.0.a", "v3.0.0.b",
                               "v3.0.0.c", "v3.0.0.d"]
  /// `version_info.schema_version`, frozen at 12 since Optuna 2.
  static let schemaVersion = 12
  /// `version_info.library_version` of the files Hone writes (Optuna shows it only in messages).
  static let libraryVersion = "hone (optuna 5 format)"
  /// The tables a file must have to be read; the others are created by Optuna when missing.
  static let requiredTables = ["studies", "study_directions", "study_user_attributes", "study_system_attributes",
                               "trials", "trial_params", "trial_values", "trial_intermediate_values",
                               "trial_user_attributes", "trial_system_attributes"]

  /// The DDL Optuna 5 emits on a new SQLite file: every table and index.
  static let ddl = """
    CREATE TABLE studies (
    \tstudy_id INTEGER NOT NULL,
    \tstudy_name VARCHAR(512) NOT NULL,
    \tPRIMARY KEY (study_id)
    );
    CREATE UNIQUE INDEX ix_studies_study_name ON studies (study_name);
    CREATE TABLE version_info (
    \tversion_info_id INTEGER NOT NULL,
    \tschema_version INTEGER,
    \tlibrary_version VARCHAR(256),
    \tPRIMARY KEY (version_info_id),
    \tCHECK (version_info_id=1)
    );
    CREATE TABLE study_directions (
    \tstudy_direction_id INTEGER NOT NULL,
    \tdirection VARCHAR(8) NOT NULL,
    \tstudy_id INTEGER NOT NULL,
    \tobjective INTEGER NOT NULL,
    \tPRIMARY KEY (study_direction_id),
    \tUNIQUE (study_id, objective),
    \tFOREIGN KEY(study_id) REFERENCES studies (study_id)
    );
    CREATE TABLE study_user_attributes (
    \tstudy_user_attribute_id INTEGER NOT NULL,
    \tstudy_id INTEGER,
    \t"key" VARCHAR(512),
    \tvalue_json TEXT,
    \tPRIMARY KEY (study_user_attribute_id),
    \tUNIQUE (study_id, "key"),
    \tFOREIGN KEY(study_id) REFERENCES studies (study_id)
    );
    CREATE TABLE study_system_attributes (
    \tstudy_system_attribute_id INTEGER NOT NULL,
    \tstudy_id INTEGER,
    \t"key" VARCHAR(512),
    \tvalue_json TEXT,
    \tPRIMARY KEY (study_system_attribute_id),
    \tUNIQUE (study_id, "key"),
    \tFOREIGN KEY(study_id) REFERENCES studies (study_id)
    );
    CREATE TABLE trials (
    \ttrial_id INTEGER NOT NULL,
    \tnumber INTEGER,
    \tstudy_id INTEGER,
    \tstate VARCHAR(8) NOT NULL,
    \tdatetime_start DATETIME,
    \tdatetime_complete DATETIME,
    \tPRIMARY KEY (trial_id),
    \tFOREIGN KEY(study_id) REFERENCES studies (study_id)
    );
    CREATE INDEX ix_trials_study_id ON trials (study_id);
    CREATE TABLE trial_user_attributes (
    \ttrial_user_attribute_id INTEGER NOT NULL,
    \ttrial_id INTEGER,
    \t"key" VARCHAR(512),
    \tvalue_json TEXT,
    \tPRIMARY KEY (trial_user_attribute_id),
    \tUNIQUE (trial_id, "key"),
    \tFOREIGN KEY(trial_id) REFERENCES trials (trial_id)
    );
    CREATE TABLE trial_system_attributes (
    \ttrial_system_attribute_id INTEGER NOT NULL,
    \ttrial_id INTEGER,
    \t"key" VARCHAR(512),
    \tvalue_json TEXT,
    \tPRIMARY KEY (trial_system_attribute_id),
    \tUNIQUE (trial_id, "key"),
    \tFOREIGN KEY(trial_id) REFERENCES trials (trial_id)
    );
    CREATE TABLE trial_params (
    \tparam_id INTEGER NOT NULL,
    \ttrial_id INTEGER,
    \tparam_name VARCHAR(512),
    \tparam_value FLOAT,
    \tdistribution_json TEXT,
    \tPRIMARY KEY (param_id),
    \tUNIQUE (trial_id, param_name),
    \tFOREIGN KEY(trial_id) REFERENCES trials (trial_id)
    );
    CREATE TABLE trial_values (
    \ttrial_value_id INTEGER NOT NULL,
    \ttrial_id INTEGER NOT NULL,
    \tobjective INTEGER NOT NULL,
    \tvalue FLOAT,
    \tvalue_type VARCHAR(7) NOT NULL,
    \tPRIMARY KEY (trial_value_id),
    \tUNIQUE (trial_id, objective),
    \tFOREIGN KEY(trial_id) REFERENCES trials (trial_id)
    );
    CREATE TABLE trial_intermediate_values (
    \ttrial_intermediate_value_id INTEGER NOT NULL,
    \ttrial_id INTEGER NOT NULL,
    \tstep INTEGER NOT NULL,
    \tintermediate_value FLOAT,
    \tintermediate_value_type VARCHAR(7) NOT NULL,
    \tPRIMARY KEY (trial_intermediate_value_id),
    \tUNIQUE (trial_id, step),
    \tFOREIGN KEY(trial_id) REFERENCES trials (trial_id)
    );
    CREATE TABLE trial_heartbeats (
    \ttrial_heartbeat_id INTEGER NOT NULL,
    \ttrial_id INTEGER NOT NULL,
    \theartbeat DATETIME NOT NULL,
    \tPRIMARY KEY (trial_heartbeat_id),
    \tUNIQUE (trial_id),
    \tFOREIGN KEY(trial_id) REFERENCES trials (trial_id)
    );
    CREATE TABLE alembic_version (
    \tversion_num VARCHAR(32) NOT NULL,
    \tCONSTRAINT alembic_version_pkc PRIMARY KEY (version_num)
    );
    """

  /// The system attributes Hone itself reads or writes, of trials and studies (the CLI's
  /// `cli_seed` and the heartbeat policy included).
  static let honeSystemKeys: Set<String> = [
    FrozenTrial.constraintsKey, "fixed_params", "fail_reason", "retry_of", CMAESSampler.stateKey, CMAESSampler.trialKey,
    GPSampler.hyperparametersKey, TPESampler.relativeParamsKey, NSGAIISampler.generationKey, LearningCurvePruner.stoppedKey,
    "predictor:restart", "learning_curve_stopped", "heartbeat", "cli_seed",
  ]
  /// Prefixes of the system attributes Hone writes with a number at the end.
  static let honeSystemPrefixes = ["completed_rung_", "nsga2:parents:"]

  /// Whether Hone reads or writes the system attribute `key`.
  static func honeUses(_ key: String) -> Bool {
    honeSystemKeys.contains(key) || honeSystemPrefixes.contains { key.hasPrefix($0) }
  }

  /// Whether Optuna reads the trial system attribute `key`: constraints, enqueued
  /// parameters and the successive-halving rungs (which Hone writes the same way).
  static func optunaUses(_ key: String) -> Bool {
    key == FrozenTrial.constraintsKey || key.hasPrefix(FrozenTrial.constraintsKey + ":") || key == "fixed_params"
      || key.hasPrefix("completed_rung_")
  }

  /// Optuna's name of a trial state (`trials.state`).
  static func stateName(_ state: TrialState) -> String {
    switch state {
    case .running: return "RUNNING"
    case .waiting: return "WAITING"
    case .complete: return "COMPLETE"
    case .pruned: return "PRUNED"
    case .failed: return "FAIL"
    }
  }

  /// The trial state of Optuna's name; nil for anything else (lower case included, which
  /// Optuna cannot load either).
  static func state(named name: String) -> TrialState? {
    TrialState.allCases.first { stateName($0) == name }
  }

  /// Optuna's name of a direction (`study_directions.direction`).
  static func directionName(_ direction: StudyDirection) -> String {
    direction == .minimize ? "MINIMIZE" : "MAXIMIZE"
  }
}
