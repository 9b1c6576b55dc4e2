import Foundation
import HoneReport
import HoneTune

/// One study's trials as the dashboard holds them, kept current by reading only what changed
/// (`Storage.trials(studyID:changedSince:)`): a page of a study of 100,000 trials costs one
/// small read, not a read of the whole study. Reads closer together than `freshness` share
/// one storage read. Safe from many threads.
final class StudyFeed: Sendable {
  let id: Int
  let name: String
  let directions: [StudyDirection]
  private let storage: any Storage
  /// Seconds a read stays fresh: requests within it are served from memory.
  private let freshness: Double
  private let state = Locked(State())
  /// Held while the storage is read, so that concurrent requests read once.
  private let reading = NSLock()

  private struct State {
    var byNumber: [FrozenTrial?] = []
    var parameterNames = Set<String>()
    var userAttrKeys = Set<String>()
    var counter = 0
    var readAt: ContinuousClock.Instant?
    var view: StudyView?
  }

  init(id: Int, name: String, directions: [StudyDirection], storage: any Storage, freshness: Double = 0.25) {
    (self.id, self.name, self.directions, self.storage, self.freshness) = (id, name, directions, storage, freshness)
  }

  /// The study as it is now (at most `freshness` seconds old).
  func current() throws -> StudyView {
    if let view = fresh() { return view }
    reading.lock()
    defer { reading.unlock() }
    if let view = fresh() { return view }
    let since = state.withLock { $0.counter }
    let changes = try storage.trials(studyID: id, changedSince: since)
    return state.withLock { s in
      for trial in changes.trials {
        if trial.number >= s.byNumber.count { s.byNumber += Array(repeating: nil, count: trial.number - s.byNumber.count + 1) }
        s.byNumber[trial.number] = trial
        s.parameterNames.formUnion(trial.distributions.keys)
        s.userAttrKeys.formUnion(trial.userAttrs.keys)
      }
      s.readAt = .now
      if s.view == nil || changes.counter != s.counter || !changes.trials.isEmpty {
        s.counter = changes.counter
        s.view = StudyView(id: id, name: name, directions: directions, counter: changes.counter, trials: s.byNumber.compactMap { $0 },
                           parameterNames: s.parameterNames.sorted(), userAttrKeys: s.userAttrKeys.sorted())
      }
      return s.view!
    }
  }

  private func fresh() -> StudyView? {
    state.withLock { s in
      guard let at = s.readAt, let view = s.view, ContinuousClock.now - at < .milliseconds(Int(freshness * 1000)) else { return nil }
      return view
    }
  }
}

/// A study at one change counter: what every page of it is drawn from. Derived figures
/// (plots, statistics) are computed once per view and shared by the requests that see it.
final class StudyView: Sendable {
  let id: Int
  let name: String
  let directions: [StudyDirection]
  /// The storage's change counter when the trials were read.
  let counter: Int
  /// Every trial, in number order.
  let trials: [FrozenTrial]
  /// Every parameter name and user attribute key of any trial, sorted (kept up to date by the
  /// feed from the changes alone).
  let parameterNames: [String]
  let userAttrKeys: [String]
  private let memo = Locked<[String: any Sendable]>([:])
  /// One lock per key being computed (kept with the view, which lives for one counter).
  private let computing = Locked<[String: NSLock]>([:])

  init(id: Int, name: String, directions: [StudyDirection], counter: Int, trials: [FrozenTrial], parameterNames: [String],
       userAttrKeys: [String]) {
    (self.id, self.name, self.directions, self.counter, self.trials) = (id, name, directions, counter, trials)
    (self.parameterNames, self.userAttrKeys) = (parameterNames, userAttrKeys)
  }

  /// `make()` computed once for this view under `key`: concurrent requests for the same key
  /// wait for the one that computes it rather than each computing it again.
  func memoized<T: Sendable>(_ key: String, _ make: () -> T) -> T {
    if let value = memo.withLock({ $0[key] }) as? T { return value }
    let lock = computing.withLock { locks in
      if let lock = locks[key] { return lock }
      // Bounded like the values; a lock dropped while held only risks one duplicate computation.
      if locks.count >= 256 { locks.removeAll() }
      let lock = NSLock()
      locks[key] = lock
      return lock
    }
    lock.lock()
    defer { lock.unlock() }
    if let value = memo.withLock({ $0[key] }) as? T { return value }
    let value = make()
    memo.withLock { memo in
      // Queries of many shapes (every filter of the trial table) must not grow it without end.
      if memo.count >= 64 { memo.removeAll() }
      memo[key] = value
    }
    return value
  }
}

extension StudyView {
  /// The plots' input (trials sorted, complete ones, parameters, best trials), once per view.
  var plots: StudyPlots {
    memoized("plots-input") { StudyPlots(name: name, directions: directions, trials: trials, parameterNames: parameterNames) }
  }

  /// The figures of the studies list, once per view.
  var stats: StudyStats { memoized("stats") { StudyStats(self) } }
}
