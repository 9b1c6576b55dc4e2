import Foundation
import GRDB
import HoneTune

extension OptunaStudyFile {
  /// Writes the Hone study `name` of `storage` as a new Optuna file at `path`, which Optuna
  /// 3.2 to 5.x open (`optuna.load_study`) and can continue: Optuna 5's exact schema,
  /// `version_info` and the alembic revision `v3.2.0.a`, then the study and its trials in
  /// one transaction, encoded as Optuna does (upper-case states, directions in objective
  /// order, values with their value type, a categorical's index as a float, the named
  /// distribution JSON with float bounds as JSON floats, datetimes as naive UTC
  /// `YYYY-MM-DD HH:MM:SS.ffffff`, constraints as the `constraints` system attribute).
  ///
  /// The file is written under a temporary name beside `path` and renamed when complete, so
  /// a failure leaves nothing behind. Refuses an existing `path`. What Optuna cannot hold
  /// (intermediate vectors of several objectives) or ignores (Hone's own system attributes,
  /// written as they are) is reported in the warnings. O(trials + parameters).
  public static func export(study name: String, from storage: any Storage, to path: String) throws -> OptunaTransferSummary {
    let files = FileManager.default
    guard !files.fileExists(atPath: path) else {
      throw OptunaFileError.alreadyExists("\(path) exists; give a new file name (an export never writes into an existing file)")
    }
    let target = URL(fileURLWithPath: path)
    let folder = target.deletingLastPathComponent().path
    var isFolder: ObjCBool = false
    guard files.fileExists(atPath: folder, isDirectory: &isFolder), isFolder.boolValue else {
      throw OptunaFileError.invalidURL("the folder \(folder) of \(path) does not exist; create it first")
    }
    let studyID = try storage.studyID(name: name)
    let directions = try storage.directions(studyID: studyID)
    let userAttrs = try storage.studyUserAttrs(studyID: studyID)
    let systemAttrs = try storage.studySystemAttrs(studyID: studyID)
    let trials = try storage.trials(studyID: studyID, states: nil)
    let study = _OptunaExportedStudy(name: name, directions: directions, userAttrs: userAttrs, systemAttrs: systemAttrs, trials: trials)
    let temporary = folder + "/." + target.lastPathComponent + ".hone-\(UUID().uuidString).tmp"
    var notes = _OptunaNotes()
    do {
      let queue = try DatabaseQueue(path: temporary)
      do {
        try queue.write { db in try study.write(db, notes: &notes) }
      } catch {
        try? queue.close()
        throw error
      }
      try queue.close()
      guard !files.fileExists(atPath: path) else {
        throw OptunaFileError.alreadyExists("\(path) appeared while the export was written; give a new file name")
      }
      try files.moveItem(atPath: temporary, toPath: path)
    } catch {
      for suffix in ["", "-journal", "-wal", "-shm"] { try? files.removeItem(atPath: temporary + suffix) }
      if let error = error as? DatabaseError {
        throw OptunaFileError.backend("cannot write \(path): \(error.message ?? "\(error.resultCode)")")
      }
      throw error
    }
    return OptunaTransferSummary(study: name, trials: study.trials.count, warnings: notes.lines)
  }
}

/// A Hone study as read through `Storage`, with the rows Optuna stores for it.
struct _OptunaExportedStudy {
  var name: String
  var directions: [StudyDirection]
  var userAttrs: [String: JSONValue]
  var systemAttrs: [String: JSONValue]
  var trials: [FrozenTrial]

  /// Creates the schema and writes every row, inside the caller's transaction.
  func write(_ db: Database, notes: inout _OptunaNotes) throws {
    try db.execute(sql: _OptunaSchema.ddl)
    try db.execute(sql: "INSERT INTO version_info (version_info_id, schema_version, library_version) VALUES (1, ?, ?)",
                   arguments: [_OptunaSchema.schemaVersion, _OptunaSchema.libraryVersion])
    try db.execute(sql: "INSERT INTO alembic_version (version_num) VALUES (?)", arguments: [_OptunaSchema.headRevision])
    try db.execute(sql: "INSERT INTO studies (study_name) VALUES (?)", arguments: [name])
    let studyID = db.lastInsertedRowID
    for (objective, direction) in directions.enumerated() {
      try db.execute(sql: "INSERT INTO study_directions (direction, study_id, objective) VALUES (?, ?, ?)",
                     arguments: [_OptunaSchema.directionName(direction), studyID, objective])
    }
    try insertAttributes(db, table: "study_user_attributes", owner: "study_id", id: studyID, userAttrs)
    try insertAttributes(db, table: "study_system_attributes", owner: "study_id", id: studyID, systemAttrs)
    let honeStudyKeys = systemAttrs.keys.filter(_OptunaSchema.honeUses).sorted()
    if !honeStudyKeys.isEmpty {
      notes.add("Hone's study system attributes \(honeStudyKeys.joined(separator: ", ")) were written as they are; Optuna ignores them")
    }
    var distributionTexts: [Distribution: String] = [:]
    var honeTrialKeys: [String: Int] = [:]
    var checkedChoices: Set<String> = []
    for trial in trials.sorted(by: { $0.number < $1.number }) {
      try db.run("INSERT INTO trials (number, study_id, state, datetime_start, datetime_complete) VALUES (?, ?, ?, ?, ?)",
                 [trial.number, studyID, _OptunaSchema.stateName(trial.state),
                  trial.datetimeStart.map(_OptunaEncoding.datetimeText), trial.datetimeComplete.map(_OptunaEncoding.datetimeText)])
      let trialID = db.lastInsertedRowID
      if trial.state == .complete || trial.state == .pruned {
        for (objective, value) in (trial.values ?? []).enumerated() {
          guard !value.isNaN else {
            notes.add("a NaN objective value cannot be held by Optuna; it was left out", trial: trial.number)
            continue
          }
          try db.run("INSERT INTO trial_values (trial_id, objective, value, value_type) VALUES (?, ?, ?, ?)",
                     [trialID, objective, value.isFinite ? value : nil, Self.valueType(value)])
        }
      }
      for (name, value) in trial.params.sorted(by: { $0.key < $1.key }) {
        guard let distribution = trial.distributions[name] else {
          notes.add("parameter '\(name)' has no distribution; it was left out", trial: trial.number)
          continue
        }
        let text: String
        if let known = distributionTexts[distribution] {
          text = known
        } else {
          text = _OptunaDistributionJSON.json(distribution).description
          distributionTexts[distribution] = text
        }
        if case .categorical(let choices) = distribution, checkedChoices.insert(name + "\u{0}" + text).inserted {
          let pairs = _OptunaDistributionJSON.pythonEqualChoices(choices)
          if !pairs.isEmpty {
            notes.add("parameter '\(name)': the choices \(pairs.joined(separator: "; ")) are equal in Python, so Optuna maps both to the first when it continues the study")
          }
        }
        let internalValue = try distribution.internalValue(of: value)
        try db.run("INSERT INTO trial_params (trial_id, param_name, param_value, distribution_json) VALUES (?, ?, ?, ?)",
                   [trialID, name, internalValue, text])
      }
      for (step, value) in trial.intermediateValues.sorted(by: { $0.key < $1.key }) {
        try db.run("""
          INSERT INTO trial_intermediate_values (trial_id, step, intermediate_value, intermediate_value_type) VALUES (?, ?, ?, ?)
          """, [trialID, step, value.isFinite ? value : nil, value.isNaN ? "NAN" : Self.valueType(value)])
      }
      if !trial.intermediateVectors.isEmpty {
        notes.add("intermediate vectors (one value per objective) cannot be held by Optuna, whose intermediate values have one objective; they were left out",
                  trial: trial.number)
      }
      try insertAttributes(db, table: "trial_user_attributes", owner: "trial_id", id: trialID, trial.userAttrs)
      try insertAttributes(db, table: "trial_system_attributes", owner: "trial_id", id: trialID, trial.systemAttrs)
      for key in trial.systemAttrs.keys where _OptunaSchema.honeUses(key) && !_OptunaSchema.optunaUses(key) {
        honeTrialKeys[key, default: 0] += 1
      }
      if trial.state == .running {
        notes.add("running: exported as RUNNING, which Optuna keeps until a worker finishes it", trial: trial.number)
      }
    }
    if !honeTrialKeys.isEmpty {
      let list = honeTrialKeys.sorted { $0.key < $1.key }.map { "\($0.key) (\($0.value) trial\($0.value > 1 ? "s" : ""))" }
      notes.add("Hone's trial system attributes were written as they are; Optuna ignores them: \(list.joined(separator: ", "))")
    }
  }

  /// Optuna's value type of a non-NaN value: `FINITE`, `INF_POS` or `INF_NEG`.
  static func valueType(_ value: Double) -> String {
    value.isFinite ? "FINITE" : value > 0 ? "INF_POS" : "INF_NEG"
  }

  /// One row per attribute, keys sorted, each value as JSON text (statements are cached:
  /// a study writes thousands of rows).
  private func insertAttributes(_ db: Database, table: String, owner: String, id: Int64, _ attributes: [String: JSONValue]) throws {
    for (key, value) in attributes.sorted(by: { $0.key < $1.key }) {
      try db.run("INSERT INTO \(table) (\(owner), \"key\", value_json) VALUES (?, ?, ?)", [id, key, value.description])
    }
  }
}
