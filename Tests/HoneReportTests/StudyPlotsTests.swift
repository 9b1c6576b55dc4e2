import Foundation
import Testing
@testable import HoneReport
import HoneTune

@Suite struct StudyPlotsTests {
  /// `n` complete trials with one parameter, values falling with noise, started one second apart.
  static func trials(_ n: Int, workers: Int = 3) -> [FrozenTrial] {
    var rng = SystemRandomNumberGenerator()
    let start = Date(timeIntervalSince1970: 1_800_000_000)
    return (0..<n).map { k in
      let x = Double.random(in: 0...1, using: &rng)
      return FrozenTrial(
        id: k, number: k, state: .complete, values: [x * x + 1 / Double(k + 1)], params: ["x": .double(x)],
        distributions: ["x": .float(low: 0, high: 1, log: false, step: nil)], intermediateValues: [1: x, 2: x / 2],
        userAttrs: [:], systemAttrs: ["worker": .string("host-\(k % workers):1")],
        datetimeStart: start.addingTimeInterval(Double(k)), datetimeComplete: start.addingTimeInterval(Double(k) + 0.8))
    }
  }

  static func count(_ svg: String, _ needle: String) -> Int { svg.components(separatedBy: needle).count - 1 }

  @Test func largeStudiesAreSampledAndSaySo() {
    let trials = Self.trials(20_000)
    let plots = StudyPlots(name: "big", directions: [.minimize], trials: trials)
    let history = plots.history(objective: 0)
    var improvements = 0
    var best = Double.infinity
    for t in trials where t.value! < best { best = t.value!; improvements += 1 }
    let dots = Self.count(history, "<circle")
    #expect(dots <= PlotSample.dots + improvements && dots >= PlotSample.dots / 2)
    #expect(history.contains("of 20000 trials shown"))
    let parallel = plots.parallelCoordinates(objective: 0)
    #expect(Self.count(parallel, "class=\"trial-line\"") <= PlotSample.lines + PlotSample.lines / 10)
    #expect(Self.count(plots.intermediateValues(), "class=\"curve\"") <= PlotSample.curves)
    #expect(history.utf8.count < 600_000, "the page stays small: \(history.utf8.count) bytes")
  }

  @Test func smallStudiesShowEveryTrial() {
    let plots = StudyPlots(name: "small", directions: [.minimize], trials: Self.trials(50))
    #expect(Self.count(plots.history(objective: 0), "<circle") == 50)
    #expect(!plots.history(objective: 0).contains("trials shown"))
  }

  @Test func timelineHasALanePerWorker() {
    let plots = StudyPlots(name: "t", directions: [.minimize], trials: Self.trials(30, workers: 4))
    let svg = plots.timeline()
    for w in 0..<4 { #expect(svg.contains(">host-\(w):1</text>")) }
    #expect(Self.count(svg, "<rect") >= 30)
  }

  @Test func comparisonDrawsOneLinePerStudyWithEscapedNames() {
    let a = StudyPlots(name: "a <b>", directions: [.minimize], trials: Self.trials(40))
    let b = StudyPlots(name: "b", directions: [.maximize], trials: Self.trials(40))
    let svg = StudyPlots.comparison([a, b])
    #expect(Self.count(svg, "class=\"best-so-far\"") == 2)
    #expect(svg.contains("a &lt;b&gt; (min)") && svg.contains("b (max)"))
  }
}
