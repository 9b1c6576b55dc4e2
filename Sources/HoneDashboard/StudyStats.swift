import Foundation
import HoneTune

/// The figures of the studies list for one study: counts by state, best value(s), trials
/// finished per minute over the last ten minutes, and the last activity.
struct StudyStats: Sendable {
  var counts: [TrialState: Int] = [:]
  /// The best value per objective (each objective's own best, for several).
  var best: [Double]?
  var perMinute = 0.0
  var lastActivity: Date?
  var total = 0

  init(_ view: StudyView, now: Date = Date()) {
    total = view.trials.count
    let recent = now.addingTimeInterval(-600)
    var finishedRecently = 0
    var best: [Double]?
    for trial in view.trials {
      counts[trial.state, default: 0] += 1
      if let end = trial.datetimeComplete {
        if end > recent { finishedRecently += 1 }
        if lastActivity == nil || end > lastActivity! { lastActivity = end }
      } else if let start = trial.datetimeStart, lastActivity == nil || start > lastActivity! {
        lastActivity = start
      }
      guard trial.state == .complete, let values = trial.values, values.count == view.directions.count,
            values.allSatisfy(\.isFinite) else { continue }
      best = best.map { zip($0, zip(values, view.directions)).map { b, vd in vd.1.isBetter(vd.0, than: b) ? vd.0 : b } } ?? values
    }
    self.best = best
    perMinute = Double(finishedRecently) / 10
  }
}
