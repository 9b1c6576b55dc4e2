// Pruning on real learning curves: replays every curve of a CSV file as a trial of a study,
// in K random orders, with a pruner deciding after each epoch — the work that
// Benchmarks/peers/optuna_pruning.py gives Optuna's pruners.
//
//   PruningBenchmark --csv PATH --pruner none|median|asha|hyperband|learning-curve|learning-curve+median [--delta D] [--warmup W] [--startup S]
//                    [--predictor regression|extrapolation] [--training T] [--orders K] [--trace CURVE] [--json]
//
// --trace prints the learning-curve pruner's prediction for one curve (its 0-based row) at each epoch.
//
// Per order: speedup = N·E / epochs run; regret = best final accuracy of all curves − best
// final accuracy among the curves run to the end (in points); best kept = whether the best
// curve ran to the end. The order of replay k is the SplitMix64 Fisher–Yates shuffle seeded
// with k (the same in the Python script). Numeric columns other than the accuracies
// (parameters, depth, learning rate) become user attributes, the features Baker et al. use.
import Foundation
import HoneMath
import HoneTune

struct Curves {
  var accuracies: [[Double]] = []
  var attributes: [[String: Double]] = []

  /// Reads a CSV with a header; columns `acc_*` in order are the curve, other numeric columns attributes.
  init(path: String) throws {
    let text = try String(contentsOfFile: path, encoding: .utf8)
    var lines = text.split(whereSeparator: \.isNewline).map(String.init)
    let header = Curves.fields(lines.removeFirst())
    let accColumns = header.indices.filter { header[$0].hasPrefix("acc_") }
    for line in lines {
      let f = Curves.fields(line)
      accuracies.append(accColumns.map { Double(f[$0])! })
      var attrs: [String: Double] = [:]
      for i in header.indices where !accColumns.contains(i) {
        if let x = Double(f[i]) { attrs[header[i]] = x }
      }
      attributes.append(attrs)
    }
  }

  /// Fields of one CSV line (RFC 4180 quotes).
  static func fields(_ line: String) -> [String] {
    var out: [String] = [], field = "", quoted = false
    var chars = Array(line)[...]
    while let c = chars.popFirst() {
      if quoted {
        if c == "\"" {
          if chars.first == "\"" { field.append("\""); chars.removeFirst() } else { quoted = false }
        } else { field.append(c) }
      } else if c == "\"" { quoted = true } else if c == "," { out.append(field); field = "" } else { field.append(c) }
    }
    out.append(field)
    return out
  }
}

func order(_ k: Int, _ n: Int) -> [Int] {
  var rng = SplitMix64(state: UInt64(k))
  var idx = Array(0..<n)
  for i in stride(from: n - 1, to: 0, by: -1) {
    let j = Int(rng.next() % UInt64(i + 1))
    idx.swapAt(i, j)
  }
  return idx
}

/// The command line.
struct Settings: Sendable {
  var csv = "", pruner = "median", orders = 20, json = false, trace = -1
  /// Learning-curve pruner settings (chosen on MetaQNN CIFAR-10 only; see BENCHMARKS.md).
  var delta = 0.05, warmup = 3, startup = 20, training = 100, predictor = LearningCurvePruner.Predictor.regression

  static func parse() -> Settings {
    var o = Settings()
    var args = Array(CommandLine.arguments.dropFirst())
    while !args.isEmpty {
      let flag = args.removeFirst()
      switch flag {
      case "--csv": o.csv = args.removeFirst()
      case "--pruner": o.pruner = args.removeFirst()
      case "--orders": o.orders = Int(args.removeFirst())!
      case "--delta": o.delta = Double(args.removeFirst())!
      case "--warmup": o.warmup = Int(args.removeFirst())!
      case "--startup": o.startup = Int(args.removeFirst())!
      case "--training": o.training = Int(args.removeFirst())!
      case "--predictor": o.predictor = LearningCurvePruner.Predictor(rawValue: args.removeFirst())!
      case "--trace": o.trace = Int(args.removeFirst())!
      case "--json": o.json = true
      default: fatalError("unknown argument \(flag)")
      }
    }
    return o
  }

  func makePruner() throws -> any Pruner {
    switch pruner {
    case "none": return NopPruner()
    case "median": return try MedianPruner()
    case "asha": return try SuccessiveHalvingPruner()
    case "hyperband": return try HyperbandPruner()
    case "learning-curve":
      return try LearningCurvePruner(delta: delta, startupTrials: startup, warmupSteps: warmup, maxTrainingTrials: training,
                                     predictor: predictor)
    case "learning-curve+median":
      return try LearningCurvePruner(delta: delta, startupTrials: startup, warmupSteps: warmup, maxTrainingTrials: training,
                                     baseline: MedianPruner(), predictor: predictor)
    default: fatalError("unknown pruner \(pruner)")
    }
  }
}

let settings = Settings.parse()
let csv = settings.csv, orders = settings.orders, trace = settings.trace, prunerName = settings.pruner
guard FileManager.default.fileExists(atPath: csv) else {
  FileHandle.standardError.write(Data("no file \(csv): the learning curves live in ../shared/data/learning-curves/\n".utf8))
  exit(2)
}
let data = try Curves(path: csv)
let n = data.accuracies.count, epochs = data.accuracies[0].count
let finals = data.accuracies.map { $0[epochs - 1] }
let bestFinal = finals.max()!
let bestCurve = finals.firstIndex(of: bestFinal)!
var speedups: [Double] = [], regrets: [Double] = [], kept = 0, decisions = 0, decisionSeconds = 0.0

for k in 0..<orders {
  let study = try Study(name: "replay", direction: .maximize, sampler: RandomSampler(seed: 0), pruner: settings.makePruner())
  var epochsRun = 0, bestCompleted = -Double.infinity, bestKept = false
  for curve in order(k, n) {
    let trial = try study.ask()
    for (key, value) in data.attributes[curve] { try trial.setUserAttr(key, .double(value)) }
    var pruned = false
    for e in 1...epochs {
      try trial.report(data.accuracies[curve][e - 1], step: e)
      if curve == trace, let lc = study.pruner as? LearningCurvePruner {
        if let p = try lc.predict(study: study.snapshot(), trial: trial.snapshot) {
          print("curve \(curve) epoch \(e) acc \(data.accuracies[curve][e - 1]): predicted \(p.mean) ± \(p.sigma), best \(p.best), P \(p.probability) (prune below \(p.threshold)), trained on \(p.trainedOn)")
        }
      }
      let start = DispatchTime.now().uptimeNanoseconds
      let prune = try trial.shouldPrune()
      decisionSeconds += Double(DispatchTime.now().uptimeNanoseconds - start) / 1e9
      decisions += 1
      if prune {
        try study.tell(trial, state: .pruned)
        epochsRun += e
        pruned = true
        break
      }
    }
    if !pruned {
      try study.tell(trial, data.accuracies[curve][epochs - 1])
      epochsRun += epochs
      bestCompleted = max(bestCompleted, finals[curve])
      if curve == bestCurve { bestKept = true }
    }
  }
  speedups.append(Double(n * epochs) / Double(epochsRun))
  regrets.append((bestFinal - bestCompleted) * 100)
  if bestKept { kept += 1 }
}

let result: JSONValue = .object([
  "peer": "hone", "pruner": .string(prunerName), "csv": .string(URL(fileURLWithPath: csv).lastPathComponent),
  "curves": .int(n), "epochs": .int(epochs), "orders": .int(orders), "delta": .double(settings.delta), "warmup": .int(settings.warmup), "startup": .int(settings.startup),
  "training": .int(settings.training), "predictor": .string(settings.predictor.rawValue),
  "speedup_mean": .double(speedups.reduce(0, +) / Double(orders)), "speedup_min": .double(speedups.min()!),
  "regret_mean": .double(regrets.reduce(0, +) / Double(orders)), "regret_max": .double(regrets.max()!),
  "best_kept_fraction": .double(Double(kept) / Double(orders)), "ms_per_decision": .double(decisionSeconds / Double(decisions) * 1e3),
])
if settings.json {
  print(result.description)
} else {
  print(String(format: "%@ %@: speedup %.2f× (min %.2f), regret %.2f pts (max %.2f), best kept %d/%d, %.3f ms/decision",
               prunerName, URL(fileURLWithPath: csv).lastPathComponent, speedups.reduce(0, +) / Double(orders), speedups.min()!,
               regrets.reduce(0, +) / Double(orders), regrets.max()!, kept, orders, decisionSeconds / Double(decisions) * 1e3))
}
