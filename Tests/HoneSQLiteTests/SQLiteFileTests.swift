import Foundation
import Testing
import GRDB
@testable import HoneSQLite
import HoneTestSupport
import HoneTune

/// What happens to files that are not (this version's) Hone databases, and to locks.
@Suite struct SQLiteFileTests {
  @Test func reopensAndKeepsEverything() throws {
    let path = try TemporaryFolder.make().appendingPathComponent("a.db").path
    do {
      let s = try SQLiteStorage(path: path)
      let id = try s.createStudy(name: "kept", directions: [.maximize])
      let t = try s.createTrial(studyID: id, template: nil)
      try s.setParams(trialID: t.id, [("x", .double(0.5), .float(low: 0, high: 1))])
      try s.finishTrial(trialID: t.id, state: .complete, values: [3])
    }
    let s = try SQLiteStorage(path: path)
    let trial = try s.trials(studyID: try s.studyID(name: "kept"), states: nil)[0]
    #expect(trial.values == [3] && trial.params == ["x": .double(0.5)])
    let journal = try DatabaseQueue(path: path).read { try String.fetchOne($0, sql: "PRAGMA journal_mode") }
    #expect(journal == "wal")
  }

  @Test func refusesFilesThatAreNotHoneDatabasesAndLeavesThemUntouched() throws {
    let folder = try TemporaryFolder.make()
    let text = folder.appendingPathComponent("notes.txt")
    try Data("just some text, long enough to look like a header.....................................\n".utf8).write(to: text)
    let foreign = folder.appendingPathComponent("other.db")
    try DatabaseQueue(path: foreign.path).write { try $0.execute(sql: "CREATE TABLE people (name TEXT); INSERT INTO people VALUES ('ada')") }
    for url in [text, foreign] {
      let before = try Data(contentsOf: url)
      #expect { try SQLiteStorage(path: url.path) } throws: { error in
        guard case StorageError.notAHoneDatabase(let m) = error else { return false }
        return m.contains(url.lastPathComponent)
      }
      #expect(try Data(contentsOf: url) == before)
    }
    #expect(throws: StorageError.self) { try SQLiteStorage(path: folder.appendingPathComponent("missing/x.db").path) }
  }

  @Test func refusesNewerSchema() throws {
    let path = try TemporaryFolder.make().appendingPathComponent("new.db").path
    _ = try SQLiteStorage(path: path)
    try DatabaseQueue(path: path).writeWithoutTransaction { try $0.execute(sql: "PRAGMA user_version = 99") }
    let before = try Data(contentsOf: URL(fileURLWithPath: path))
    #expect { try SQLiteStorage(path: path) } throws: { error in
      guard case StorageError.newerSchema(let m) = error else { return false }
      return m.contains("99") && m.contains("upgrade")
    }
    #expect(try Data(contentsOf: URL(fileURLWithPath: path)) == before)
  }

  /// A database of schema version 1 (parameters as rows, no intermediate vectors), written
  /// as that version wrote it, is migrated on open to the current version and keeps its
  /// trials, parameters and distributions.
  @Test func migratesVersion1() throws {
    let path = try TemporaryFolder.make().appendingPathComponent("v1.db").path
    try DatabaseQueue(path: path).writeWithoutTransaction { db in
      try _SQLiteSchema.migrations[0](db)
      try db.execute(sql: """
        PRAGMA application_id = \(_SQLiteSchema.applicationID); PRAGMA user_version = 1;
        INSERT INTO studies (id, name, directions) VALUES (1, 'old', '["minimize"]');
        INSERT INTO trials (id, study_id, number, state) VALUES (1, 1, 0, 'complete'), (2, 1, 1, 'complete');
        INSERT INTO trial_values VALUES (1, 0, 1), (2, 0, 2);
        INSERT INTO trial_params VALUES
          (1, 'lr', 0.01, '{"type":"float","low":0.0001,"high":1,"log":true}'),
          (1, 'opt', 1, '{"type":"categorical","choices":["sgd","adam"]}'),
          (2, 'lr', 0.1, '{"type":"float","low":0.0001,"high":1,"log":true}'),
          (2, 'opt', 0, '{"type":"categorical","choices":["sgd","adam"]}');
        """)
    }
    let s = try SQLiteStorage(path: path)
    let version = try DatabaseQueue(path: path).read { try Int.fetchOne($0, sql: "PRAGMA user_version") }
    #expect(version == _SQLiteSchema.currentVersion && version == 4)
    let id = try s.studyID(name: "old")
    let trials = try s.trials(studyID: id, states: nil)
    #expect(trials.map(\.values) == [[1], [2]])
    #expect(trials.map(\.params) == [["lr": .double(0.01), "opt": .string("adam")], ["lr": .double(0.1), "opt": .string("sgd")]])
    #expect(trials[0].distributions["opt"] == .categorical([.string("sgd"), .string("adam")]))
    #expect(trials[1].distributions["lr"] == .float(low: 1e-4, high: 1, log: true, step: nil))
    let layouts = try DatabaseQueue(path: path).read { try Int.fetchOne($0, sql: "SELECT COUNT(*) FROM param_layouts") }
    #expect(layouts == 1)  // both trials share one layout
    #expect(try s.trials(studyID: id, changedSince: 0).trials.map(\.number) == [0, 1])  // stamped by the migration
    let t = try s.createTrial(studyID: id, template: nil)
    try s.setIntermediateVector(trialID: t.id, step: 0, values: [1, 2])
    #expect(try s.trial(id: t.id).intermediateVectors == [0: [1, 2]])
  }

  @Test func lockedPastTheBusyTimeoutIsAClearErrorAndWritesNothing() throws {
    let path = try TemporaryFolder.make().appendingPathComponent("l.db").path
    let storage = try SQLiteStorage(path: path, busyTimeout: 0.2)
    let study = try storage.createStudy(name: "s", directions: [.minimize])
    let holder = try DatabaseQueue(path: path)
    let started = Date()
    try holder.writeWithoutTransaction { db in
      try db.execute(sql: "BEGIN EXCLUSIVE")
      #expect { try storage.createTrial(studyID: study, template: nil) } throws: { error in
        guard case StorageError.locked(let m) = error else { return false }
        return m.contains("locked") && m.contains("timeout")
      }
      try db.execute(sql: "ROLLBACK")
    }
    #expect(Date().timeIntervalSince(started) >= 0.2)
    #expect(try storage.trials(studyID: study, states: nil).isEmpty)
  }

  @Test func storageURLs() throws {
    #expect(try StorageURL.open("memory:") is InMemoryStorage)
    let folder = try TemporaryFolder.make()
    let absolute = try StorageURL.open("sqlite:///\(folder.path)/x.db?timeout=2&synchronous=full") as! SQLiteStorage
    #expect(absolute.path == folder.path + "/x.db" && absolute.busyTimeout == 2)
    for bad in ["postgres://x", "sqlite://x.db", "sqlite:///", "sqlite:///x.db?timeout=abc", "sqlite:///x.db?mode=ro", "sqlite:///x.db?synchronous=off"] {
      #expect(throws: StorageError.self) { try StorageURL.open(bad) }
    }
  }
}
