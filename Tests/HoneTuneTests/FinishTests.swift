import Foundation
import Testing
@testable import HoneTune

/// One function finishes a trial; whoever finishes first wins, and a later finish writes
/// nothing and says so.
@Suite struct FinishTests {
  static let space: [String: Distribution] = ["x": .float(low: 0, high: 1, log: false, step: nil)]

  /// A second finish returns the stored trial with `finishedNow` false and changes nothing;
  /// `tell` turns it into `TrialFinishedError`.
  @Test func aSecondFinishWritesNothing() throws {
    let study = try Study(name: "f", sampler: RandomSampler(seed: 1), pruner: NopPruner())
    let t = try study.ask(Self.space)
    let first = try study.finish(number: t.number, values: [1])
    #expect(first.finishedNow && first.trial.state == .complete && first.trial.values == [1])
    let second = try study.finish(number: t.number, state: .failed, failReason: "late")
    #expect(!second.finishedNow && second.trial == first.trial)
    #expect(throws: TrialFinishedError.self) { try study.tell(number: t.number, values: [2]) }
    #expect(try study.trials[0].values == [1])
    // Malformed input is still an error on a running trial, and writes nothing.
    let u = try study.ask(Self.space)
    #expect(throws: TuneError.self) { try study.finish(number: u.number, values: [1, 2]) }
    #expect(try study.storage.trial(id: u.id).state == .running)
  }

  /// A trial failed as stale by another worker between a read and a write: the late finish
  /// loses inside storage and returns what is stored.
  @Test func aRaceLostInsideStorageIsNotAnError() throws {
    let storage = InMemoryStorage()
    let study = try Study(name: "r", storage: storage, sampler: RandomSampler(seed: 2), pruner: NopPruner())
    let t = try study.ask(Self.space)
    // The sweep of another worker, straight in storage.
    try storage.finishTrial(trialID: t.id, state: .failed, values: nil, systemAttrs: ["fail_reason": "stale"])
    let late = try study.finish(number: t.number, values: [0.5])
    #expect(!late.finishedNow && late.trial.state == .failed && late.trial.failReason == "stale")
  }

  /// A report to a finished trial is `TrialFinishedError`, whichever layer refused it, with the trial as a field.
  @Test func reportsToAFinishedTrialAreOneError() throws {
    let study = try Study(name: "p", sampler: RandomSampler(seed: 3), pruner: NopPruner())
    let t = try study.ask(Self.space)
    try study.storage.finishTrial(trialID: t.id, state: .failed, values: nil)
    #expect(throws: TrialFinishedError(trial: t.number, state: .failed, study: "p")) { try t.report(1, step: 0) }
    #expect(throws: TrialFinishedError(trial: t.number, state: .failed, study: "p", refusal: "only a running trial takes intermediate values")) {
      try study.report(trialNumber: t.number, step: 1, values: [1])
    }
  }
}
