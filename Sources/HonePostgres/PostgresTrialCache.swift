import HoneTune

/// Every trial of each study this process has read, with the cursor of that read, so that
/// reading a study again reads only the trials stamped since (see `PostgresSchema`): an `ask`
/// of a 100,000-trial study reads the few trials that changed since the last one instead of the
/// whole study.
final class PostgresTrialCache: Sendable {
  /// What is known of one study.
  struct Entry {
    /// The cursor of the read that gave `trials` (`TrialChanges.counter`).
    var changes = 0
    /// Its trials, in number order.
    var trials: [FrozenTrial] = []
  }

  private let studies = Locked<[Int: Entry]>([:])

  /// What is known of study `studyID` (nothing yet: an empty entry, counter 0).
  func entry(_ studyID: Int) -> Entry { studies.withLock { $0[studyID] } ?? Entry() }

  /// `known` with the trials that changed since, read with cursor `changes`: stored (unless a
  /// concurrent reader stored a newer one) and returned.
  func update(_ studyID: Int, _ known: Entry, changes: Int, with fresh: [FrozenTrial]) -> [FrozenTrial] {
    var entry = known
    entry.changes = changes
    for trial in fresh {
      if trial.number < entry.trials.count, entry.trials[trial.number].number == trial.number {
        entry.trials[trial.number] = trial
      } else if trial.number == entry.trials.count {
        entry.trials.append(trial)
      } else {
        // Numbers with a gap (a database written by hand): merge by number.
        var byNumber = Dictionary(entry.trials.map { ($0.number, $0) }) { _, last in last }
        for t in fresh { byNumber[t.number] = t }
        entry.trials = byNumber.values.sorted { $0.number < $1.number }
        break
      }
    }
    studies.withLock { studies in
      if (studies[studyID]?.changes ?? -1) <= changes { studies[studyID] = entry }
    }
    return entry.trials
  }

  /// Forgets study `studyID` (deleted).
  func remove(_ studyID: Int) { studies.withLock { $0[studyID] = nil } }
}
