import Foundation
import HoneReport
import HoneTune

/// Building blocks of the dashboard's pages: every name, value and attribute goes through
/// `h` (HTML-escaped); the page frame links the one stylesheet and the one script, both
/// served by the dashboard itself (`Assets`).
enum Html {
  /// Escaped text.
  static func h(_ text: String) -> String { escapeHTML(text) }

  /// A number in at most 6 significant digits.
  static func number(_ x: Double) -> String { String(format: "%.6g", x) }

  /// Values of a trial, or "—".
  static func values(_ values: [Double]?) -> String { values.map { $0.map(number).joined(separator: ", ") } ?? "—" }

  /// A date in UTC, to the second (gmtime_r: no formatter to build or share between threads).
  static func date(_ date: Date?) -> String {
    guard let date else { return "—" }
    var seconds = time_t(date.timeIntervalSince1970.rounded(.down))
    var parts = tm()
    gmtime_r(&seconds, &parts)
    return String(format: "%04d-%02d-%02d %02d:%02d:%02d UTC", parts.tm_year + 1900, parts.tm_mon + 1, parts.tm_mday,
                  parts.tm_hour, parts.tm_min, parts.tm_sec)
  }

  /// Seconds as "12.3 s", "4 min 2 s" or "2 h 5 min".
  static func duration(_ seconds: Double?) -> String {
    guard let s = seconds else { return "—" }
    if s < 60 { return String(format: "%.1f s", s) }
    if s < 3600 { return "\(Int(s) / 60) min \(Int(s) % 60) s" }
    return "\(Int(s) / 3600) h \(Int(s) % 3600 / 60) min"
  }

  /// The whole page. A live page names `feed` (a JSON change counter, polled with `since`)
  /// and `part` (the HTML of its `#live` element), which the script fetches when the
  /// counter moves.
  static func page(title: String, crumbs: [(String, String?)], live: (feed: String, part: String, counter: String)? = nil,
                   body: String) -> String {
    let trail = crumbs.map { label, href in href.map { "<a href=\"\(h($0))\">\(h(label))</a>" } ?? "<span>\(h(label))</span>" }
      .joined(separator: " / ")
    let data = live.map { " data-feed=\"\(h($0.feed))\" data-part=\"\(h($0.part))\" data-counter=\"\($0.counter)\"" } ?? ""
    return """
      <!DOCTYPE html>
      <html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
      <title>\(h(title)) · Hone</title><link rel="icon" href="/favicon.ico"><link rel="stylesheet" href="/static/dashboard.css"><script src="/static/dashboard.js" defer></script></head>
      <body\(data)><header><a class="brand" href="/">Hone</a> <nav>\(trail)</nav><span id="status">\(live == nil ? "" : "live")</span></header>
      <main>\(body)</main></body></html>
      """
  }

  /// A section with an id and a heading.
  static func section(_ id: String, _ title: String, _ content: String) -> String {
    "<section id=\"\(id)\"><h2>\(h(title))</h2>\(content)</section>"
  }

  /// A table of two columns.
  static func keyValues(_ rows: [(String, String)], id: String? = nil) -> String {
    guard !rows.isEmpty else { return "<p class=\"muted\">none</p>" }
    return "<table class=\"kv\"\(id.map { " id=\"\($0)\"" } ?? "")>" + rows.map { "<tr><th>\(h($0.0))</th><td>\(h($0.1))</td></tr>" }.joined() + "</table>"
  }

  /// A message page for a failed request.
  static func error(status: Int, message: String) -> String {
    page(title: "Error \(status)", crumbs: [("error \(status)", nil)], body: "<p class=\"error\">\(h(message))</p>")
  }
}
