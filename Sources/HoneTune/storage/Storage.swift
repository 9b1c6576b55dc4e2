import Foundation

/// Where studies and trials live. Every backend (in memory, SQLite, later PostgreSQL)
/// conforms, and one conformance suite tests them all.
///
/// The contract:
/// - every method that writes does so atomically and durably before it returns (no
///   batching in memory), and leaves storage unchanged when it throws;
/// - trial numbers are dense per study (0, 1, 2, …) even when many processes create trials
///   at once;
/// - a finished trial (`complete`, `pruned`, `failed`) never changes again: writes to it
///   throw `TrialFinishedError`;
/// - methods are safe to call from many threads.
public protocol Storage: Sendable {
  /// Creates a study; throws `StorageError.studyExists` if the name is taken.
  func createStudy(name: String, directions: [StudyDirection]) throws -> Int
  /// The id of the study called `name`; throws `StorageError.studyNotFound`.
  func studyID(name: String) throws -> Int
  /// Every study, in order of creation.
  func studies() throws -> [StudySummary]
  /// Deletes a study with all its trials.
  func deleteStudy(id: Int) throws
  /// The study's directions, one per objective.
  func directions(studyID: Int) throws -> [StudyDirection]
  /// Sets a user attribute of the study.
  func setStudyUserAttr(studyID: Int, key: String, value: JSONValue) throws
  /// The study's user attributes.
  func studyUserAttrs(studyID: Int) throws -> [String: JSONValue]
  /// Sets a system attribute of the study (for samplers and Hone itself).
  func setStudySystemAttr(studyID: Int, key: String, value: JSONValue) throws
  /// The study's system attributes.
  func studySystemAttrs(studyID: Int) throws -> [String: JSONValue]

  /// Creates a trial with the next number: running and empty when `template` is nil,
  /// otherwise as the template says. Throws when the template's state is `running` with values.
  func createTrial(studyID: Int, template: TrialTemplate?) throws -> FrozenTrial
  /// Atomically takes the oldest waiting trial and makes it running; nil if none waits.
  /// `check` sees that trial inside the same transaction: when it throws, nothing changes
  /// (the trial stays waiting) and the error is rethrown.
  func claimWaitingTrial(studyID: Int, check: (FrozenTrial) throws -> Void) throws -> FrozenTrial?
  /// Records parameter values of a running trial, all in one transaction. A name the
  /// trial already has must come with the same distribution (the value is kept).
  func setParams(trialID: Int, _ params: [(name: String, value: ParamValue, distribution: Distribution)]) throws
  /// Records an intermediate value of a running trial (a later report at the same step replaces it).
  func setIntermediateValue(trialID: Int, step: Int, value: Double) throws
  /// Records an intermediate vector (one value per objective) of a running trial; a later
  /// report at the same step replaces it.
  func setIntermediateVector(trialID: Int, step: Int, values: [Double]) throws
  /// Finishes a running trial — `complete` with one value per direction, `pruned` with
  /// optional values, `failed` without values — and sets `systemAttrs` (such as
  /// `fail_reason`) in the same transaction.
  func finishTrial(trialID: Int, state: TrialState, values: [Double]?, systemAttrs: [String: JSONValue]) throws
  /// Sets a user attribute of a running trial.
  func setTrialUserAttr(trialID: Int, key: String, value: JSONValue) throws
  /// Sets a system attribute of a running trial.
  func setTrialSystemAttr(trialID: Int, key: String, value: JSONValue) throws
  /// Records that a running trial is alive now.
  func recordHeartbeat(trialID: Int) throws
  /// Marks failed every running trial of the study whose last heartbeat is more than
  /// `gracePeriod` seconds old by the storage's clock (a database server's `now()`, so that
  /// workers on hosts with skewed clocks agree; trials that never sent one are left alone) and, when `retry` is set, enqueues
  /// each one that is not itself a retry as a waiting trial with the same parameters and a
  /// `retry_of` system attribute — all in one transaction. Returns the trials it failed.
  func failStaleTrials(studyID: Int, gracePeriod: TimeInterval, retry: Bool) throws -> [FrozenTrial]

  /// One trial by id.
  func trial(id: Int) throws -> FrozenTrial
  /// The trial with `number` in the study.
  func trial(studyID: Int, number: Int) throws -> FrozenTrial
  /// The study's trials in number order, only those in `states` when given.
  func trials(studyID: Int, states: Set<TrialState>?) throws -> [FrozenTrial]
  /// A change counter of the study — it grows as the study's trials are written (heartbeats
  /// aside) — and the trials written after `counter` (0: every trial), in number order: what a
  /// live view reads to stay current without reading the whole study again. A backend whose
  /// writers commit concurrently (PostgreSQL) may return a trial again that an earlier call
  /// returned, in its current form; it never leaves one out.
  func trials(studyID: Int, changedSince counter: Int) throws -> TrialChanges
}

/// The trials of a study written after a change counter, and the counter now.
public struct TrialChanges: Sendable, Equatable {
  /// The study's change counter when the trials were read: pass it to the next
  /// `trials(studyID:changedSince:)`.
  public var counter: Int
  /// The trials written after the counter given, in number order.
  public var trials: [FrozenTrial]

  /// Changes read at `counter`.
  public init(counter: Int, trials: [FrozenTrial]) {
    self.counter = counter
    self.trials = trials
  }
}

extension Storage {
  /// Takes the oldest waiting trial, whatever it holds; nil if none waits.
  public func claimWaitingTrial(studyID: Int) throws -> FrozenTrial? {
    try claimWaitingTrial(studyID: studyID) { _ in }
  }

  /// Finishes a running trial without setting attributes.
  public func finishTrial(trialID: Int, state: TrialState, values: [Double]?) throws {
    try finishTrial(trialID: trialID, state: state, values: values, systemAttrs: [:])
  }
}

/// A line about a study, for listings.
public struct StudySummary: Sendable, Equatable {
  /// The storage id.
  public var id: Int
  /// The unique name.
  public var name: String
  /// One direction per objective.
  public var directions: [StudyDirection]
  /// How many trials the study has, by state.
  public var trialCounts: [TrialState: Int]
  /// When the first trial started, if any.
  public var datetimeStart: Date?

  /// A summary with every field given.
  public init(id: Int, name: String, directions: [StudyDirection], trialCounts: [TrialState: Int], datetimeStart: Date?) {
    self.id = id
    self.name = name
    self.directions = directions
    self.trialCounts = trialCounts
    self.datetimeStart = datetimeStart
  }
}

/// Errors of storage backends. Each message says what is wrong and what to do.
public enum StorageError: Error, Equatable, CustomStringConvertible, Sendable {
  /// No study of that name.
  case studyNotFound(String)
  /// A study of that name exists already.
  case studyExists(String)
  /// No trial with that id or number.
  case trialNotFound(String)
  /// A value or call the storage cannot take (wrong number of values, values for a failed trial, …).
  case invalidArgument(String)
  /// The storage URL is malformed or names an unknown backend.
  case invalidURL(String)
  /// No database at the path, where one was required to exist.
  case databaseNotFound(String)
  /// The file is not a Hone database (another SQLite file, or not SQLite at all).
  case notAHoneDatabase(String)
  /// The database was written by a newer Hone, with a schema this version does not know.
  case newerSchema(String)
  /// The database stayed locked by another process past the busy timeout.
  case locked(String)
  /// The disk that holds the database is full: nothing was written; reads still work.
  case diskFull(String)
  /// Any other failure of the backend, with its message.
  case backend(String)

  /// The message, one line.
  public var description: String {
    switch self {
    case .studyNotFound(let m), .studyExists(let m), .trialNotFound(let m),
         .invalidArgument(let m), .invalidURL(let m), .databaseNotFound(let m), .notAHoneDatabase(let m), .newerSchema(let m),
         .locked(let m), .diskFull(let m), .backend(let m):
      return m
    }
  }
}
