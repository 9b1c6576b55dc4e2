import Foundation
import Testing
import HonePostgres
import HoneSQLite
import HoneTestSupport
@testable import HoneTune

/// Every backend, freshly made. SQLite databases go to a new temporary folder.
enum Backend: String, CaseIterable, CustomTestStringConvertible {
  case memory, sqlite, postgres

  var testDescription: String { rawValue }

  /// A fresh storage: for PostgreSQL, a new database on the process's throwaway cluster.
  func make() throws -> any Storage {
    switch self {
    case .memory: return InMemoryStorage()
    case .sqlite: return try SQLiteStorage(path: TemporaryFolder.make().appendingPathComponent("hone.db").path)
    case .postgres:
      let cluster = try ThrowawayCluster.shared.get()
      return try PostgresStorage(url: cluster.url(try cluster.createDatabase()))
    }
  }

  /// The backends that can run here: PostgreSQL needs its server programs installed.
  static var available: [Backend] {
    ThrowawayCluster.unavailableReason == nil ? allCases : allCases.filter { $0 != .postgres }
  }
}

/// The storage contract of `Storage`, run against every backend.
@Suite struct StorageConformanceTests {
  /// The trial with NaN intermediate values replaced by a sentinel, so that == can compare it.
  static func nanAware(_ trial: FrozenTrial) -> FrozenTrial {
    var t = trial
    t.intermediateValues = t.intermediateValues.mapValues { $0.isNaN ? -123_456.789 : $0 }
    t.intermediateVectors = t.intermediateVectors.mapValues { $0.map { $0.isNaN ? -123_456.789 : $0 } }
    return t
  }

  @Test(arguments: Backend.available)
  func studiesLifecycle(backend: Backend) throws {
    let s = try backend.make()
    let a = try s.createStudy(name: "a", directions: [.minimize])
    let b = try s.createStudy(name: "b", directions: [.maximize, .minimize])
    #expect(a != b)
    #expect(try s.studyID(name: "b") == b)
    #expect(try s.directions(studyID: b) == [.maximize, .minimize])
    #expect(throws: StorageError.self) { try s.createStudy(name: "a", directions: [.minimize]) }
    #expect(throws: StorageError.self) { try s.createStudy(name: "", directions: [.minimize]) }
    #expect(throws: StorageError.self) { try s.createStudy(name: "c", directions: []) }
    #expect(throws: StorageError.self) { try s.studyID(name: "zzz") }
    try s.setStudyUserAttr(studyID: a, key: "k", value: .array([.int(1), "x"]))
    try s.setStudySystemAttr(studyID: a, key: "sys", value: .double(0.5))
    #expect(try s.studyUserAttrs(studyID: a) == ["k": .array([.int(1), "x"])])
    #expect(try s.studySystemAttrs(studyID: a) == ["sys": .double(0.5)])
    _ = try s.createTrial(studyID: a, template: nil)
    #expect(try s.studies().map(\.name) == ["a", "b"])
    #expect(try s.studies()[0].trialCounts == [.running: 1])
    try s.deleteStudy(id: a)
    #expect(try s.studies().map(\.name) == ["b"])
    #expect(throws: StorageError.self) { try s.trials(studyID: a, states: nil) }
    #expect(throws: StorageError.self) { try s.deleteStudy(id: a) }
  }

  @Test(arguments: Backend.available)
  func trialLifecycleAndRoundTrip(backend: Backend) throws {
    let s = try backend.make()
    let study = try s.createStudy(name: "s", directions: [.minimize])
    let t = try s.createTrial(studyID: study, template: nil)
    #expect(t.number == 0 && t.state == .running && t.datetimeStart != nil)
    let params: [(name: String, value: ParamValue, distribution: Distribution)] = [
      ("lr", .double(1e-3), .float(low: 1e-5, high: 1e-1, log: true)),
      ("n", .int(6), .int(low: 2, high: 10, step: 2)),
      ("opt", .string("sgd"), .categorical([.string("adam"), .string("sgd")])),
      ("flag", .bool(false), .categorical([.bool(true), .bool(false)])),
      ("mixed", .double(2.5), .categorical([.int(1), .double(2.5), .string("x")])),
    ]
    try s.setParams(trialID: t.id, params)
    try s.setParams(trialID: t.id, [("lr", .double(0.05), .float(low: 1e-5, high: 1e-1, log: true))])  // kept: first value wins
    #expect(throws: TuneError.self) { try s.setParams(trialID: t.id, [("lr", .double(0.05), .float(low: 0, high: 1))]) }
    #expect(throws: StorageError.self) { try s.setParams(trialID: t.id, [("z", .double(5), .float(low: 0, high: 1))]) }
    try s.setIntermediateValue(trialID: t.id, step: 0, value: 0.9)
    try s.setIntermediateValue(trialID: t.id, step: 7, value: .nan)
    try s.setIntermediateVector(trialID: t.id, step: 2, values: [0.5, .nan])
    try s.setIntermediateVector(trialID: t.id, step: 3, values: [1, 2])
    try s.setIntermediateVector(trialID: t.id, step: 3, values: [3, 4])  // replaces
    try s.setTrialUserAttr(trialID: t.id, key: "note", value: "ok")
    try s.setTrialSystemAttr(trialID: t.id, key: "x", value: .bool(true))
    #expect(throws: StorageError.self) { try s.finishTrial(trialID: t.id, state: .complete, values: [1, 2], systemAttrs: ["y": "no"]) }
    #expect(throws: StorageError.self) { try s.finishTrial(trialID: t.id, state: .complete, values: [.nan]) }
    #expect(throws: StorageError.self) { try s.finishTrial(trialID: t.id, state: .failed, values: [1]) }
    #expect(throws: StorageError.self) { try s.finishTrial(trialID: t.id, state: .waiting, values: nil) }
    #expect(try s.trial(id: t.id).state == .running)
    try s.finishTrial(trialID: t.id, state: .complete, values: [0.25])
    let done = try s.trial(id: t.id)
    #expect(done.state == .complete && done.values == [0.25] && done.datetimeComplete != nil)
    #expect(done.params == ["lr": .double(1e-3), "n": .int(6), "opt": .string("sgd"), "flag": .bool(false), "mixed": .double(2.5)])
    #expect(done.distributions["n"] == .int(low: 2, high: 10, step: 2))
    #expect(done.intermediateValues[0] == 0.9 && done.intermediateValues[7]!.isNaN)
    #expect(done.intermediateVectors[3] == [3, 4] && done.intermediateVectors[2]![0] == 0.5 && done.intermediateVectors[2]![1].isNaN)
    #expect(done.userAttrs == ["note": "ok"] && done.systemAttrs == ["x": .bool(true)])
    #expect(Self.nanAware(try s.trial(studyID: study, number: 0)) == Self.nanAware(done))
    // A finished trial never changes again.
    #expect(throws: TrialFinishedError.self) { try s.finishTrial(trialID: t.id, state: .failed, values: nil) }
    #expect(throws: TrialFinishedError.self) { try s.setIntermediateValue(trialID: t.id, step: 1, value: 1) }
    #expect(throws: TrialFinishedError.self) { try s.setIntermediateVector(trialID: t.id, step: 1, values: [1, 2]) }
    #expect(throws: TrialFinishedError.self) { try s.setParams(trialID: t.id, [("q", .double(0.5), .float(low: 0, high: 1))]) }
    #expect(throws: TrialFinishedError.self) { try s.recordHeartbeat(trialID: t.id) }
    #expect(throws: TrialFinishedError.self) { try s.setTrialUserAttr(trialID: t.id, key: "late", value: "write") }
    #expect(throws: TrialFinishedError.self) { try s.setTrialSystemAttr(trialID: t.id, key: "late", value: "write") }
    #expect(Self.nanAware(try s.trial(id: t.id)) == Self.nanAware(done))
    #expect(throws: StorageError.self) { try s.trial(id: 12345) }
    let crashed = try s.createTrial(studyID: study, template: nil)
    try s.finishTrial(trialID: crashed.id, state: .failed, values: nil, systemAttrs: ["fail_reason": "out of memory"])
    #expect(try s.trial(id: crashed.id).failReason == "out of memory")
    #expect(throws: StorageError.self) { try s.trial(studyID: study, number: 5) }
  }

  @Test(arguments: Backend.available)
  func templatesWaitingTrialsAndStateFilters(backend: Backend) throws {
    let s = try backend.make()
    let study = try s.createStudy(name: "s", directions: [.minimize, .maximize])
    let done = try s.createTrial(studyID: study, template: TrialTemplate(
      state: .complete, params: ["x": .double(0.5)], distributions: ["x": .float(low: 0, high: 1)], values: [1, 2],
      intermediateValues: [3: 0.1]))
    #expect(done.state == .complete && done.values == [1, 2] && done.intermediateValues == [3: 0.1])
    #expect(throws: StorageError.self) { try s.createTrial(studyID: study, template: TrialTemplate(state: .complete, values: [1])) }
    #expect(throws: StorageError.self) {
      try s.createTrial(studyID: study, template: TrialTemplate(state: .waiting, params: ["x": .double(3)], distributions: ["x": .float(low: 0, high: 1)]))
    }
    #expect(try s.claimWaitingTrial(studyID: study) == nil)
    let w1 = try s.createTrial(studyID: study, template: TrialTemplate(state: .waiting, systemAttrs: ["fixed_params": .object(["x": .double(0.1)])]))
    let w2 = try s.createTrial(studyID: study, template: TrialTemplate(state: .waiting))
    #expect(w1.state == .waiting && w1.datetimeStart == nil)
    let claimed = try s.claimWaitingTrial(studyID: study)
    #expect(claimed?.id == w1.id && claimed?.state == .running && claimed?.datetimeStart != nil)
    #expect(claimed?.systemAttrs["fixed_params"] == .object(["x": .double(0.1)]))
    #expect(try s.claimWaitingTrial(studyID: study)?.id == w2.id)
    #expect(try s.claimWaitingTrial(studyID: study) == nil)
    #expect(try s.trials(studyID: study, states: [.running]).map(\.number) == [1, 2])
    #expect(try s.trials(studyID: study, states: [.complete, .running]).map(\.number) == [0, 1, 2])
    #expect(try s.trials(studyID: study, states: []).isEmpty)
    #expect(try s.trials(studyID: study, states: nil).count == 3)
  }

  @Test(arguments: Backend.available)
  func staleTrialsFailAndRetryOnce(backend: Backend) throws {
    let s = try backend.make()
    let study = try s.createStudy(name: "s", directions: [.minimize])
    let quiet = try s.createTrial(studyID: study, template: nil)  // never beats: left alone
    let dead = try s.createTrial(studyID: study, template: nil)
    try s.setParams(trialID: dead.id, [("x", .double(0.3), .float(low: 0, high: 1))])
    try s.recordHeartbeat(trialID: dead.id)
    #expect(try s.failStaleTrials(studyID: study, gracePeriod: 60, retry: true).isEmpty)
    let failed = try s.failStaleTrials(studyID: study, gracePeriod: -1, retry: true)
    #expect(failed.map(\.number) == [dead.number])
    #expect(failed[0].state == .failed && failed[0].failReason!.contains("heartbeat"))
    #expect(try s.trial(id: quiet.id).state == .running)
    let retry = try s.claimWaitingTrial(studyID: study)!
    #expect(retry.number == 2 && retry.params == ["x": .double(0.3)] && retry.systemAttrs["retry_of"] == .int(dead.number))
    try s.recordHeartbeat(trialID: retry.id)
    _ = try s.failStaleTrials(studyID: study, gracePeriod: -1, retry: true)
    #expect(try s.trial(id: retry.id).state == .failed)
    #expect(try s.claimWaitingTrial(studyID: study) == nil)  // a retry is not retried again
  }

  /// `trials(studyID:changedSince:)` returns the trials written after a counter, in their
  /// current form: exactly those on memory and SQLite; on PostgreSQL, whose writers commit
  /// concurrently, those and possibly some written just before.
  @Test(arguments: Backend.available)
  func changeCounterNamesWhatChanged(backend: Backend) throws {
    let s = try backend.make()
    let study = try s.createStudy(name: "s", directions: [.minimize])
    let other = try s.createStudy(name: "other", directions: [.minimize])
    func changed(since counter: Int, _ expected: [Int]) throws -> TrialChanges {
      let changes = try s.trials(studyID: study, changedSince: counter)
      let numbers = changes.trials.map(\.number)
      if backend == .postgres { #expect(Set(numbers).isSuperset(of: expected) && numbers == numbers.sorted()) } else { #expect(numbers == expected) }
      #expect(changes.counter >= counter)
      for trial in changes.trials { #expect(trial == (try s.trial(id: trial.id))) }
      return changes
    }
    let empty = try changed(since: 0, [])
    let trials = try (0..<4).map { _ in try s.createTrial(studyID: study, template: nil) }
    _ = try s.createTrial(studyID: other, template: nil)
    let all = try changed(since: empty.counter, [0, 1, 2, 3])
    #expect(all.trials.count == 4)
    _ = try changed(since: all.counter, [])
    try s.setParams(trialID: trials[1].id, [("x", .double(0.5), .float(low: 0, high: 1))])
    try s.finishTrial(trialID: trials[3].id, state: .complete, values: [2])
    try s.recordHeartbeat(trialID: trials[2].id)  // not a change a reader sees
    let later = try changed(since: all.counter, [1, 3])
    try s.setTrialUserAttr(trialID: trials[0].id, key: "k", value: "v")
    _ = try s.createTrial(studyID: study, template: TrialTemplate(state: .waiting))
    _ = try changed(since: later.counter, [0, 4])
    #expect(throws: StorageError.self) { try s.trials(studyID: 9999, changedSince: 0) }
  }

  @Test(arguments: Backend.available)
  func numbersStayDenseUnderConcurrency(backend: Backend) async throws {
    let s = try backend.make()
    let study = try s.createStudy(name: "s", directions: [.minimize])
    try await withThrowingTaskGroup(of: Void.self) { group in
      for _ in 0..<4 {
        group.addTask {
          for _ in 0..<50 {
            let t = try s.createTrial(studyID: study, template: nil)
            try s.finishTrial(trialID: t.id, state: .complete, values: [Double(t.number)])
          }
        }
      }
      try await group.waitForAll()
    }
    let trials = try s.trials(studyID: study, states: nil)
    #expect(trials.map(\.number) == Array(0..<200))
    #expect(trials.allSatisfy { $0.values == [Double($0.number)] })
  }

  @Test(arguments: Backend.available)
  func studyAPIRunsOnEveryBackend(backend: Backend) async throws {
    let storage = try backend.make()
    let study = try Study(name: "e2e", storage: storage, direction: .minimize, sampler: RandomSampler(seed: 2),
                          pruner: try MedianPruner(startupTrials: 2), heartbeat: HeartbeatPolicy(interval: .milliseconds(50)))
    try await study.optimize(trials: 12, concurrency: 2) { trial in
      let x = try trial.suggestFloat("x", -1...1)
      for step in 0..<5 {
        try trial.report(x * x + Double(5 - step), step: step)
        if try trial.shouldPrune() { throw TrialPruned() }
      }
      return x * x
    }
    let trials = try study.trials
    #expect(trials.count == 12 && trials.allSatisfy { $0.state == .complete || $0.state == .pruned },
            "states and reasons: \(trials.map { "\($0.number) \($0.state.rawValue) \($0.failReason ?? "")" })")
    #expect(try Study.load(name: "e2e", storage: storage).bestTrial.value == trials.filter { $0.state == .complete }.map { $0.value! }.min())
  }
}
