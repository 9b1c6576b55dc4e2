// Bayesian optimization beside Optuna (Benchmarks/peers/optuna_bo.py runs the same protocol):
//
//   BayesBenchmark regret --function F --dims D [--seeds S] [--budget B] [--sampler gp|tpe|random]
//                         [--acquisition logei|nei|kg|mes|ucb|pi] [--deterministic] [--no-warp] [--warm-iterations N]
//                         [--exact-limit N] [--input-warping] [--surrogate NAME] [--json]
//       Minimizes F over its domain with B trials (default 20·D) per seed 0..<S (default 10);
//       prints the simple regret (best value − f*) and the wall time of each run; `--trace`
//       adds a line per trial (value, best so far, the GP's fitted log-hyperparameters);
//       `--exact-limit N` fits the GP to a subset past N trials (default 500); `--sampler auto`.
//   BayesBenchmark timing --function F --dims D --history N [--exact-limit N] [--surrogate NAME] [--json]
//       N complete trials at uniform random points (seeded) added without sampling, then 10
//       ask + suggest + tell cycles of the GP sampler timed (each a fresh fit of the model:
//       matern, infinite-width, dkl, hmc, ensemble or laplace); prints the median milliseconds.
//   BayesBenchmark fit --function F --dims D --train N [--surrogate NAME] [--seed S] [--json]
//       Fits the surrogate to N uniform random points of F (the unit cube mapped to F's domain)
//       and scores its posterior on 500 more: the RMSE of the mean and the mean log predictive
//       density of the standardized values, and the fit's seconds.
//   BayesBenchmark check
//       Evaluates every function at its known minimizer.
import Foundation
import HoneBayes
import HoneBayesNN
import HoneMath
import HoneTune

let mode = CommandLine.arguments.count > 1 ? CommandLine.arguments[1] : ""
let arguments = Array(CommandLine.arguments.dropFirst(2))
func option(_ name: String) -> String? {
  guard let i = arguments.firstIndex(of: "--" + name), i + 1 < arguments.count else { return nil }
  return arguments[i + 1]
}
let json = arguments.contains("--json")

func space(_ function: TestFunction, _ d: Int) -> [String: Distribution] {
  var s: [String: Distribution] = [:]
  for (i, b) in function.bounds(d).enumerated() { s["x\(i)"] = .float(low: b.low, high: b.high) }
  return s
}
func point(_ params: [String: ParamValue], _ d: Int) -> [Double] { (0..<d).map { params["x\($0)"]!.doubleValue! } }

switch mode {
case "check":
  let pi = Double.pi
  let cases: [(String, [Double], Double)] = [
    ("branin", [pi, 2.275], 0.397887357729739),
    ("hartmann6", [0.20169, 0.150011, 0.476874, 0.275332, 0.311652, 0.6573], -3.32236801141551),
    ("ackley", [0, 0, 0], 0), ("levy", [1, 1, 1], 0), ("rosenbrock", [1, 1, 1], 0), ("rastrigin", [0, 0], 0),
    ("styblinski_tang", [-2.903534, -2.903534], -78.33233140754284),
  ]
  for (name, x, expected) in cases {
    let value = TestFunction.named(name)!.f(x)
    print(name, value, abs(value - expected) < 1e-4 ? "ok" : "WRONG")
  }
case "regret":
  guard let name = option("function"), let function = TestFunction.named(name), let d = Int(option("dims") ?? "") else {
    fatalError("regret needs --function NAME --dims D")
  }
  let seeds = Int(option("seeds") ?? "10")!
  let budget = Int(option("budget") ?? "\(20 * d)")!
  let samplerName = option("sampler") ?? "gp"
  let acquisition = AcquisitionKind(rawValue: option("acquisition") ?? "logei")!
  let s = space(function, d)
  let exactLimit = Int(option("exact-limit") ?? "500")!
  for seed in 0..<seeds {
    let sampler: any Sampler
    switch samplerName {
    case "tpe": sampler = try TPESampler(seed: UInt64(seed))
    case "random": sampler = RandomSampler(seed: UInt64(seed))
    case "auto": sampler = try AutoSampler(seed: UInt64(seed))
    default:
      sampler = try GPSampler(seed: UInt64(seed), acquisition: acquisition, warmFitIterations: Int(option("warm-iterations") ?? "8")!,
                              deterministicObjective: arguments.contains("--deterministic"), outputWarping: !arguments.contains("--no-warp"),
                              inputWarping: arguments.contains("--input-warping"), exactTrialLimit: exactLimit,
                              surrogate: try NetworkSurrogates.catalog.make(option("surrogate") ?? "matern", SurrogateContext()))
    }
    let study = try Study(name: "bo", sampler: sampler, pruner: NopPruner())
    let start = Date()
    var best = Double.infinity
    for _ in 0..<budget {
      let trial = try study.ask(s)
      let value = function.f(point(trial.params, d))
      best = min(best, value)
      try study.tell(trial, value)
      if arguments.contains("--trace") {
        let all = try study.trials
        let theta = all.last!.systemAttrs[GPSampler.hyperparametersKey]?.objectValue?["theta"]?.arrayValue?.compactMap(\.doubleValue) ?? []
        let x = point(trial.params, d), bounds = function.bounds(d)
        let atBounds = (0..<d).filter { j in min(x[j] - bounds[j].low, bounds[j].high - x[j]) < 0.01 * (bounds[j].high - bounds[j].low) }.count
        print("trace", all.count, String(format: "%.4g", value), String(format: "%.4g", best), "at-bounds \(atBounds)/\(d)",
              point(trial.params, d).map { String(format: "%.2f", $0) }.joined(separator: ","),
              theta.map { String(format: "%.2f", $0) }.joined(separator: " "))
      }
    }
    let seconds = Date().timeIntervalSince(start)
    var peer = samplerName == "gp" ? (acquisition == .logEI ? "hone-gp" : "hone-gp-\(acquisition.rawValue)") : "hone-\(samplerName)"
    if arguments.contains("--deterministic") { peer += "-deterministic" }
    if arguments.contains("--no-warp") { peer += "-no-warp" }
    if option("exact-limit") != nil { peer += "-exact-\(exactLimit)" }
    if arguments.contains("--input-warping") { peer += "-input-warping" }
    if let surrogate = option("surrogate") { peer += "-" + surrogate }
    let regret = best - function.minimum(d)
    if json {
      print("{\"peer\": \"\(peer)\", \"function\": \"\(name)\", \"dims\": \(d), \"seed\": \(seed), \"budget\": \(budget), \"regret\": \(regret), \"seconds\": \(seconds)}")
    } else {
      print("\(peer) \(name)-\(d) seed \(seed): regret \(regret) in \(String(format: "%.1f", seconds)) s")
    }
  }
case "timing":
  guard let name = option("function"), let function = TestFunction.named(name), let d = Int(option("dims") ?? ""),
        let history = Int(option("history") ?? "") else { fatalError("timing needs --function NAME --dims D --history N") }
  let s = space(function, d)
  let exactLimit = Int(option("exact-limit") ?? "500")!
  let surrogate = try NetworkSurrogates.catalog.make(option("surrogate") ?? "matern", SurrogateContext())
  let study = try Study(name: "bo", sampler: try GPSampler(seed: 0, warmFitIterations: Int(option("warm-iterations") ?? "8")!,
                                                           exactTrialLimit: exactLimit, surrogate: surrogate), pruner: NopPruner())
  var rng = SeededRNG(seed: 0)
  let bounds = function.bounds(d)
  for _ in 0..<history {
    let x = bounds.map { $0.low + rng.nextDouble() * ($0.high - $0.low) }
    var params: [String: ParamValue] = [:]
    for i in 0..<d { params["x\(i)"] = .double(x[i]) }
    _ = try study.addTrial(TrialTemplate(state: .complete, params: params, distributions: s, values: [function.f(x)]))
  }
  var ms: [Double] = []
  for _ in 0..<10 {
    let clock = ContinuousClock()
    let start = clock.now
    let trial = try study.ask(s)
    try study.tell(trial, function.f(point(trial.params, d)))
    let elapsed = clock.now - start
    ms.append((Double(elapsed.components.seconds) + Double(elapsed.components.attoseconds) * 1e-18) * 1000)
  }
  let median = ms.sorted()[ms.count / 2 - 1] / 2 + ms.sorted()[ms.count / 2] / 2
  if json {
    print("{\"peer\": \"hone-gp\", \"surrogate\": \"\(surrogate.name)\", \"exact_limit\": \(exactLimit), \"mode\": \"timing\", \"function\": \"\(name)\", \"dims\": \(d), \"history\": \(history), \"median_ms\": \(median), \"ms\": [\(ms.map { "\($0)" }.joined(separator: ", "))]}")
  } else {
    print("hone-gp \(surrogate.name) \(name)-\(d) history \(history): median \(String(format: "%.2f", median)) ms")
  }
case "fit":
  guard let name = option("function"), let function = TestFunction.named(name), let d = Int(option("dims") ?? ""),
        let train = Int(option("train") ?? "") else { fatalError("fit needs --function NAME --dims D --train N") }
  let fitter = try NetworkSurrogates.catalog.make(option("surrogate") ?? "matern", SurrogateContext())
  var rng = SeededRNG(seed: UInt64(option("seed") ?? "0")!)
  let bounds = function.bounds(d)
  func sample(_ count: Int) -> (x: [Double], y: [Double]) {
    let x = (0..<(count * d)).map { _ in rng.nextDouble() }
    let y = (0..<count).map { i in function.f((0..<d).map { j in bounds[j].low + x[i * d + j] * (bounds[j].high - bounds[j].low) }) }
    return (x, y)
  }
  let (x, y) = sample(train), (tx, ty) = sample(500)
  let start = Date()
  let model = try fitter.fit(SurrogateData(inputs: x, outputs: y, dimensions: d), initial: nil, warmIterations: 8, seed: 1)
  let seconds = Date().timeIntervalSince(start)
  let (mean, variance) = model.posterior(at: tx)
  var squared = 0.0, logDensity = 0.0
  for i in ty.indices {
    let target = (ty[i] - model.outputMean) / model.outputScale
    squared += (mean[i] - target) * (mean[i] - target) / Double(ty.count)
    logDensity += Normal.logPDF((target - mean[i]) / variance[i].squareRoot()) - 0.5 * log(variance[i])
  }
  let rmse = squared.squareRoot(), lpd = logDensity / Double(ty.count)
  if json {
    print("{\"surrogate\": \"\(fitter.name)\", \"function\": \"\(name)\", \"dims\": \(d), \"train\": \(train), \"rmse\": \(rmse), \"log_density\": \(lpd), \"seconds\": \(seconds)}")
  } else {
    print("\(fitter.name) \(name)-\(d) n=\(train): RMSE \(String(format: "%.3f", rmse)), log density \(String(format: "%.3f", lpd)), fit \(String(format: "%.2f", seconds)) s")
  }
default:
  print("usage: BayesBenchmark regret|timing|fit|check …")
}
