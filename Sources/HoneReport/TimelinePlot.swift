import Foundation
import HoneTune

extension ReportPlots {
  static let green = "#2ca02c"

  /// The timeline: each trial a bar from its start to its end (now, while it runs), colored
  /// by state, in one lane per worker (`worker` system attribute, which `hone tune` records as
  /// `host:pid`), or per host when there are too many workers; the most recent
  /// `PlotSample.bars` trials.
  static func timeline(_ input: ReportInput, now: Date = Date()) -> String {
    let started = input.trials.filter { $0.datetimeStart != nil }
    let shown = Array(started.sorted { $0.datetimeStart! < $1.datetimeStart! }.suffix(PlotSample.bars))
    let lane = laneNames(shown)
    let lanes = Array(Set(shown.map(lane))).sorted()
    var canvas = SVGCanvas(width: 900, height: max(200, 84 + 22 * Double(lanes.count)), left: 150, right: 20, top: 26, bottom: 46)
    guard let origin = shown.first?.datetimeStart else { return canvas.svg(label: "timeline") }
    let end = { (t: FrozenTrial) in (t.datetimeComplete ?? (t.state == .running ? now : t.datetimeStart!)).timeIntervalSince(origin) }
    let x = PlotScale(.linear, values: [0] + shown.map(end), pixels: canvas.xPixels)
    let y = PlotScale(.categorical(lanes), values: [], pixels: canvas.yPixels)
    canvas.axes(x: x, y: y, xTitle: "seconds since \(ISO8601DateFormatter().string(from: origin))", yTitle: "")
    let laneIndex = Dictionary(uniqueKeysWithValues: lanes.enumerated().map { ($1, $0) })
    let height = min(16, (canvas.plotBottom - canvas.plotTop) / Double(max(lanes.count, 1)) * 0.7)
    let colors = [TrialState.complete: blue, .pruned: orange, .failed: red, .running: green]
    for trial in shown {
      let start = trial.datetimeStart!.timeIntervalSince(origin)
      let (x0, x1) = (x.position(start), x.position(end(trial)))
      canvas.rect(x0, y.position(Double(laneIndex[lane(trial)]!)) - height / 2, max(x1 - x0, 1.5), height, fill: colors[trial.state] ?? grey,
                  title: "trial \(trial.number) (\(trial.state.rawValue)): \(String(format: "%.1f", end(trial) - start)) s")
    }
    canvas.text(canvas.plotRight - 4, 16, "blue: complete · orange: pruned · red: failed · green: running", anchor: "end", size: 10)
    canvas.note(PlotSample.note(shown: shown.count, of: started.count), line: 1)
    return canvas.svg(label: "timeline")
  }

  /// The lane of a trial: its worker, or its host when there are more than 30 workers, or
  /// one of 30 slots when there are more than 30 hosts too.
  private static func laneNames(_ trials: [FrozenTrial]) -> (FrozenTrial) -> String {
    func attr(_ t: FrozenTrial, _ key: String) -> String? { if case .string(let s)? = t.systemAttrs[key] { s } else { nil } }
    if Set(trials.map { attr($0, "worker") }).count <= 30 { return { attr($0, "worker") ?? "unknown worker" } }
    if Set(trials.map { attr($0, "host") }).count <= 30 { return { attr($0, "host") ?? "unknown host" } }
    return { "slot \($0.number % 30)" }
  }
}
