import HoneTune

/// The finished trials of each study that this storage has read, which never change again (a
/// write to a finished trial is refused), so that reading a study reads only what is new: the
/// trials created since (ids above the largest seen) and those that were unfinished at the last
/// read. With the trials of a 10,000-trial study cached, `hone serve`'s asks read a few rows.
///
/// Ids decide what is new because SQLite assigns them in commit order: writes are serialized,
/// and an `AUTOINCREMENT` id is above every id committed before it, so a trial committed after
/// a read has an id above everything that read saw.
final class FinishedTrialCache: Sendable {
  /// What is known of one study.
  struct Entry {
    /// Its finished trials, by number.
    var finished: [FrozenTrial] = []
    /// The largest trial id read.
    var maxID = 0
    /// The ids of the trials that were unfinished when last read.
    var unfinished: [Int] = []
  }

  private let studies = Locked<[Int: Entry]>([:])

  /// What is known of study `studyID` (nothing yet: an empty entry).
  func entry(_ studyID: Int) -> Entry { studies.withLock { $0[studyID] } ?? Entry() }

  /// The entry after `fresh`, the trials read for `known`, and every trial of the study in
  /// number order. Stored: entries from any snapshot are consistent, so concurrent readers
  /// storing in either order leave a valid entry.
  func update(_ studyID: Int, _ known: Entry, with fresh: [FrozenTrial]) -> [FrozenTrial] {
    var entry = known
    var unfinished: [FrozenTrial] = []
    var newlyFinished: [FrozenTrial] = []
    for trial in fresh {
      entry.maxID = max(entry.maxID, trial.id)
      if trial.state.isFinished { newlyFinished.append(trial) } else { unfinished.append(trial) }
    }
    entry.finished = Self.merged(entry.finished, newlyFinished)
    entry.unfinished = unfinished.map(\.id)
    studies.withLock { $0[studyID] = entry }
    return Self.merged(entry.finished, unfinished)
  }

  /// Forgets study `studyID` (deleted).
  func remove(_ studyID: Int) { studies.withLock { $0[studyID] = nil } }

  /// Two lists sorted by number, merged.
  private static func merged(_ a: [FrozenTrial], _ b: [FrozenTrial]) -> [FrozenTrial] {
    guard !b.isEmpty else { return a }
    guard let last = a.last, last.number > b[0].number else { return a + b }
    var result: [FrozenTrial] = []
    result.reserveCapacity(a.count + b.count)
    var i = 0, j = 0
    while i < a.count || j < b.count {
      if j == b.count || (i < a.count && a[i].number < b[j].number) {
        result.append(a[i])
        i += 1
      } else {
        result.append(b[j])
        j += 1
      }
    }
    return result
  }
}
