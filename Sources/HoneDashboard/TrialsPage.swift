import Foundation
import HoneTune

/// The trial table of a study: filters (state, a parameter's range or value, a value range),
/// sort by any column, pages of up to 500 rows, and user attributes as optional columns. The
/// filtered and sorted order is computed once per change counter and query, so paging through
/// 100,000 trials costs one slice of a cached array.
enum TrialsPage {
  static func live(_ view: StudyView, query: TrialQuery) -> String {
    var orderKey = query
    (orderKey.page, orderKey.perPage, orderKey.columns) = (1, 50, [])
    let selected = view.memoized("select" + orderKey.queryString()) { query.select(view.trials) }
    let pages = max(1, (selected.count + query.perPage - 1) / query.perPage)
    let page = min(query.page, pages)
    let rows = selected.dropFirst((page - 1) * query.perPage).prefix(query.perPage)
    let (params, userKeys) = (view.parameterNames, view.userAttrKeys)
    let base = "/studies/\(view.id)/trials"

    var html = "<p id=\"matches\" data-count=\"\(selected.count)\">\(selected.count) of \(view.trials.count) trials match; page \(page) of \(pages).</p>"
    html += "<table class=\"grid\" id=\"trials\"><thead><tr>"
    var headers: [(label: String, sort: String?)] = [("#", "number"), ("state", "state")]
    headers += (0..<view.directions.count).map { (view.directions.count == 1 ? "value" : "value \($0 + 1)", $0 == query.objective ? "value" : nil) }
    headers += [("duration", "duration"), ("start", "start"), ("worker", nil)]
    headers += params.map { ($0, "param:" + $0) }
    headers += query.columns.map { ("user: " + $0, "user:" + $0) }
    for (label, sort) in headers {
      guard let sort else { html += "<th>\(Html.h(label))</th>"; continue }
      let descending = sort == query.sort ? !query.descending : false
      let mark = sort == query.sort ? (query.descending ? " ▼" : " ▲") : ""
      let link = base + query.queryString(["sort": sort, "order": descending ? "desc" : nil, "page": nil])
      html += "<th><a href=\"\(Html.h(link))\">\(Html.h(label))\(mark)</a></th>"
    }
    html += "</tr></thead><tbody>"
    for trial in rows {
      html += "<tr class=\"\(trial.state.rawValue)\"><td><a href=\"\(base)/\(trial.number)\">\(trial.number)</a></td><td>\(trial.state.rawValue)</td>"
      for i in 0..<view.directions.count { html += "<td class=\"num\">\(trial.values.map { $0.indices.contains(i) ? Html.number($0[i]) : "—" } ?? "—")</td>" }
      html += "<td class=\"num\">\(Html.duration(trial.duration))</td><td>\(Html.date(trial.datetimeStart))</td>"
      html += "<td>\(Html.h(trial.systemAttrs["worker"]?.stringValue ?? "—"))</td>"
      for name in params { html += "<td>\(Html.h(trial.params[name]?.description ?? "—"))</td>" }
      for key in query.columns { html += "<td>\(Html.h(trial.userAttrs[key]?.description ?? "—"))</td>" }
      html += "</tr>"
    }
    html += "</tbody></table>"
    html += pager(base: base, query: query, page: page, pages: pages)
    return filterForm(base: base, query: query, params: params, userKeys: userKeys) + html
  }

  private static func pager(base: String, query: TrialQuery, page: Int, pages: Int) -> String {
    func link(_ label: String, _ target: Int) -> String {
      target == page || target < 1 || target > pages ? "<span>\(label)</span>"
        : "<a href=\"\(Html.h(base + query.queryString(["page": String(target)])))\">\(label)</a>"
    }
    return "<p class=\"pager\">\(link("« first", 1)) \(link("‹ previous", page - 1)) page \(page) of \(pages) \(link("next ›", page + 1)) \(link("last »", pages))</p>"
  }

  private static func filterForm(base: String, query: TrialQuery, params: [String], userKeys: [String]) -> String {
    func field(_ name: String, _ value: String?, _ label: String, size: Int = 8) -> String {
      "<label>\(label) <input name=\"\(name)\" size=\"\(size)\" value=\"\(Html.h(value ?? ""))\"></label>"
    }
    func option(_ value: String, selected: Bool, label: String? = nil) -> String {
      "<option value=\"\(Html.h(value))\"\(selected ? " selected" : "")>\(Html.h(label ?? value))</option>"
    }
    let states = TrialState.allCases.map { option($0.rawValue, selected: query.states.contains($0)) }.joined()
    let paramOptions = option("", selected: query.param == nil, label: "(any)") + params.map { option($0, selected: query.param == $0) }.joined()
    let columnOptions = userKeys.map { option($0, selected: query.columns.contains($0)) }.joined()
    return """
      <form method="get" action="\(base)" class="filters">
      <label>state <select name="state" multiple size="3">\(states)</select></label>
      <label>parameter <select name="param">\(paramOptions)</select></label>
      \(field("pmin", query.paramMin.map { "\($0)" }, "from")) \(field("pmax", query.paramMax.map { "\($0)" }, "to")) \(field("pvalue", query.paramValue, "or equal to"))
      \(field("vmin", query.valueMin.map { "\($0)" }, "value from")) \(field("vmax", query.valueMax.map { "\($0)" }, "to"))
      \(userKeys.isEmpty ? "" : "<label>user attribute columns <select name=\"column\" multiple size=\"3\">\(columnOptions)</select></label>")
      \(field("per_page", String(query.perPage), "rows per page", size: 4))
      <input type="hidden" name="sort" value="\(Html.h(query.sort))"><input type="hidden" name="order" value="\(query.descending ? "desc" : "asc")">
      <button type="submit">Apply</button> <a href="\(base)">clear</a></form>
      """
  }
}
