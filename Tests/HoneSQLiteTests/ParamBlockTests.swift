import Foundation
import Testing
import GRDB
@testable import HoneSQLite
import HoneTestSupport
import HoneTune

/// Parameters stored in blocks: one row per batch, read back as one `ParamBlock`.
@Suite struct ParamBlockTests {
  static func wideSpace(_ count: Int) -> [String: Distribution] {
    var space: [String: Distribution] = [:]
    for i in 0..<count { space["p\(i)"] = i % 3 == 0 ? .int(low: 0, high: 9, log: false, step: 1) : .float(low: -1, high: 1, log: false, step: nil) }
    space["choice"] = .categorical([.string("a"), .bool(true), .double(2.5)])
    return space
  }

  /// A trial asked with a fixed space is one block row; every trial of the space shares one
  /// layout row, and reads back as a `ParamBlock` whose values, distributions and equality
  /// agree with the dictionaries.
  @Test func aWideTrialIsOneRowAndReadsBackAsABlock() throws {
    let path = try TemporaryFolder.make().appendingPathComponent("w.db").path
    let storage = try SQLiteStorage(path: path)
    let study = try Study(name: "w", storage: storage, sampler: RandomSampler(seed: 1), pruner: NopPruner())
    let space = Self.wideSpace(500)
    var asked: [[String: ParamValue]] = []
    for _ in 0..<3 {
      let t = try study.ask(space)
      asked.append(t.params)
      try study.tell(t, 1)
    }
    let counts = try DatabaseQueue(path: path).read { db in
      (try Int.fetchOne(db, sql: "SELECT COUNT(*) FROM trial_param_blocks")!, try Int.fetchOne(db, sql: "SELECT COUNT(*) FROM param_layouts")!)
    }
    #expect(counts == (3, 1))
    let trials = try storage.trials(studyID: study.id, states: nil)
    #expect(trials.allSatisfy { $0.paramBlock != nil })
    #expect(trials.map(\.params) == asked)
    #expect(trials.allSatisfy { $0.distributions == space })
    // A trial whose params are a block equals the same trial built from dictionaries.
    var rebuilt = trials[0]
    rebuilt.params = trials[0].params
    #expect(rebuilt.paramBlock == nil && rebuilt == trials[0] && rebuilt.hashValue == trials[0].hashValue)
    // Writing to params of a block-backed trial keeps the other values.
    var changed = trials[1]
    changed.params["extra"] = .int(1)
    #expect(changed.params.count == 502 && changed.params["p1"] == asked[1]["p1"] && trials[1].params.count == 501)
  }

  /// Define-by-run writes a block per suggestion; the trial reads back merged, and a name
  /// suggested again from another distribution is refused without a write.
  @Test func defineByRunBlocksMerge() throws {
    let storage = try SQLiteStorage(path: try TemporaryFolder.make().appendingPathComponent("d.db").path)
    let study = try Study(name: "d", storage: storage, sampler: RandomSampler(seed: 2), pruner: NopPruner())
    let t = try study.ask()
    let x = try t.suggestFloat("x", 0...1)
    let n = try t.suggestInt("n", 1...4)
    let c = try t.suggestCategorical("c", ["a", "b"])
    #expect(throws: TuneError.self) { try t.suggestFloat("x", 0...2) }
    let read = try storage.trial(id: t.id)
    #expect(read.paramBlock == nil)
    #expect(read.params == ["x": .double(x), "n": .int(n), "c": .string(c)])
    #expect(read.distributions.count == 3)
    // A second storage (another process) refuses the conflicting distribution too.
    let other = try SQLiteStorage(path: storage.path)
    #expect(throws: (any Error).self) { try other.setParams(trialID: t.id, [("n", .int(1), .int(low: 0, high: 9, log: false, step: 1))]) }
    try other.setParams(trialID: t.id, [("n", .int(n), .int(low: 1, high: 4, log: false, step: 1)), ("y", .double(0.5), .float(low: 0, high: 1, log: false, step: nil))])
    #expect(try other.trial(id: t.id).params.count == 4)
  }

  /// An enqueued trial's fixed parameters are stored as one block when it is created.
  @Test func templatesAreOneBlock() throws {
    let storage = try SQLiteStorage(path: try TemporaryFolder.make().appendingPathComponent("e.db").path)
    let id = try storage.createStudy(name: "e", directions: [.minimize])
    let template = TrialTemplate(state: .complete, params: ["a": .double(0.25), "b": .string("y")],
                                 distributions: ["a": .float(low: 0, high: 1, log: false, step: nil), "b": .categorical([.string("x"), .string("y")])],
                                 values: [3])
    let created = try storage.createTrial(studyID: id, template: template)
    let read = try storage.trial(id: created.id)
    #expect(read.paramBlock != nil && read.params == template.params && read.distributions == template.distributions && read == created)
  }

  /// A damaged block or layout is a clear storage error, not a crash.
  @Test func damagedBlocksAreClearErrors() throws {
    let path = try TemporaryFolder.make().appendingPathComponent("c.db").path
    let storage = try SQLiteStorage(path: path)
    let study = try Study(name: "c", storage: storage, sampler: RandomSampler(seed: 3), pruner: NopPruner())
    try study.tell(try study.ask(["x": .float(low: 0, high: 1, log: false, step: nil)]), 1)
    try DatabaseQueue(path: path).write { try $0.execute(sql: "UPDATE trial_param_blocks SET vals = x'0102'") }
    #expect(throws: StorageError.self) { try SQLiteStorage(path: path).trials(studyID: study.id, states: nil) }
    try DatabaseQueue(path: path).write { try $0.execute(sql: "UPDATE param_layouts SET names = x'FFFFFFFF'") }
    #expect(throws: StorageError.self) { try SQLiteStorage(path: path).trials(studyID: study.id, states: nil) }
  }

  /// A layout read inside a write that rolls back is forgotten with it: SQLite hands its id
  /// out again, to another layout.
  @Test func aRolledBackLayoutIsNotCached() throws {
    let storage = try SQLiteStorage(path: try TemporaryFolder.make().appendingPathComponent("r.db").path)
    let id = try storage.createStudy(name: "r", directions: [.minimize])
    let t = try storage.createTrial(studyID: id, template: nil)
    let float = Distribution.float(low: 0, high: 9, log: false, step: nil), int = Distribution.int(low: 0, high: 9, log: false, step: 1)
    #expect(throws: StorageError.self) {
      try storage.write { db in
        try storage.writeBlock(db, studyID: id, trialID: t.id, [("a", 0.5, float)])
        try storage.writeBlock(db, studyID: id, trialID: t.id, [("a", 0.5, float)])  // finds, reads and caches the new layout
        throw StorageError.backend("rolled back")
      }
    }
    try storage.setParams(trialID: t.id, [("a", .int(3), int)])
    let read = try storage.trial(id: t.id)
    #expect(read.params == ["a": .int(3)] && read.distributions == ["a": int])
  }
}
