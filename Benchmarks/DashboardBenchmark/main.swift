import Foundation
import HoneReport
import HoneSQLite
import HoneTune

// Writes the study the dashboard benchmark serves: `trials` complete trials of a 4-parameter
// space with a 5-step learning curve, a user attribute and a worker each, in a new SQLite file.
// With `--time-plots`, reads it back and prints how long each part of the study page takes
// to draw (milliseconds, the median of 5).
//   DashboardBenchmark --path big.db --trials 100000 [--time-plots]
var arguments = ArraySlice(CommandLine.arguments.dropFirst())
var path = "dashboard-bench.db", trials = 100_000, timePlots = false
while let flag = arguments.popFirst() {
  if flag == "--time-plots" { timePlots = true; continue }
  guard let value = arguments.popFirst() else { fatalError("\(flag) needs a value") }
  switch flag {
  case "--path": path = value
  case "--trials": trials = Int(value)!
  default: fatalError("unknown option \(flag): use --path FILE --trials N [--time-plots]")
  }
}
try? FileManager.default.removeItem(atPath: path)
let storage = try SQLiteStorage(path: path)
let study = try storage.createStudy(name: "big", directions: [.minimize])
let distributions: [String: Distribution] = [
  "lr": .float(low: 1e-5, high: 1, log: true), "layers": .int(low: 1, high: 8, log: false, step: 1),
  "dropout": .float(low: 0, high: 0.5), "act": .categorical([.string("relu"), .string("tanh"), .string("gelu")]),
]
var rng = SeededRNG(seed: 7)
let started = ContinuousClock.now
for k in 0..<trials {
  let lr = exp(Double.random(in: log(1e-5)...0, using: &rng))
  let layers = Int.random(in: 1...8, using: &rng)
  let dropout = Double.random(in: 0...0.5, using: &rng)
  let act = ["relu", "tanh", "gelu"].randomElement(using: &rng)!
  let loss = pow(log10(lr) + 2.5, 2) + 0.2 * abs(Double(layers) - 3) + dropout + (act == "tanh" ? 0.3 : 0)
  let curve = Dictionary(uniqueKeysWithValues: (1...5).map { ($0, loss + 1 / Double($0)) })
  _ = try storage.createTrial(studyID: study, template: TrialTemplate(
    state: .complete, params: ["lr": .double(lr), "layers": .int(layers), "dropout": .double(dropout), "act": .string(act)],
    distributions: distributions, values: [loss], intermediateValues: curve, userAttrs: ["batch": .int(32 << (k % 3))],
    systemAttrs: ["worker": .string("gpu-\(k % 8):\(1000 + k % 8)"), "host": .string("gpu-\(k % 8)")]))
}
print("{\"path\": \"\(path)\", \"trials\": \(trials), \"seconds\": \((ContinuousClock.now - started).seconds)}")

if timePlots {
  func ms(_ work: () throws -> Void) rethrows -> Double {
    var times: [Double] = []
    for _ in 0..<5 {
      let t = ContinuousClock.now
      try work()
      times.append((ContinuousClock.now - t).seconds * 1000)
    }
    return times.sorted()[2]
  }
  let all = try storage.trials(studyID: study, states: nil)
  var parts: [(String, Double)] = [("read every trial", try ms { _ = try storage.trials(studyID: study, states: nil) })]
  parts.append(("plot input", ms { _ = StudyPlots(name: "big", directions: [.minimize], trials: all) }))
  let names = ["act", "dropout", "layers", "lr"]
  parts.append(("plot input, names known", ms { _ = StudyPlots(name: "big", directions: [.minimize], trials: all, parameterNames: names) }))
  let plots = StudyPlots(name: "big", directions: [.minimize], trials: all)
  parts.append(("history", ms { _ = plots.history(objective: 0) }))
  parts.append(("intermediate values", ms { _ = plots.intermediateValues() }))
  parts.append(("parallel coordinates", ms { _ = plots.parallelCoordinates(objective: 0) }))
  parts.append(("slices", ms { _ = plots.slices(objective: 0) }))
  parts.append(("timeline", ms { _ = plots.timeline() }))
  parts.append(("importance", try ms { _ = try PedAnovaImportance().importances(of: all, direction: .minimize) }))
  for (name, t) in parts { print("\(name): \(String(format: "%.1f", t)) ms") }
}
