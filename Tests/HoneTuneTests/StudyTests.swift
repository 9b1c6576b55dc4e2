import Foundation
import Testing
@testable import HoneTune

@Suite struct StudyTests {
  func makeStudy(_ directions: [StudyDirection] = [.minimize], sampler: (any Sampler)? = RandomSampler(seed: 1),
                 pruner: (any Pruner)? = NopPruner()) throws -> Study {
    try Study(name: "s", directions: directions, sampler: sampler, pruner: pruner)
  }

  @Test func defineByRunWithConditionalSpace() async throws {
    let study = try makeStudy()
    try await study.optimize(trials: 30) { trial in
      let kind = try trial.suggestCategorical("kind", ["linear", "quadratic"])
      let x = try trial.suggestFloat("x", -2...2)
      if kind == "quadratic" {
        let a = try trial.suggestInt("a", 1...3)
        return Double(a) * x * x
      }
      return abs(x)
    }
    let trials = try study.trials
    #expect(trials.count == 30)
    #expect(trials.allSatisfy { $0.state == .complete })
    for t in trials {
      #expect((t.params["a"] != nil) == (t.params["kind"] == .string("quadratic")))
    }
    #expect(trials.contains { $0.params["a"] != nil } && trials.contains { $0.params["a"] == nil })
  }

  @Test func sameNameReturnsSameValueAndConflictsAreErrors() throws {
    let study = try makeStudy()
    let trial = try study.ask()
    let a = try trial.suggestFloat("x", 0...1)
    #expect(try trial.suggestFloat("x", 0...1) == a)
    #expect(throws: TuneError.self) { try trial.suggestFloat("x", 0...2) }
    #expect(throws: TuneError.self) { try trial.suggestInt("x", 0...1) }
    #expect(try study.storage.trial(id: trial.id).params == ["x": .double(a)])
  }

  @Test func tellRules() throws {
    let study = try makeStudy()
    let t = try study.ask()
    #expect(throws: TuneError.self) { try study.tell(t, values: [1, 2]) }
    #expect(throws: TuneError.self) { try study.tell(number: t.number, state: .pruned, values: [1]) }
    #expect(throws: TuneError.self) { try study.tell(number: t.number, state: .running) }
    #expect(try study.storage.trial(id: t.id).state == .running)
    #expect(try study.tell(t, 0.5).state == .complete)
    #expect(throws: TrialFinishedError.self) { try study.tell(t, 0.7) }
    #expect(try study.storage.trial(id: t.id).values == [0.5])
    #expect(throws: StorageError.self) { try study.tell(number: 99, values: [1]) }
  }

  @Test(arguments: [Double.nan, .infinity, -.infinity])
  func nonFiniteValueFailsTheTrial(value: Double) async throws {
    let study = try makeStudy()
    try await study.optimize(trials: 2) { _ in value }
    let trials = try study.trials
    #expect(trials.allSatisfy { $0.state == .failed && $0.failReason?.contains("objective value is") == true })
  }

  @Test func prunedTrialKeepsLastIntermediateValue() throws {
    let study = try makeStudy()
    let t = try study.ask()
    try t.report(3, step: 0)
    try t.report(2, step: 4)
    try t.report(9, step: 4)  // a second report at a step is ignored, as in Optuna
    let pruned = try study.tell(t, state: .pruned)
    #expect(pruned.state == .pruned && pruned.values == [2])
    #expect(pruned.intermediateValues == [0: 3, 4: 2])
  }

  @Test func objectiveErrorsFailTrialsAndTheStudyGoesOn() async throws {
    struct Boom: Error, CustomStringConvertible { var description: String { "boom at the source" } }
    let study = try makeStudy()
    try await study.optimize(trials: 6) { trial in
      if trial.number % 2 == 0 { throw Boom() }
      if trial.number == 3 { throw TrialPruned() }
      return 1
    }
    let states = try study.trials.map(\.state)
    #expect(states == [.failed, .complete, .failed, .pruned, .failed, .complete])
    #expect(try study.trials[0].failReason == "boom at the source")
  }

  @Test func trialTimeoutFailsTheTrial() async throws {
    let study = try makeStudy()
    // The second trial must finish within the timeout even with every core busy: 2 s.
    try await study.optimize(trials: 2, trialTimeout: .seconds(2)) { trial in
      if trial.number == 0 {
        usleep(10_000_000)  // ignores cancellation, like a CPU-bound training step
        return 0
      }
      return 1
    }
    let trials = try study.trials
    #expect(trials[0].state == .failed && trials[0].failReason!.contains("timed out"))
    // Failed at the timeout, not when the objective returned (10 s); the margin absorbs a
    // loaded machine, where the suites run in parallel.
    #expect(trials[0].duration! < 9)
    #expect(trials[1].state == .complete)
  }

  @Test func callbacksStopAndTimeout() async throws {
    let study = try makeStudy()
    let seen = Locked<[Int]>([])
    try await study.optimize(trials: 100, callbacks: [{ study, trial in
      seen.withLock { $0.append(trial.number) }
      if trial.number == 4 { study.stop() }
    }]) { _ in 1 }
    #expect(seen.current == [0, 1, 2, 3, 4])
    let before = try study.trials.count
    let started = Date()
    // A timeout long enough for the first trial to start on a loaded machine (the suites run
    // in parallel); trials take 100 ms, so at most 11 can start before it.
    try await study.optimize(timeout: .seconds(1)) { _ in
      try await Task.sleep(for: .milliseconds(100))
      return 1
    }
    // No trial starts after the timeout. (How many start before it depends on the machine's
    // load: with every core busy, the pool may start none within the second.)
    let ran = try study.trials.dropFirst(before)
    #expect(ran.count <= 11)
    #expect(ran.allSatisfy { $0.datetimeStart! < started.addingTimeInterval(1.25) }, "\(ran.map(\.datetimeStart))")
    // Unbounded trials, so only the timeout ends the run; the bound leaves room for CPU-bound
    // suites occupying the cooperative pool's threads meanwhile.
    #expect(Date().timeIntervalSince(started) < 10)
  }

  @Test func concurrentTrialsAreDenseAndDistinct() async throws {
    let study = try makeStudy()
    try await study.optimize(trials: 40, concurrency: 4) { trial in
      let x = try trial.suggestFloat("x", 0...1)
      try await Task.sleep(for: .milliseconds(2))
      return x
    }
    let trials = try study.trials
    #expect(trials.map(\.number) == Array(0..<40))
    #expect(Set(trials.map { $0.params["x"]! }).count == 40)
  }

  @Test func enqueueAndAddTrial() throws {
    let study = try makeStudy()
    try study.enqueueTrial(["x": .double(0.25), "n": .int(3)])
    let t = try study.ask()
    #expect(try t.suggestFloat("x", 0...1) == 0.25)
    #expect(try t.suggestInt("n", 1...5) == 3)
    let other = try t.suggestFloat("y", 0...1)
    #expect(other >= 0 && other <= 1)
    try study.tell(t, 1)
    // A value outside the distribution the study already uses for that name is refused at
    // once and writes nothing.
    let before = try study.trials.count
    #expect(throws: TuneError.self) { try study.enqueueTrial(["x": .double(7)]) }
    #expect(try study.trials.count == before)
    // A new name is not checked until it is suggested; an ask with the space checks it first.
    try study.enqueueTrial(["z": .double(7)])
    #expect(throws: TuneError.self) { _ = try study.ask(["z": .float(low: 0, high: 1, log: false, step: nil)]) }
    #expect(try study.trials.count == before + 1 && study.trials.last!.state == .waiting, "the refused claim left it waiting")
    let bad = try study.ask()
    #expect(throws: TuneError.self) { try bad.suggestFloat("z", 0...1) }
    let added = try study.addTrial(TrialTemplate(state: .complete, params: ["x": .double(0.5)],
                                                 distributions: ["x": .float(low: 0, high: 1)], values: [0.1]))
    #expect(added.number == 2 && added.state == .complete)
    #expect(try study.bestTrial.number == 2)
    #expect(throws: StorageError.self) {
      try study.addTrial(TrialTemplate(state: .complete, params: ["x": .double(5)], distributions: ["x": .float(low: 0, high: 1)], values: [0.1]))
    }
    #expect(throws: StorageError.self) { try study.addTrial(TrialTemplate(state: .complete, values: [1, 2])) }
    #expect(try study.trials.count == 3)
  }

  @Test func bestTrialAndParetoSet() async throws {
    let study = try makeStudy([.minimize, .maximize])
    for (a, b) in [(1.0, 1.0), (2.0, 3.0), (0.5, 0.2), (3.0, 2.0), (1.0, 1.0)] {
      try study.tell(try study.ask(), values: [a, b])
    }
    #expect(try study.bestTrials.map(\.number) == [0, 1, 2, 4])
    #expect(throws: TuneError.self) { try study.bestTrial }
    let single = try makeStudy([.maximize])
    #expect(throws: TuneError.self) { try single.bestTrial }
    for v in [3.0, 5.0, 5.0, 1.0] { try single.tell(try single.ask(), v) }
    #expect(try single.bestTrial.number == 1)
  }

  @Test func studyUserAttrsAndLoad() throws {
    let storage = InMemoryStorage()
    let study = try Study(name: "a", storage: storage, direction: .maximize)
    try study.setUserAttr("dataset", "digits")
    #expect(throws: StorageError.self) { try Study(name: "a", storage: storage, direction: .maximize) }
    #expect(throws: TuneError.self) { try Study(name: "a", storage: storage, direction: .minimize, loadIfExists: true) }
    let loaded = try Study.load(name: "a", storage: storage)
    #expect(loaded.directions == [.maximize])
    #expect(try loaded.userAttrs == ["dataset": "digits"])
    #expect(throws: StorageError.self) { try Study.load(name: "b", storage: storage) }
    try Study.delete(name: "a", storage: storage)
    #expect(try storage.studies().isEmpty)
  }

  @Test func exportCSVAndJSON() throws {
    let study = try makeStudy()
    let t = try study.ask()
    _ = try t.suggestCategorical("opt", ["a,b", "c"])
    try t.setUserAttr("note", "say \"hi\"")
    try study.tell(t, 2)
    try study.tell(try study.ask(), state: .failed, failReason: "crashed")
    let csv = try study.exportCSV().split(separator: "\n").map(String.init)
    #expect(csv[0] == "number,state,value,datetime_start,datetime_complete,duration,params_opt,user_attrs_note,fail_reason")
    #expect(csv.count == 3)
    #expect(csv[2].hasPrefix("1,failed,,") && csv[2].hasSuffix(",crashed"))
    let json = try JSONValue.parse(try study.exportJSON()).arrayValue!
    #expect(json.count == 2)
    #expect(json[0].objectValue!["state"] == "complete")
    #expect(json[0].objectValue!["values"] == .array([.double(2)]))
    #expect(json[1].objectValue!["values"] == .null)
  }

  @Test func deadWorkersTrialIsFailedByTheNextAskAndRetriedOnce() throws {
    let study = try Study(name: "hb", sampler: RandomSampler(seed: 4), pruner: NopPruner(),
                          heartbeat: HeartbeatPolicy(interval: .milliseconds(10), gracePeriod: .milliseconds(100), retryFailedTrials: true))
    let crashed = try study.ask()
    let x = try crashed.suggestFloat("x", 0...1)
    try study.storage.recordHeartbeat(trialID: crashed.id)  // its worker beat once, then died
    usleep(150_000)
    let retry = try study.ask()
    let dead = try study.storage.trial(id: crashed.id)
    #expect(dead.state == .failed && dead.failReason!.contains("heartbeat"))
    #expect(retry.number == 1 && retry.snapshot.systemAttrs["retry_of"] == .int(0))
    #expect(try retry.suggestFloat("x", 0...1) == x)
  }

  /// A trial that runs past the grace period survives another worker's ask only if its
  /// heartbeats keep coming.
  @Test func optimizeKeepsRunningTrialsAlive() async throws {
    let study = try Study(name: "hb", sampler: RandomSampler(seed: 4), pruner: NopPruner(),
                          heartbeat: HeartbeatPolicy(interval: .milliseconds(20), gracePeriod: .milliseconds(300)))
    try await study.optimize(trials: 1) { trial in
      try await Task.sleep(for: .milliseconds(600))
      _ = try study.ask()  // another worker's ask fails stale trials now
      try await Task.sleep(for: .milliseconds(50))
      return 1
    }
    #expect(try study.trials.map(\.state) == [.complete, .running])
  }

  /// A sampler that fails on one trial, as a storage or model failure would.
  struct FailingSampler: Sampler {
    let failAt: Int
    func sampleIndependent(study: StudySnapshot, trial: FrozenTrial, name: String, distribution: Distribution) throws -> ParamValue {
      if trial.number == failAt { throw TuneError.unsupported("sampler broke on trial \(failAt)") }
      return distribution.value(atUnit: 0.5)
    }
    func relativeSearchSpace(study: StudySnapshot, trial: FrozenTrial) throws -> [String: Distribution] {
      if trial.number == failAt { throw TuneError.unsupported("sampler broke on trial \(failAt)") }
      return [:]
    }
  }

  /// One worker's failure ends the whole run promptly, even with no trial or time limit.
  @Test func aFailingWorkerStopsTheOthers() async throws {
    let study = try Study(name: "f", sampler: FailingSampler(failAt: 5), pruner: NopPruner())
    await #expect(throws: TuneError.self) {
      try await study.optimize(concurrency: 2) { trial in
        try await Task.sleep(for: .milliseconds(5))
        return try trial.suggestFloat("x", 0...1)
      }
    }
    let trials = try study.trials
    #expect(trials.count < 50)
    #expect(trials[5].state == .failed && trials[5].failReason!.contains("sampler broke"))
  }

  @Test func heartbeatPolicyIsValidated() {
    #expect(throws: TuneError.self) { try HeartbeatPolicy(interval: .zero) }
    #expect(throws: TuneError.self) { try HeartbeatPolicy(interval: .seconds(60), gracePeriod: .seconds(30)) }
    #expect(throws: Never.self) { try HeartbeatPolicy(interval: .seconds(10)) }
  }
}
