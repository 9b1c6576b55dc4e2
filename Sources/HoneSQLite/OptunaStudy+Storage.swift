import Foundation
import GRDB
import HoneTune

extension OptunaStudy {
  /// Writes the study into `storage` as a new study called `newName` (default: its own
  /// name), with its attributes and every trial in number order, created from its template
  /// in its state. Refuses a name the storage already has. When a write fails midway, the
  /// partly written study is deleted, so the storage is left as it was.
  ///
  /// In an SQLite storage the trials keep Optuna's datetimes; other storages stamp them with
  /// the time of the import (a warning says so). Returns the reader's warnings and the writer's.
  /// O(trials + parameters), one storage call per trial.
  public func write(into storage: any Storage, as newName: String? = nil) throws -> OptunaTransferSummary {
    let target = newName ?? name
    if (try? storage.studyID(name: target)) != nil {
      throw OptunaFileError.alreadyExists("Hone already has a study named '\(target)'; import it under another name (--study NEW_NAME) or delete that study first")
    }
    let studyID = try storage.createStudy(name: target, directions: directions)
    var warnings = self.warnings
    do {
      for (key, value) in userAttrs.sorted(by: { $0.key < $1.key }) {
        try storage.setStudyUserAttr(studyID: studyID, key: key, value: value)
      }
      for (key, value) in systemAttrs.sorted(by: { $0.key < $1.key }) {
        try storage.setStudySystemAttr(studyID: studyID, key: key, value: value)
      }
      var stamps: [_OptunaStamp] = []
      stamps.reserveCapacity(trials.count)
      for trial in trials {
        let created = try storage.createTrial(studyID: studyID, template: trial.template)
        stamps.append(_OptunaStamp(trialID: created.id, start: trial.datetimeStart, complete: trial.datetimeComplete))
      }
      if let sqlite = storage as? SQLiteStorage {
        try sqlite.restoreDatetimes(stamps)
      } else if stamps.contains(where: { $0.start != nil || $0.complete != nil }) {
        warnings.append("this storage cannot set trial datetimes: the trials carry the time of the import instead of Optuna's")
      }
    } catch {
      try? storage.deleteStudy(id: studyID)
      throw error
    }
    return OptunaTransferSummary(study: target, trials: trials.count, warnings: warnings)
  }
}

/// The datetimes a created trial takes from Optuna.
struct _OptunaStamp {
  var trialID: Int
  var start: Date?
  var complete: Date?
}

extension SQLiteStorage {
  /// Sets the datetimes of created trials, in one transaction; a nil datetime keeps the
  /// stored one.
  func restoreDatetimes(_ stamps: [_OptunaStamp]) throws {
    try write { db in
      for stamp in stamps where stamp.start != nil || stamp.complete != nil {
        try db.run("""
          UPDATE trials SET datetime_start = COALESCE(?, datetime_start), datetime_complete = COALESCE(?, datetime_complete)
          WHERE id = ?
          """, [stamp.start?.timeIntervalSince1970, stamp.complete?.timeIntervalSince1970, stamp.trialID])
      }
    }
  }
}
