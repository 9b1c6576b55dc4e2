/// One named line of a `LineChart`.
public struct LineSeries: Sendable {
  /// The legend text.
  public var name: String
  /// The (x, y) points, in x order; non-finite ones are left out.
  public var points: [(x: Double, y: Double)]

  /// A series.
  public init(_ name: String, _ points: [(x: Double, y: Double)]) {
    self.name = name
    self.points = points
  }
}

/// Several lines on shared axes with a legend, as SVG (training curves, loss shares).
public enum LineChart {
  /// The chart of `series` (colors from the category10 palette, in order); `logY` plots y on a
  /// log scale (non-positive values left out).
  public static func svg(_ series: [LineSeries], xTitle: String, yTitle: String, logY: Bool = false,
                         width: Double = 560, height: Double = 320) -> String {
    var canvas = SVGCanvas(width: width, height: height, left: 64, right: 130, top: 16, bottom: 48)
    let kept = series.map { s in s.points.filter { $0.x.isFinite && $0.y.isFinite && (!logY || $0.y > 0) } }
    let xs = kept.flatMap { $0.map(\.x) }, ys = kept.flatMap { $0.map(\.y) }
    guard !xs.isEmpty else { return canvas.svg(label: "\(yTitle): no finite values") }
    let x = PlotScale(.linear, values: xs, pixels: canvas.xPixels)
    let y = PlotScale(logY ? .log : .linear, values: ys, pixels: canvas.yPixels)
    canvas.axes(x: x, y: y, xTitle: xTitle, yTitle: yTitle)
    for (k, (s, points)) in zip(series, kept).enumerated() {
      let color = ReportPlots.palette[k % ReportPlots.palette.count]
      canvas.polyline(points.map { (x.position($0.x), y.position($0.y)) }, stroke: color, width: 1.8)
      if points.count == 1 { canvas.circle(x.position(points[0].x), y.position(points[0].y), radius: 2.5, fill: color) }
      let legendY = canvas.plotTop + 12 + 16 * Double(k)
      canvas.line(canvas.plotRight + 8, legendY - 4, canvas.plotRight + 26, legendY - 4, stroke: color, width: 3)
      canvas.text(canvas.plotRight + 30, legendY, s.name, anchor: "start", size: 11)
    }
    return canvas.svg(label: "\(yTitle) against \(xTitle)")
  }
}

/// Small grayscale images (such as 8×8 digits) as one SVG strip, each with a caption.
public enum PixelImages {
  /// `images`, each `side`×`side` values row by row (larger is darker, scaled to each image's
  /// range), drawn `scale` pixels per value with `captions` under them.
  public static func svg(_ images: [[Double]], side: Int, captions: [String], scale: Double = 5) -> String {
    let cell = Double(side) * scale, gap = 10.0
    var canvas = SVGCanvas(width: max(1, Double(images.count) * (cell + gap)), height: cell + 20, left: 0, right: 0, top: 0, bottom: 0)
    for (k, image) in images.enumerated() {
      let left = Double(k) * (cell + gap)
      let (low, high) = (image.min() ?? 0, image.max() ?? 1)
      for (i, value) in image.prefix(side * side).enumerated() {
        let t = high > low ? (value - low) / (high - low) : 0
        let level = Int((255 * (1 - t)).rounded())
        canvas.rect(left + Double(i % side) * scale, Double(i / side) * scale, scale, scale, fill: "rgb(\(level),\(level),\(level))")
      }
      if k < captions.count { canvas.text(left + cell / 2, cell + 14, captions[k], size: 10) }
    }
    return canvas.svg(label: "\(images.count) images")
  }
}
