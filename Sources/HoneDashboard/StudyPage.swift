import Foundation
import HoneReport
import HoneTune

/// A study, live: its summary (counts, best trials, sampler and pruner, note) and every plot
/// — optimization history with the best-so-far line, intermediate values with pruned curves
/// marked, parallel coordinates, PED-ANOVA importance, slice plots, the Pareto front for
/// several objectives, and the timeline of trials by worker. Plots are drawn once per change
/// counter and shared by every request that sees it.
enum StudyPage {
  /// The `#live` element's content.
  static func live(_ view: StudyView, attrs: [String: JSONValue], writes: Bool) -> String {
    summary(view, attrs: attrs) + plots(view) + (writes ? forms(view, note: attrs["note"]?.stringValue ?? "") : "")
  }

  private static func summary(_ view: StudyView, attrs: [String: JSONValue]) -> String {
    let stats = view.stats
    let states = TrialState.allCases.compactMap { s in stats.counts[s].map { "\($0) \(s.rawValue)" } }.joined(separator: ", ")
    let best = view.memoized("best-trials") { Array(view.trials.filter { view.plots.bestTrialNumbers.contains($0.number) }.prefix(20)) }
    var html = "<section id=\"summary\"><p id=\"counts\" data-trials=\"\(stats.total)\" data-counter=\"\(view.counter)\">"
      + "\(stats.total) trials (\(states.isEmpty ? "none yet" : states)); \(view.directions.map(\.rawValue).joined(separator: ", "))"
      + "; latest trial \(view.trials.last.map { "#\($0.number) (\($0.state.rawValue))" } ?? "—")"
      + " · <a href=\"/studies/\(view.id)/trials\">all trials</a> · <a href=\"/studies/\(view.id)/trials?state=running\">running</a></p>"
    var facts = [
      ("sampler", attrs["sampler"]?.stringValue ?? "not recorded"), ("pruner", attrs["pruner"]?.stringValue ?? "not recorded"),
      ("trials per minute (last 10 min)", String(format: "%.1f", stats.perMinute)), ("last activity", Html.date(stats.lastActivity)),
    ]
    let auto = view.memoized("auto-choices") { AutoSampler.choiceSummary(of: view.trials) ?? "" }
    if !auto.isEmpty {
      facts.insert(("auto sampler chose", auto), at: 1)
    }
    if let note = attrs["note"]?.stringValue { facts.append(("note", note)) }
    html += Html.keyValues(facts)
    if !best.isEmpty {
      html += "<table class=\"grid\" id=\"best\"><tr><th>best trial</th><th>values</th><th>parameters</th></tr>"
      for trial in best {
        let params = trial.params.keys.sorted().map { "\($0)=\(trial.params[$0]!)" }.joined(separator: " ")
        html += "<tr><td><a href=\"/studies/\(view.id)/trials/\(trial.number)\">#\(trial.number)</a></td><td>\(Html.values(trial.values))</td><td>\(Html.h(params))</td></tr>"
      }
      html += "</table>"
    }
    return html + "</section>"
  }

  /// Every plot, drawn once per view; the plots are independent, so they are drawn at once on
  /// as many cores as there are.
  static func plots(_ view: StudyView) -> String {
    view.memoized("plots") {
      let plots = view.plots
      let suffix: @Sendable (Int) -> String = { i in view.directions.count > 1 ? " — objective \(i + 1)" : "" }
      var sections: [@Sendable () -> String] = []
      if plots.hasCompleteTrials {
        for i in 0..<plots.objectives {
          sections.append { Html.section("history", "Optimization history" + suffix(i), plots.history(objective: i)) }
        }
      } else {
        sections.append { Html.section("history", "Optimization history", "<p class=\"muted\">No complete trial yet: the value plots need one.</p>") }
      }
      if plots.hasIntermediateValues { sections.append { Html.section("intermediate-values", "Intermediate values", plots.intermediateValues()) } }
      if plots.hasCompleteTrials {
        sections.append { Html.section("parallel-coordinates", "Parallel coordinates" + suffix(0), plots.parallelCoordinates(objective: 0)) }
        sections.append { Html.section("importance", "Parameter importance" + suffix(0), importance(view)) }
        sections.append { Html.section("slices", "Slice plots" + suffix(0), "<div class=\"plots\">\(plots.slices(objective: 0).joined())</div>") }
        if plots.objectives >= 2 { sections.append { Html.section("pareto-front", "Pareto front", plots.paretoFront()) } }
      }
      if view.trials.contains(where: { $0.datetimeStart != nil }) { sections.append { Html.section("timeline", "Timeline", plots.timeline()) } }
      let drawn = Locked([String](repeating: "", count: sections.count))
      let work = sections
      DispatchQueue.concurrentPerform(iterations: work.count) { k in
        let html = work[k]()
        drawn.withLock { $0[k] = html }
      }
      return drawn.current.joined()
    }
  }

  /// PED-ANOVA importances of the first objective as bars, or why there are none.
  private static func importance(_ view: StudyView) -> String {
    do {
      return StudyPlots.importance(try PedAnovaImportance().importances(of: view.trials, direction: view.directions[0]))
    } catch {
      return "<p class=\"muted\">\(Html.h("\(error)"))</p>"
    }
  }

  /// The forms of a dashboard that takes writes: the study's note and a trial to enqueue.
  private static func forms(_ view: StudyView, note: String) -> String {
    Html.section("actions", "Actions", """
      <form method="post" action="/studies/\(view.id)/note"><label>Note<br><textarea name="note" rows="3" cols="60">\(Html.h(note))</textarea></label><br><button type="submit">Save the note</button></form>
      <form method="post" action="/studies/\(view.id)/enqueue"><label>Enqueue a trial with these parameters (JSON object)<br><input name="params" size="60" placeholder="{&quot;lr&quot;: 0.01}"></label> <button type="submit">Enqueue</button></form>
      """)
  }
}
