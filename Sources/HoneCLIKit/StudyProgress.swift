import Foundation
import Hone

/// The progress of a running study on stderr: after each finished trial, one line
/// `trial k/N  #number state  value  best v (#b)  elapsed m:ss  ETA m:ss`, redrawn in place on
/// a terminal and printed line by line otherwise. The ETA assumes the remaining trials take
/// as long as the finished ones did on average; without a number of trials there is no N and
/// no ETA.
final class StudyProgress: Sendable {
  private let total: Int?
  private let live: Bool
  private let started = ContinuousClock.now
  /// Trials finished so far (the lock also keeps the lines whole).
  private let done = Locked(0)

  init(total: Int?, live: Bool = isatty(2) != 0) {
    self.total = total
    self.live = live
  }

  /// The callback to give `Study.optimize`.
  var callback: Study.Callback { { [self] study, trial in self.finished(trial, in: study) } }

  private func finished(_ trial: FrozenTrial, in study: Study) {
    let best = study.directions.count == 1 ? try? study.bestTrial : nil
    done.withLock { done in
      done += 1
      write(trial, best: best, done: done)
    }
  }

  private func write(_ trial: FrozenTrial, best: FrozenTrial?, done: Int) {
    let elapsed = (ContinuousClock.now - started).seconds
    var line = "trial \(done)\(total.map { "/\($0)" } ?? "")  #\(trial.number) \(trial.state.rawValue)"
    if let values = trial.values { line += "  " + values.map(Self.format).joined(separator: ", ") }
    if trial.state == .pruned, let last = trial.lastIntermediateValue { line += " at step \(last.step)" }
    if let best, let value = best.value { line += "  best \(Self.format(value)) (#\(best.number))" }
    line += "  elapsed \(Self.clock(elapsed))"
    if let total { line += "  ETA \(Self.clock(elapsed / Double(done) * Double(max(total - done, 0))))" }
    FileHandle.standardError.write(Data((live ? "\r\u{1B}[2K" + line : line + "\n").utf8))
  }

  /// Ends the live line.
  func finish() {
    if live, done.current > 0 { FileHandle.standardError.write(Data("\n".utf8)) }
  }

  static func format(_ value: Double) -> String { String(format: "%.6g", value) }

  /// m:ss, or h:mm:ss past an hour.
  static func clock(_ seconds: Double) -> String {
    let s = Int(seconds.rounded())
    return s >= 3600 ? String(format: "%d:%02d:%02d", s / 3600, s / 60 % 60, s % 60) : String(format: "%d:%02d", s / 60, s % 60)
  }
}
