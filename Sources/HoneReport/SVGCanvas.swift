import Foundation

/// An SVG drawing built as text: shapes, text, and labelled axes around a plot area.
struct SVGCanvas {
  let width: Double, height: Double
  /// The plot area inside the margins that hold tick labels and axis titles.
  let plotLeft: Double, plotRight: Double, plotTop: Double, plotBottom: Double
  private(set) var body = ""

  init(width: Double = 640, height: Double = 360, left: Double = 72, right: Double = 20, top: Double = 16, bottom: Double = 52) {
    (self.width, self.height) = (width, height)
    (plotLeft, plotRight, plotTop, plotBottom) = (left, width - right, top, height - bottom)
  }

  /// The horizontal pixel range of the plot area.
  var xPixels: (Double, Double) { (plotLeft, plotRight) }
  /// The vertical pixel range (bottom to top: larger values higher).
  var yPixels: (Double, Double) { (plotBottom, plotTop) }

  mutating func line(_ x1: Double, _ y1: Double, _ x2: Double, _ y2: Double, stroke: String = "#888", width: Double = 1, dash: Bool = false) {
    body += "<line x1=\"\(f(x1))\" y1=\"\(f(y1))\" x2=\"\(f(x2))\" y2=\"\(f(y2))\" stroke=\"\(stroke)\" stroke-width=\"\(f(width))\"\(dash ? " stroke-dasharray=\"4 3\"" : "")/>"
  }

  mutating func polyline(_ points: [(Double, Double)], stroke: String, width: Double = 1.5, opacity: Double = 1, cssClass: String? = nil) {
    guard points.count > 1 else { return }
    let list = points.map { "\(f($0.0)),\(f($0.1))" }.joined(separator: " ")
    body += "<polyline\(cssClass.map { " class=\"\($0)\"" } ?? "") points=\"\(list)\" fill=\"none\" stroke=\"\(stroke)\" stroke-width=\"\(f(width))\" stroke-opacity=\"\(f(opacity))\"/>"
  }

  /// A dot with a hover title.
  mutating func circle(_ x: Double, _ y: Double, radius: Double = 3.5, fill: String, title: String? = nil, cssClass: String? = nil) {
    body += "<circle\(cssClass.map { " class=\"\($0)\"" } ?? "") cx=\"\(f(x))\" cy=\"\(f(y))\" r=\"\(f(radius))\" fill=\"\(fill)\" fill-opacity=\"0.85\">"
    body += title.map { "<title>\(escapeHTML($0))</title>" } ?? ""
    body += "</circle>"
  }

  /// A cross (a pruned trial's last value).
  mutating func cross(_ x: Double, _ y: Double, size: Double = 4, stroke: String, cssClass: String? = nil) {
    let d = "M\(f(x - size)) \(f(y - size))L\(f(x + size)) \(f(y + size))M\(f(x - size)) \(f(y + size))L\(f(x + size)) \(f(y - size))"
    body += "<path\(cssClass.map { " class=\"\($0)\"" } ?? "") d=\"\(d)\" stroke=\"\(stroke)\" stroke-width=\"1.5\" fill=\"none\"/>"
  }

  mutating func rect(_ x: Double, _ y: Double, _ w: Double, _ h: Double, fill: String, title: String? = nil) {
    body += "<rect x=\"\(f(x))\" y=\"\(f(y))\" width=\"\(f(max(w, 0)))\" height=\"\(f(max(h, 0)))\" fill=\"\(fill)\">"
    body += title.map { "<title>\(escapeHTML($0))</title>" } ?? ""
    body += "</rect>"
  }

  /// Text, escaped; `rotate` turns it about its anchor (−90 for a vertical axis title).
  mutating func text(_ x: Double, _ y: Double, _ content: String, anchor: String = "middle", size: Double = 11,
                     rotate: Double? = nil, fill: String = "#333") {
    let turn = rotate.map { " transform=\"rotate(\(f($0)) \(f(x)) \(f(y)))\"" } ?? ""
    body += "<text x=\"\(f(x))\" y=\"\(f(y))\" text-anchor=\"\(anchor)\" font-size=\"\(f(size))\" fill=\"\(fill)\"\(turn)>\(escapeHTML(content))</text>"
  }

  /// A small grey note in the top-left corner of the plot area (such as how many of the
  /// trials a sampled plot shows); nothing when nil.
  mutating func note(_ content: String?, line: Int = 1) {
    guard let content else { return }
    text(plotLeft + 4, plotTop + 14 * Double(line), content, anchor: "start", size: 10, fill: "#777")
  }

  /// The frame of the plot area, grid lines and labels at the ticks of both scales, and the
  /// axis titles.
  mutating func axes(x: PlotScale, y: PlotScale, xTitle: String, yTitle: String) {
    for tick in x.ticks {
      let px = x.position(tick.value)
      line(px, plotTop, px, plotBottom, stroke: "#eee")
      text(px, plotBottom + 15, tick.label, size: 10)
    }
    for tick in y.ticks {
      let py = y.position(tick.value)
      line(plotLeft, py, plotRight, py, stroke: "#eee")
      text(plotLeft - 6, py + 3.5, tick.label, anchor: "end", size: 10)
    }
    body += "<rect x=\"\(f(plotLeft))\" y=\"\(f(plotTop))\" width=\"\(f(plotRight - plotLeft))\" height=\"\(f(plotBottom - plotTop))\" fill=\"none\" stroke=\"#999\"/>"
    text((plotLeft + plotRight) / 2, height - 12, xTitle, size: 12)
    text(16, (plotTop + plotBottom) / 2, yTitle, size: 12, rotate: -90)
  }

  /// The finished `<svg>` element.
  func svg(label: String) -> String {
    "<svg xmlns=\"http://www.w3.org/2000/svg\" role=\"img\" aria-label=\"\(escapeHTML(label))\" width=\"\(f(width))\" height=\"\(f(height))\" viewBox=\"0 0 \(f(width)) \(f(height))\" font-family=\"sans-serif\">\(body)</svg>"
  }

  private func f(_ x: Double) -> String { String(format: "%.1f", x) }
}

/// Text made safe inside HTML and SVG elements and attribute values.
public func escapeHTML(_ text: String) -> String {
  var out = ""
  out.reserveCapacity(text.count)
  for c in text {
    switch c {
    case "&": out += "&amp;"
    case "<": out += "&lt;"
    case ">": out += "&gt;"
    case "\"": out += "&quot;"
    case "'": out += "&#39;"
    default: out.append(c)
    }
  }
  return out
}

/// A color from a blue-to-yellow ramp for t ∈ [0, 1] (a short viridis-like ramp).
func rampColor(_ t: Double) -> String {
  let stops: [(Double, Double, Double)] = [(68, 1, 84), (59, 82, 139), (33, 145, 140), (94, 201, 98), (253, 231, 37)]
  let u = min(max(t.isFinite ? t : 0, 0), 1) * Double(stops.count - 1)
  let i = min(Int(u), stops.count - 2)
  let w = u - Double(i)
  let (a, b) = (stops[i], stops[i + 1])
  func mix(_ x: Double, _ y: Double) -> Int { Int((x + (y - x) * w).rounded()) }
  return String(format: "#%02x%02x%02x", mix(a.0, b.0), mix(a.1, b.1), mix(a.2, b.2))
}
