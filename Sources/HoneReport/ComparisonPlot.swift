import Foundation
import HoneTune

extension ReportPlots {
  /// Ten distinct colors for the series of a comparison (the category10 palette).
  static let palette = ["#1f77b4", "#ff7f0e", "#2ca02c", "#d62728", "#9467bd", "#8c564b", "#e377c2", "#7f7f7f", "#bcbd22", "#17becf"]

  /// Several studies on one plot: each study's best value so far (first objective, in its own
  /// direction) against the trial number, as a step line, with a legend.
  static func comparison(_ studies: [ReportInput]) -> String {
    var canvas = SVGCanvas(width: 760, height: 400, left: 72, right: 180, top: 16, bottom: 52)
    let series = studies.map { study in
      bestSoFarSteps(study.improvements(objective: 0).map { (Double(study.complete[$0.index].number), $0.value) },
                     until: study.trials.last.map { Double($0.number) })
    }
    let x = PlotScale(.integer, values: series.flatMap { $0.map(\.0) } + [0], pixels: canvas.xPixels)
    let y = PlotScale(.linear, values: series.flatMap { $0.map(\.1) }, pixels: canvas.yPixels)
    canvas.axes(x: x, y: y, xTitle: "trial", yTitle: "best value so far")
    for (k, (study, steps)) in zip(studies, series).enumerated() {
      let color = palette[k % palette.count]
      canvas.polyline(steps.map { (x.position($0.0), y.position($0.1)) }, stroke: color, width: 2, cssClass: "best-so-far")
      let legendY = canvas.plotTop + 12 + 18 * Double(k)
      canvas.line(canvas.plotRight + 10, legendY - 4, canvas.plotRight + 30, legendY - 4, stroke: color, width: 3)
      let direction = study.directions[0] == .minimize ? "min" : "max"
      canvas.text(canvas.plotRight + 36, legendY, "\(study.studyName) (\(direction))", anchor: "start", size: 11)
    }
    return canvas.svg(label: "best value so far of \(studies.count) studies")
  }
}
