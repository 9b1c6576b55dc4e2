import Foundation
import Testing
@testable import HoneTune

/// In-memory storage that counts the reads of trials, for checking how often an ask reads.
final class ReadCountingStorage: Storage, @unchecked Sendable {
  let inner = InMemoryStorage()
  let reads = Locked(0)

  func createStudy(name: String, directions: [StudyDirection]) throws -> Int { try inner.createStudy(name: name, directions: directions) }
  func studyID(name: String) throws -> Int { try inner.studyID(name: name) }
  func studies() throws -> [StudySummary] { try inner.studies() }
  func deleteStudy(id: Int) throws { try inner.deleteStudy(id: id) }
  func directions(studyID: Int) throws -> [StudyDirection] { try inner.directions(studyID: studyID) }
  func setStudyUserAttr(studyID: Int, key: String, value: JSONValue) throws { try inner.setStudyUserAttr(studyID: studyID, key: key, value: value) }
  func studyUserAttrs(studyID: Int) throws -> [String: JSONValue] { try inner.studyUserAttrs(studyID: studyID) }
  func setStudySystemAttr(studyID: Int, key: String, value: JSONValue) throws { try inner.setStudySystemAttr(studyID: studyID, key: key, value: value) }
  func studySystemAttrs(studyID: Int) throws -> [String: JSONValue] { try inner.studySystemAttrs(studyID: studyID) }
  func createTrial(studyID: Int, template: TrialTemplate?) throws -> FrozenTrial { try inner.createTrial(studyID: studyID, template: template) }
  func claimWaitingTrial(studyID: Int, check: (FrozenTrial) throws -> Void) throws -> FrozenTrial? {
    try inner.claimWaitingTrial(studyID: studyID, check: check)
  }
  func setParams(trialID: Int, _ params: [(name: String, value: ParamValue, distribution: Distribution)]) throws { try inner.setParams(trialID: trialID, params) }
  func setIntermediateValue(trialID: Int, step: Int, value: Double) throws { try inner.setIntermediateValue(trialID: trialID, step: step, value: value) }
  func setIntermediateVector(trialID: Int, step: Int, values: [Double]) throws { try inner.setIntermediateVector(trialID: trialID, step: step, values: values) }
  func finishTrial(trialID: Int, state: TrialState, values: [Double]?, systemAttrs: [String: JSONValue]) throws {
    try inner.finishTrial(trialID: trialID, state: state, values: values, systemAttrs: systemAttrs)
  }
  func setTrialUserAttr(trialID: Int, key: String, value: JSONValue) throws { try inner.setTrialUserAttr(trialID: trialID, key: key, value: value) }
  func setTrialSystemAttr(trialID: Int, key: String, value: JSONValue) throws { try inner.setTrialSystemAttr(trialID: trialID, key: key, value: value) }
  func recordHeartbeat(trialID: Int) throws { try inner.recordHeartbeat(trialID: trialID) }
  func failStaleTrials(studyID: Int, gracePeriod: TimeInterval, retry: Bool) throws -> [FrozenTrial] { try inner.failStaleTrials(studyID: studyID, gracePeriod: gracePeriod, retry: retry) }
  func trial(id: Int) throws -> FrozenTrial {
    reads.withLock { $0 += 1 }
    return try inner.trial(id: id)
  }
  func trial(studyID: Int, number: Int) throws -> FrozenTrial {
    reads.withLock { $0 += 1 }
    return try inner.trial(studyID: studyID, number: number)
  }
  func trials(studyID: Int, changedSince counter: Int) throws -> TrialChanges {
    reads.withLock { $0 += 1 }
    return try inner.trials(studyID: studyID, changedSince: counter)
  }
  func trials(studyID: Int, states: Set<TrialState>?) throws -> [FrozenTrial] {
    reads.withLock { $0 += 1 }
    return try inner.trials(studyID: studyID, states: states)
  }
}

/// An ask reads the study once, however wide the space: before, each independent draw read
/// the whole study again, so an ask cost parameters × trials reads of trials.
@Suite struct AskReadsTests {
  static let space = Dictionary(uniqueKeysWithValues: (0..<60).map { ("p\($0)", Distribution.float(low: 0, high: 1, log: false, step: nil)) })

  @Test(arguments: ["tpe", "random", "qmc", "cmaes", "gp", "nsga2"])
  func oneReadPerAsk(sampler name: String) throws {
    let sampler: any Sampler = switch name {
    case "tpe": try TPESampler(seed: 1)
    case "random": RandomSampler(seed: 1)
    case "qmc": QMCSampler(seed: 1)
    case "cmaes": try CMAESSampler(seed: 1)
    case "gp": try GPSampler(seed: 1)
    default: try NSGAIISampler(seed: 1)
    }
    let storage = ReadCountingStorage()
    let study = try Study(name: "wide", storage: storage, direction: .minimize, sampler: sampler, pruner: NopPruner())
    for n in 0..<12 {
      let trial = try study.ask(Self.space)
      try study.tell(trial, Double(n % 5))
    }
    try study.enqueueTrial(["p0": .double(0.5)])
    // New names are outside every model's relative space: each is an independent draw.
    var wider = Self.space
    for k in 0..<60 { wider["q\(k)"] = .int(low: 0, high: 9, log: false, step: 1) }
    for _ in 0..<2 {
      storage.reads.withLock { $0 = 0 }
      let trial = try study.ask(wider)
      #expect(storage.reads.current <= 1, "\(name): \(storage.reads.current) reads for one ask of \(wider.count) parameters")
      #expect(trial.params.count == wider.count)
    }
  }
}
