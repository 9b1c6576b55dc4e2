import Foundation
import HoneTune

/// A study as one self-contained HTML page (inline SVG and CSS, no script, nothing fetched):
/// a summary, the optimization history with the best-so-far line, the intermediate values
/// (learning curves, pruned trials marked), parallel coordinates, PED-ANOVA parameter
/// importances, one slice plot per parameter, and for several objectives the Pareto front.
/// Every plot is a `<section>` with a fixed id (`history`, `intermediate-values`,
/// `parallel-coordinates`, `importance`, `slices`, `pareto-front`); names are escaped.
public struct StudyReport {
  let input: ReportInput
  /// The importances, or why there are none.
  let importances: Result<[(name: String, importance: Double)], Error>

  /// Reads the study once.
  public init(study: Study) throws {
    input = try ReportInput(study: study)
    importances = Result { try study.parameterImportances() }
  }

  /// The page.
  public var html: String {
    var sections = [summary()]
    if input.complete.isEmpty {
      sections.append(("no-trials", "", "<p>No complete trial yet: the plots need at least one.</p>"))
    } else {
      for i in input.directions.indices {
        sections.append(section("history", "Optimization history" + suffix(i), ReportPlots.history(input, objective: i)))
      }
      sections.append(section("parallel-coordinates", "Parallel coordinates", ReportPlots.parallelCoordinates(input, objective: 0)))
      switch importances {
      case .success(let values):
        sections.append(section("importance", "Parameter importance" + suffix(0), ReportPlots.importance(values, method: "PED-ANOVA")))
      case .failure(let error):
        sections.append(section("importance", "Parameter importance", "<p>\(escapeHTML("\(error)"))</p>"))
      }
      let slices = input.parameters.map { ReportPlots.slice(input, parameter: $0, objective: 0) }.joined()
      sections.append(section("slices", "Slice plots" + suffix(0), "<div class=\"grid\">\(slices)</div>"))
      if input.directions.count >= 2 { sections.append(section("pareto-front", "Pareto front", ReportPlots.paretoFront(input))) }
    }
    if input.trials.contains(where: { !$0.intermediateValues.isEmpty }) {
      sections.insert(section("intermediate-values", "Intermediate values", ReportPlots.intermediateValues(input)), at: min(2, sections.count))
    }
    return HTMLPage(title: "Study \(input.studyName)", sections: sections).html
  }

  /// Writes the page atomically (a reader never sees half a file).
  public func write(to path: String) throws { try HTMLPage.write(html, to: path) }

  private func suffix(_ i: Int) -> String { input.directions.count > 1 ? " — objective \(i + 1)" : "" }

  private func section(_ id: String, _ title: String, _ content: String) -> HTMLPage.Section { (id, title, content) }

  /// Trial counts by state, and the best trial(s) with their parameters.
  private func summary() -> HTMLPage.Section {
    let counts = Dictionary(grouping: input.trials, by: \.state).mapValues(\.count)
    let states = TrialState.allCases.compactMap { state in counts[state].map { "\($0) \(state.rawValue)" } }.joined(separator: ", ")
    var rows = ""
    for trial in input.complete where input.best.contains(trial.number) {
      let params = trial.params.keys.sorted().map { "\($0)=\(trial.params[$0]!)" }.joined(separator: " ")
      rows += "<tr><td>\(trial.number)</td><td>\(trial.values!.map { String(format: "%.6g", $0) }.joined(separator: ", "))</td><td>\(escapeHTML(params))</td></tr>"
    }
    let directions = input.directions.map { $0 == .minimize ? "minimize" : "maximize" }.joined(separator: ", ")
    let auto = AutoSampler.choiceSummary(of: input.trials).map { "<p>Samplers the auto sampler chose: \(escapeHTML($0)).</p>" } ?? ""
    return ("summary", "", "<p>\(input.trials.count) trials (\(states.isEmpty ? "none" : states)); \(directions).</p>" + auto
      + (rows.isEmpty ? "" : "<table><tr><th>best trial</th><th>value</th><th>parameters</th></tr>\(rows)</table>"))
  }
}
