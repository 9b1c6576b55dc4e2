import Foundation
import HoneTune

/// The list of studies: name, directions, counts by state, best value(s), trials finished per
/// minute (last ten minutes) and last activity; sorted by any column (`sort`, `order`), with
/// boxes to pick studies to compare.
enum StudiesPage {
  static let columns = ["name", "directions", "trials", "complete", "pruned", "failed", "running", "waiting", "best", "per_minute", "last_activity"]

  static func live(_ views: [StudyView], sort: String, descending: Bool) throws -> String {
    guard columns.contains(sort) else {
      throw DashboardError.badRequest("sort must be one of \(columns.joined(separator: ", ")), not '\(sort)'")
    }
    guard !views.isEmpty else {
      return "<p>No study in this storage yet. Start one with <code>hone tune</code>, <code>hone demo</code> or the Swift API, and it appears here.</p>"
    }
    let rows = views.map { ($0, $0.stats) }
    let sorted = rows.sorted { a, b in
      let (x, y) = (key(sort, a.0, a.1), key(sort, b.0, b.1))
      if x == y { return a.0.id < b.0.id }
      guard let x else { return false }
      guard let y else { return true }
      return descending ? x > y : x < y
    }
    var html = "<form method=\"get\" action=\"/compare\"><table class=\"grid\" id=\"studies\"><thead><tr><th></th>"
    for column in columns {
      let next = column == sort && !descending ? "desc" : "asc"
      let mark = column == sort ? (descending ? " ▼" : " ▲") : ""
      html += "<th><a href=\"/?sort=\(column)&amp;order=\(next)\">\(column.replacingOccurrences(of: "_", with: " "))\(mark)</a></th>"
    }
    html += "</tr></thead><tbody>"
    for (view, stats) in sorted {
      let counts = [TrialState.complete, .pruned, .failed, .running, .waiting].map { "<td class=\"num\">\(stats.counts[$0] ?? 0)</td>" }.joined()
      html += "<tr><td><input type=\"checkbox\" name=\"id\" value=\"\(view.id)\" aria-label=\"compare \(Html.h(view.name))\"></td>"
        + "<td><a href=\"/studies/\(view.id)\">\(Html.h(view.name))</a></td>"
        + "<td>\(view.directions.map(\.rawValue).joined(separator: ", "))</td><td class=\"num\">\(stats.total)</td>\(counts)"
        + "<td class=\"num\">\(Html.values(stats.best))</td><td class=\"num\">\(String(format: "%.1f", stats.perMinute))</td>"
        + "<td>\(Html.date(stats.lastActivity))</td></tr>"
    }
    return html + "</tbody></table><p><button type=\"submit\">Compare the checked studies</button></p></form>"
  }

  /// The sort key of a column (numbers compare as numbers).
  private static func key(_ column: String, _ view: StudyView, _ stats: StudyStats) -> SortKey? {
    switch column {
    case "name": return .text(view.name)
    case "directions": return .text(view.directions.map(\.rawValue).joined(separator: ","))
    case "trials": return .number(Double(stats.total))
    case "best": return stats.best.map { .number($0[0]) }
    case "per_minute": return .number(stats.perMinute)
    case "last_activity": return stats.lastActivity.map { .number($0.timeIntervalSince1970) }
    default: return .number(Double(stats.counts[TrialState(rawValue: column)!] ?? 0))
    }
  }
}
