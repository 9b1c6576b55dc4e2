import Foundation

/// A self-contained HTML page (inline CSS and SVG, no script, nothing fetched): a heading and
/// sections, each with a fixed id and a title. Every report Hone writes is one.
public struct HTMLPage: Sendable {
  /// A section: its id, its title (escaped) and its HTML content (inserted as is).
  public typealias Section = (id: String, title: String, html: String)

  /// The page title and first heading.
  public var title: String
  /// The sections, in order; an empty title gives a section without a heading.
  public var sections: [Section]

  /// A page.
  public init(title: String, sections: [Section] = []) {
    self.title = title
    self.sections = sections
  }

  /// The page's text.
  public var html: String {
    let body = sections.map { s in
      "<section id=\"\(escapeHTML(s.id))\">\(s.title.isEmpty ? "" : "<h2>\(escapeHTML(s.title))</h2>")\(s.html)</section>"
    }
    return """
      <!DOCTYPE html>
      <html lang="en"><head><meta charset="utf-8"><title>\(escapeHTML(title))</title>
      <style>body{font-family:sans-serif;margin:24px;color:#222;background:#fff}h1{font-size:22px}h2{font-size:17px;margin-top:28px}\
      table{border-collapse:collapse;font-size:13px}td,th{border:1px solid #ddd;padding:3px 8px;text-align:left}\
      td.n{text-align:right;font-variant-numeric:tabular-nums}.grid{display:flex;flex-wrap:wrap;gap:8px}svg{background:#fff}</style></head>
      <body><h1>\(escapeHTML(title))</h1>
      \(body.joined(separator: "\n"))
      </body></html>
      """
  }

  /// Writes the page atomically (a reader never sees half a file).
  public func write(to path: String) throws { try Self.write(html, to: path) }

  /// Writes `text` to `path` atomically.
  static func write(_ text: String, to path: String) throws {
    try Data(text.utf8).write(to: URL(fileURLWithPath: path), options: .atomic)
  }

  /// An HTML table of text cells (escaped); cells that parse as numbers are right-aligned.
  public static func table(header: [String], rows: [[String]]) -> String {
    func cell(_ text: String, _ tag: String) -> String {
      "<\(tag)\(Double(text) != nil ? " class=\"n\"" : "")>\(escapeHTML(text))</\(tag)>"
    }
    let head = "<tr>" + header.map { cell($0, "th") }.joined() + "</tr>"
    return "<table>" + head + rows.map { "<tr>" + $0.map { cell($0, "td") }.joined() + "</tr>" }.joined() + "</table>"
  }
}
