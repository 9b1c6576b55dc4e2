import Foundation
import Testing
@testable import HoneReport
import HoneTune

@Suite struct StudyReportTests {
  @Test func everyPlotIsThereAndNamesAreEscaped() async throws {
    let html = try StudyReport(study: await ReportFixtures.tuningStudy()).html
    for id in ["summary", "history", "intermediate-values", "parallel-coordinates", "importance", "slices"] {
      #expect(html.contains("<section id=\"\(id)\">"), "\(id)")
    }
    #expect(!html.contains("id=\"pareto-front\""), "one objective has no Pareto front plot")
    #expect(!html.contains("<b>kind</b>") && html.contains("&lt;b&gt;kind&lt;/b&gt;"))
    #expect(html.contains("mlp &lt;&amp;&gt; &quot;study&quot;"))
    #expect(html.contains("gelu &amp; tanh"))
    #expect(html.contains("class=\"best-so-far\""))
    #expect(html.contains("lr (log)"), "log parameters are plotted on log axes")
    #expect(html.contains(">0.001</text>"), "with decade ticks")
    #expect(html.components(separatedBy: "<svg").count - 1 == 4 + 3, "history, curves, parallel, importance and one slice per parameter")
    #expect(!html.contains("http://") || html.components(separatedBy: "http://").count - 1 == html.components(separatedBy: "xmlns=\"http://www.w3.org/2000/svg\"").count - 1,
            "nothing is fetched: the only URL is the SVG namespace")
  }

  @Test func prunedCurvesAreMarked() async throws {
    let study = try await ReportFixtures.tuningStudy()
    let pruned = try study.trials.filter { $0.state == .pruned }.count
    #expect(pruned > 0)
    let plot = ReportPlots.intermediateValues(try ReportInput(study: study))
    #expect(plot.components(separatedBy: "class=\"pruned-end\"").count - 1 == pruned, "a red cross ends each pruned curve")
  }

  @Test func severalObjectivesGetAParetoFront() async throws {
    let study = try await ReportFixtures.paretoStudy()
    let html = try StudyReport(study: study).html
    #expect(html.contains("<section id=\"pareto-front\">"))
    #expect(html.components(separatedBy: "class=\"pareto\"").count - 1 == (try study.bestTrials.count))
    #expect(html.contains("Optimization history — objective 2"))
  }

  @Test func anEmptyStudyStillMakesAPage() throws {
    let study = try Study(name: "empty", direction: .minimize)
    let html = try StudyReport(study: study).html
    #expect(html.contains("No complete trial yet"))
  }

  @Test func writeIsAtomicAndComplete() async throws {
    let path = FileManager.default.temporaryDirectory.appendingPathComponent("report-\(UUID().uuidString).html").path
    defer { try? FileManager.default.removeItem(atPath: path) }
    try StudyReport(study: await ReportFixtures.tuningStudy()).write(to: path)
    let text = try String(contentsOfFile: path, encoding: .utf8)
    #expect(text.hasPrefix("<!DOCTYPE html>") && text.hasSuffix("</html>"))
  }

  @Test func scalesPlaceTicksSensibly() {
    let linear = PlotScale(.linear, values: [0, 1], pixels: (0, 100))
    #expect(linear.ticks.map(\.label) == ["0", "0.5", "1"])
    #expect(PlotScale(.linear, values: [0, 3], pixels: (0, 100)).ticks.map(\.label) == ["0", "1", "2", "3"])
    #expect(linear.position(0) < linear.position(1))
    let log = PlotScale(.log, values: [1e-5, 1e-1], pixels: (0, 100))
    #expect(log.ticks.map(\.label) == ["1e-05", "0.0001", "0.001", "0.01", "0.1"])
    let integer = PlotScale(.integer, values: [1, 3], pixels: (0, 100))
    #expect(integer.ticks.map(\.label) == ["1", "2", "3"])
    let single = PlotScale(.linear, values: [5, 5], pixels: (0, 100))
    #expect(single.position(5).isFinite)
  }
}
