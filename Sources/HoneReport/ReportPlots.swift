import Foundation
import HoneTune

/// The report's plots, each an `<svg>` element.
enum ReportPlots {
  static let blue = "#1f77b4", orange = "#ff7f0e", red = "#d62728", grey = "#9a9a9a"

  /// Optimization history: each complete trial's value by trial number, and the best value so
  /// far as a step line.
  static func history(_ input: ReportInput, objective i: Int) -> String {
    var canvas = SVGCanvas()
    let points = input.complete.map { (Double($0.number), $0.values![i]) }
    let x = PlotScale(.integer, values: points.map(\.0), pixels: canvas.xPixels)
    let y = PlotScale(.linear, values: points.map(\.1), pixels: canvas.yPixels)
    canvas.axes(x: x, y: y, xTitle: "trial", yTitle: input.objectiveTitle(i))
    // The best-so-far line is a step at each improvement; the improvements are always drawn.
    let improvements = input.improvements(objective: i)
    var bestSoFar = bestSoFarSteps(improvements.map { (points[$0.index].0, $0.value) }, until: nil)
      .map { (x.position($0.0), y.position($0.1)) }
    if let last = bestSoFar.last { bestSoFar.append((canvas.plotRight, last.1)) }
    let shown = PlotSample.indices(count: points.count, budget: PlotSample.dots, keep: Set(improvements.map(\.index)))
    for k in shown {
      let (n, v) = points[k]
      canvas.circle(x.position(n), y.position(v), fill: blue, title: "trial \(Int(n)): \(v)")
    }
    canvas.polyline(bestSoFar, stroke: orange, width: 2, cssClass: "best-so-far")
    canvas.note(PlotSample.note(shown: shown.count, of: points.count))
    return canvas.svg(label: "optimization history of \(input.objectiveTitle(i))")
  }

  /// The corners of a step line through `improvements` (trial number, best value), held to
  /// trial `until` when given.
  static func bestSoFarSteps(_ improvements: [(Double, Double)], until: Double?) -> [(Double, Double)] {
    var steps: [(Double, Double)] = []
    for (n, v) in improvements {
      if let previous = steps.last { steps.append((n, previous.1)) }
      steps.append((n, v))
    }
    if let until, let last = steps.last { steps.append((until, last.1)) }
    return steps
  }

  /// Intermediate values (learning curves) of every trial that reported some; complete trials
  /// in blue, pruned ones in red ending in a cross, the others grey.
  static func intermediateValues(_ input: ReportInput) -> String {
    var canvas = SVGCanvas()
    let all = input.trials.filter { !$0.intermediateValues.isEmpty }
    let curves = PlotSample.items(all, budget: PlotSample.curves)
    let steps = curves.flatMap { $0.intermediateValues.keys.map(Double.init) }
    let values = curves.flatMap { $0.intermediateValues.values }
    let x = PlotScale(.integer, values: steps, pixels: canvas.xPixels)
    let y = PlotScale(.linear, values: values, pixels: canvas.yPixels)
    canvas.axes(x: x, y: y, xTitle: "step", yTitle: "intermediate value")
    for trial in curves {
      let color = trial.state == .complete ? blue : trial.state == .pruned ? red : grey
      let points = trial.intermediateValues.sorted { $0.key < $1.key }.filter { $0.value.isFinite }
        .map { (x.position(Double($0.key)), y.position($0.value)) }
      canvas.polyline(points, stroke: color, width: 1.2, opacity: 0.6, cssClass: "curve")
      if trial.state == .pruned, let end = points.last { canvas.cross(end.0, end.1, stroke: red, cssClass: "pruned-end") }
    }
    canvas.text(canvas.plotRight - 4, canvas.plotTop + 14, "blue: complete · red ×: pruned", anchor: "end", size: 10)
    canvas.note(PlotSample.note(shown: curves.count, of: all.count, what: "curves"), line: 2)
    return canvas.svg(label: "intermediate values")
  }

  /// Parallel coordinates: one vertical axis per parameter and one for the objective; each
  /// complete trial is a line across them, colored by its rank (yellow = best).
  static func parallelCoordinates(_ input: ReportInput, objective i: Int) -> String {
    let axes = input.parameters.map { parameter in
      (title: parameter.name, kind: ReportInput.scaleKind(parameter.distribution),
       value: { (t: FrozenTrial) in ReportInput.plotValue(t.param(parameter.name), in: parameter.distribution) })
    }
      + [(title: input.objectiveTitle(i), kind: PlotScale.Kind.linear, value: { (t: FrozenTrial) in t.values?[i] })]
    var canvas = SVGCanvas(width: max(640, Double(axes.count) * 110), height: 380, left: 60, right: 60, top: 20, bottom: 60)
    let spacing = axes.count > 1 ? (canvas.plotRight - canvas.plotLeft) / Double(axes.count - 1) : 0
    // Worst first, so the best lines are drawn on top; past the budget, a sample of them with
    // the best tenth of the budget always kept. The parameters' axes span the lines drawn, the
    // objective's every value.
    let values = input.complete.map { $0.values![i] }
    let minimize = input.directions[i] == .minimize
    let worstFirst = values.indices.sorted { minimize ? values[$0] > values[$1] : values[$0] < values[$1] }
    let keepBest = Set(max(0, worstFirst.count - PlotSample.lines / 10)..<worstFirst.count)
    let ranked = PlotSample.items(worstFirst, budget: PlotSample.lines, keep: keepBest).map { input.complete[$0] }
    let scales = axes.indices.map { k in
      PlotScale(axes[k].kind, values: k == axes.count - 1 ? values : ranked.compactMap(axes[k].value), pixels: canvas.yPixels)
    }
    for (k, axis) in axes.enumerated() {
      let px = canvas.plotLeft + Double(k) * spacing
      canvas.line(px, canvas.plotTop, px, canvas.plotBottom, stroke: "#555")
      for tick in scales[k].ticks { canvas.text(px - 4, scales[k].position(tick.value) + 3.5, tick.label, anchor: "end", size: 9) }
      canvas.text(px, canvas.plotBottom + 18, axis.title, size: 11)
    }
    for (rank, trial) in ranked.enumerated() {
      let points = axes.enumerated().compactMap { k, axis in
        axis.value(trial).map { (canvas.plotLeft + Double(k) * spacing, scales[k].position($0)) }
      }
      canvas.polyline(points, stroke: rampColor(ranked.count > 1 ? Double(rank) / Double(ranked.count - 1) : 1), width: 1.3,
                      opacity: 0.7, cssClass: "trial-line")
    }
    canvas.note(PlotSample.note(shown: ranked.count, of: values.count))
    return canvas.svg(label: "parallel coordinates")
  }

  /// Parameter importances as horizontal bars, largest first.
  static func importance(_ importances: [(name: String, importance: Double)], method: String) -> String {
    let rowHeight = 26.0
    var canvas = SVGCanvas(width: 640, height: 60 + rowHeight * Double(importances.count), left: 160, right: 60, top: 10, bottom: 40)
    let x = PlotScale(.linear, values: [0, importances.map(\.importance).max() ?? 1], pixels: canvas.xPixels)
    canvas.axes(x: x, y: PlotScale(.categorical(importances.map(\.name).reversed()), values: [], pixels: canvas.yPixels),
                xTitle: "importance (\(method))", yTitle: "")
    for (k, item) in importances.enumerated() {
      let top = canvas.plotTop + Double(k) * (canvas.plotBottom - canvas.plotTop) / Double(importances.count)
      canvas.rect(x.position(0), top + 5, x.position(item.importance) - x.position(0), rowHeight - 10, fill: blue,
                  title: "\(item.name): \(String(format: "%.3f", item.importance))")
      canvas.text(x.position(item.importance) + 4, top + rowHeight / 2 + 4, String(format: "%.3f", item.importance), anchor: "start", size: 10)
    }
    return canvas.svg(label: "parameter importance")
  }

  /// One slice plot: the objective against one parameter over the complete trials, colored by
  /// trial number (later trials yellow).
  static func slice(_ input: ReportInput, parameter: (name: String, distribution: Distribution), objective i: Int) -> String {
    var canvas = SVGCanvas(width: 320, height: 260, left: 64, right: 12, top: 12, bottom: 46)
    let sampled = PlotSample.items(input.complete, budget: PlotSample.sliceDots)
    let points = sampled.compactMap { trial in
      ReportInput.plotValue(trial.param(parameter.name), in: parameter.distribution).map { ($0, trial.values![i], trial.number) }
    }
    let x = PlotScale(ReportInput.scaleKind(parameter.distribution), values: points.map(\.0), pixels: canvas.xPixels)
    let y = PlotScale(.linear, values: points.map(\.1), pixels: canvas.yPixels)
    canvas.axes(x: x, y: y, xTitle: parameter.name + (parameter.distribution.isLog ? " (log)" : ""), yTitle: input.objectiveTitle(i))
    let last = Double(max(input.trials.last?.number ?? 1, 1))
    for (px, v, n) in points { canvas.circle(x.position(px), y.position(v), radius: 3, fill: rampColor(Double(n) / last), title: "trial \(n)") }
    canvas.note(PlotSample.note(shown: sampled.count, of: input.complete.count))
    return canvas.svg(label: "slice plot of \(parameter.name)")
  }

  /// The first two objectives of every complete trial, with the Pareto front in red joined
  /// by a line.
  static func paretoFront(_ input: ReportInput) -> String {
    var canvas = SVGCanvas()
    let x = PlotScale(.linear, values: input.complete.map { $0.values![0] }, pixels: canvas.xPixels)
    let y = PlotScale(.linear, values: input.complete.map { $0.values![1] }, pixels: canvas.yPixels)
    canvas.axes(x: x, y: y, xTitle: input.objectiveTitle(0), yTitle: input.objectiveTitle(1))
    let front = input.complete.filter { input.best.contains($0.number) }.sorted { $0.values![0] < $1.values![0] }
    canvas.polyline(front.map { (x.position($0.values![0]), y.position($0.values![1])) }, stroke: red, width: 1.5)
    let keep = Set(input.complete.indices.filter { input.best.contains(input.complete[$0].number) })
    let shown = PlotSample.items(input.complete, budget: PlotSample.dots, keep: keep)
    for trial in shown {
      let onFront = input.best.contains(trial.number)
      canvas.circle(x.position(trial.values![0]), y.position(trial.values![1]), fill: onFront ? red : grey,
                    title: "trial \(trial.number): \(trial.values!.map { String(format: "%.4g", $0) }.joined(separator: ", "))",
                    cssClass: onFront ? "pareto" : nil)
    }
    canvas.note(PlotSample.note(shown: shown.count, of: input.complete.count))
    return canvas.svg(label: "Pareto front")
  }
}
