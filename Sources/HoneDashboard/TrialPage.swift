import Foundation
import HoneReport
import HoneTune

/// One trial: state, values, duration, worker, parameters with their distributions,
/// intermediate values (plot and table), user and system attributes, the fail reason, and the
/// ends of its stdout and stderr when `hone tune` kept them and they are on this machine.
enum TrialPage {
  static func live(_ view: StudyView, trial: FrozenTrial, logRoot: String?, writes: Bool) -> String {
    var html = Html.section("trial-summary", "Trial \(trial.number)", Html.keyValues([
      ("state", trial.state.rawValue), ("values", Html.values(trial.values)),
      ("started", Html.date(trial.datetimeStart)), ("finished", Html.date(trial.datetimeComplete)),
      ("duration", Html.duration(trial.duration)), ("worker", trial.systemAttrs["worker"]?.stringValue ?? "—"),
    ] + (trial.failReason.map { [("fail reason", $0)] } ?? []), id: "facts"))
    html += Html.section("params", "Parameters", Html.keyValues(trial.params.keys.sorted().map { name in
      (name, "\(trial.params[name]!)   (\(trial.distributions[name].map { $0.json.description } ?? "no distribution"))")
    }))
    if !trial.intermediateValues.isEmpty {
      let curve = StudyPlots(name: view.name, directions: view.directions, trials: [trial]).intermediateValues()
      let rows = trial.intermediateValues.keys.sorted().map { ("step \($0)", Html.number(trial.intermediateValues[$0]!)) }
      html += Html.section("intermediate-values", "Intermediate values", curve + Html.keyValues(rows))
    }
    html += Html.section("user-attrs", "User attributes", Html.keyValues(trial.userAttrs.keys.sorted().map { ($0, trial.userAttrs[$0]!.description) }))
    html += Html.section("system-attrs", "System attributes", Html.keyValues(trial.systemAttrs.keys.sorted().map { ($0, trial.systemAttrs[$0]!.description) }))
    for stream in LogFile.Stream.allCases {
      let content: String
      do {
        let log = try LogFile.read(recorded: trial.systemAttrs[stream.attribute]?.stringValue, stream: stream,
                                   trialNumber: trial.number, root: logRoot)
        content = (log.truncated ? "<p class=\"muted\">the last \(LogFile.tail / 1024) KiB</p>" : "")
          + "<pre>\(Html.h(log.text))</pre><p><a href=\"/studies/\(view.id)/trials/\(trial.number)/logs/\(stream.rawValue)\">raw</a></p>"
      } catch {
        content = "<p class=\"muted\">\(Html.h("\(error)"))</p>"
      }
      html += Html.section(stream.rawValue, stream.rawValue, content)
    }
    if writes && trial.state == .running {
      html += Html.section("actions", "Actions", ["fail", "prune"].map { action in
        "<form method=\"post\" action=\"/studies/\(view.id)/trials/\(trial.number)/\(action)\"><button type=\"submit\">\(action.capitalized) this trial</button></form>"
      }.joined())
    }
    return html
  }
}
