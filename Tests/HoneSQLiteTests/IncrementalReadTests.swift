import Foundation
import Testing
import HoneSQLite
import HoneTestSupport
@testable import HoneTune

/// A storage reads only what is new since its last read of a study, and still sees everything
/// another process (another storage on the same file) did meanwhile.
@Suite struct IncrementalReadTests {
  /// What a storage that never read the study before returns: the reference.
  static func fresh(_ path: String, _ study: Int, _ states: Set<TrialState>? = nil) throws -> [FrozenTrial] {
    try SQLiteStorage(path: path, create: false).trials(studyID: study, states: states)
  }

  @Test func readsSeeEveryChangeOfAnotherWriter() throws {
    let path = try TemporaryFolder.make().appendingPathComponent("shared.db").path
    let reader = try SQLiteStorage(path: path), writer = try SQLiteStorage(path: path)
    let study = try writer.createStudy(name: "s", directions: [.minimize])
    let x = Distribution.float(low: 0, high: 1)
    var running: [FrozenTrial] = []
    for i in 0..<6 {
      let t = try writer.createTrial(studyID: study, template: nil)
      try writer.setParams(trialID: t.id, [("x", .double(Double(i) / 10), x)])
      if i < 4 { try writer.finishTrial(trialID: t.id, state: .complete, values: [Double(i)]) } else { running.append(t) }
    }
    #expect(try reader.trials(studyID: study, states: nil) == (try Self.fresh(path, study)))
    // Meanwhile: a running trial finishes with intermediate values, the other fails as stale,
    // new trials arrive (one enqueued, waiting), and a waiting one is claimed.
    try writer.setIntermediateValue(trialID: running[0].id, step: 1, value: 0.5)
    try writer.finishTrial(trialID: running[0].id, state: .pruned, values: nil)
    try writer.finishTrial(trialID: running[1].id, state: .failed, values: nil, systemAttrs: ["fail_reason": .string("stale")])
    _ = try writer.createTrial(studyID: study, template: TrialTemplate(state: .waiting, params: ["x": .double(0.3)], distributions: ["x": x]))
    let late = try writer.createTrial(studyID: study, template: nil)
    try writer.finishTrial(trialID: late.id, state: .complete, values: [9])
    let mine = try reader.trials(studyID: study, states: nil)
    #expect(try mine == Self.fresh(path, study))
    #expect(mine.map(\.number) == Array(0..<8) && mine[4].state == .pruned && mine[4].intermediateValues == [1: 0.5])
    let claimed = try writer.claimWaitingTrial(studyID: study)
    #expect(claimed?.number == 6)
    #expect(try reader.trials(studyID: study, states: nil) == (try Self.fresh(path, study)))
    #expect(try reader.trials(studyID: study, states: [.running]).map(\.number) == [6])
    #expect(try reader.trials(studyID: study, states: [.complete, .pruned]) == (try Self.fresh(path, study, [.complete, .pruned])))
    // A deleted study's trials are forgotten; a new study of the same name starts empty.
    try writer.deleteStudy(id: study)
    #expect(throws: StorageError.self) { try reader.trials(studyID: study, states: nil) }
    let again = try writer.createStudy(name: "s", directions: [.minimize])
    #expect(try reader.trials(studyID: again, states: nil).isEmpty)
  }
}
