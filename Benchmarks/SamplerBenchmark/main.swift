// Samplers beside their peers, on the work the scripts in Benchmarks/peers give Optuna and pycma:
//
//   SamplerBenchmark tpe --trials N --dims D [--repeats K] [--univariate] [--json]
//       Time per TPE suggestion (ask + D suggestFloat), in process, in-memory storage, after N
//       complete trials of x_i ∈ [−5, 5] (uniform, seed 0) with value Σx² added without sampling;
//       each timed suggestion is then told its value. Nothing is cached between suggestions.
//   SamplerBenchmark cmaes --function sphere|rosenbrock|rastrigin [--dims D] [--seeds S] [--budget B] [--target T]
//                          [--population L] [--restarts none|ipop|bipop] [--sampler-seeds N] [--sampler-budget B] [--json]
//       Evaluations until f ≤ T (default 1e-8), start x0 = 3, σ0 = 10/6 in [−5, 5]^D, IPOP restarts by default;
//       then the sampler through a study (no restarts, as Optuna's CmaEsSampler runs) for N seeds.
//   SamplerBenchmark nsga2 --problem zdt1|zdt2|zdt3|dtlz2 [--population P] [--generations G] [--seeds S]
//                          [--crossover uniform|sbx] [--eta E] [--mutation-eta M] [--json]
//       Hypervolume of all complete trials after P·G trials (reference 1.1 in every objective).
import Foundation
import HoneMath
import HoneTune

let mode = CommandLine.arguments.count > 1 ? CommandLine.arguments[1] : ""
let arguments = Array(CommandLine.arguments.dropFirst(2))
func option(_ name: String) -> String? {
  guard let i = arguments.firstIndex(of: "--" + name), i + 1 < arguments.count else { return nil }
  return arguments[i + 1]
}
func flag(_ name: String) -> Bool { arguments.contains("--" + name) }
let json = flag("json")

func emit(_ fields: [(String, Any)]) {
  if json {
    let body = fields.map { key, value -> String in
      switch value {
      case let s as String: return "\"\(key)\": \"\(s)\""
      case let a as [Double?]: return "\"\(key)\": [\(a.map { $0.map { "\($0)" } ?? "null" }.joined(separator: ", "))]"
      case let d as Double: return "\"\(key)\": \(d.isFinite ? "\(d)" : "null")"
      case Optional<Double>.none: return "\"\(key)\": null"
      default: return "\"\(key)\": \(value)"
      }
    }
    print("{" + body.joined(separator: ", ") + "}")
  } else {
    print(fields.map { "\($0.0)=\($0.1)" }.joined(separator: " "))
  }
}

func median(_ xs: [Double]) -> Double? {
  guard !xs.isEmpty else { return nil }
  let s = xs.sorted()
  return s.count % 2 == 1 ? s[s.count / 2] : (s[s.count / 2 - 1] + s[s.count / 2]) / 2
}

func tpeTiming() throws {
  let n = Int(option("trials") ?? "1000")!, d = Int(option("dims") ?? "5")!, repeats = Int(option("repeats") ?? "20")!
  let multivariate = !flag("univariate")
  let study = try Study(name: "tpe", sampler: TPESampler(seed: 0, multivariate: multivariate), pruner: NopPruner())
  var rng = SeededRNG(seed: 0)
  let distribution = Distribution.float(low: -5, high: 5)
  for _ in 0..<n {
    let x = (0..<d).map { _ in rng.nextDouble(in: -5...5) }
    var params: [String: ParamValue] = [:], distributions: [String: Distribution] = [:]
    for i in 0..<d { params["x\(i)"] = .double(x[i]); distributions["x\(i)"] = distribution }
    _ = try study.addTrial(TrialTemplate(state: .complete, params: params, distributions: distributions, values: [x.reduce(0) { $0 + $1 * $1 }]))
  }
  var times: [Double] = []
  for _ in 0..<repeats {
    let start = DispatchTime.now().uptimeNanoseconds
    let trial = try study.ask()
    var sum = 0.0
    for i in 0..<d { let x = try trial.suggestFloat("x\(i)", -5...5); sum += x * x }
    times.append(Double(DispatchTime.now().uptimeNanoseconds - start) / 1e6)
    try study.tell(trial, sum)
  }
  emit([("peer", multivariate ? "hone" : "hone-univariate"), ("trials", n), ("dims", d), ("repeats", repeats),
        ("median_ms", median(times)!), ("mean_ms", times.reduce(0, +) / Double(times.count)), ("min_ms", times.min()!)])
}

func benchmarkFunction(_ name: String) -> ([Double]) -> Double {
  switch name {
  case "sphere": return { $0.reduce(0) { $0 + $1 * $1 } }
  case "rosenbrock":
    return { x in
      var total = 0.0
      for i in 0..<(x.count - 1) {
        let a = x[i + 1] - x[i] * x[i], b = 1 - x[i]
        total += 100 * a * a + b * b
      }
      return total
    }
  case "rastrigin": return { x in 10 * Double(x.count) + x.reduce(0) { $0 + $1 * $1 - 10 * cos(2 * Double.pi * $1) } }
  default: fatalError("unknown function \(name): sphere, rosenbrock or rastrigin")
  }
}

/// Evaluations until the best value is ≤ target (the index of the first such evaluation), or nil.
func evaluationsToTarget(_ f: ([Double]) -> Double, search: inout CMAESSearch, seed: UInt64, target: Double, budget: Int) throws -> Int? {
  var evaluations = 0
  var rng = SeededRNG(seed: seed)
  while evaluations < budget {
    let points = (0..<search.current.populationSize).map { _ in search.ask(rng: &rng) }
    let solutions = points.map { (x: $0, value: f($0)) }
    if let hit = solutions.firstIndex(where: { $0.value <= target }) { return evaluations + hit + 1 }
    evaluations += solutions.count
    try search.tell(solutions, rng: &rng)
  }
  return nil
}

func cmaesEvaluations() throws {
  let name = option("function") ?? "sphere", d = Int(option("dims") ?? "10")!, seeds = Int(option("seeds") ?? "10")!
  let budget = Int(option("budget") ?? "100000")!, target = Double(option("target") ?? "1e-8")!
  let samplerSeeds = Int(option("sampler-seeds") ?? "3")!, samplerBudget = Int(option("sampler-budget") ?? "5000")!
  let f = benchmarkFunction(name)
  var evals: [Double?] = []
  let start = Date()
  for seed in 1...seeds {
    var search = try CMAESSearch(mean: [Double](repeating: 3, count: d), sigma: 10.0 / 6,
                                 bounds: [ClosedRange<Double>](repeating: -5...5, count: d),
                                 populationSize: option("population").map { Int($0)! },
                                 strategy: CMAESSearch.RestartStrategy(rawValue: option("restarts") ?? "ipop")!)
    evals.append(try evaluationsToTarget(f, search: &search, seed: UInt64(seed), target: target, budget: budget).map(Double.init))
  }
  emit([("peer", "hone"), ("function", name), ("dims", d), ("seeds", seeds), ("budget", budget), ("restarts", option("restarts") ?? "ipop"),
        ("successes", evals.compactMap { $0 }.count), ("median_evals", median(evals.compactMap { $0 }) as Any), ("evals", evals),
        ("seconds", Date().timeIntervalSince(start))])
  // The sampler through a study (in-memory storage), as Optuna's CmaEsSampler runs: no restarts.
  var samplerEvals: [Double?] = []
  let samplerStart = Date()
  let space = Dictionary(uniqueKeysWithValues: (0..<d).map { ("x\($0)", Distribution.float(low: -5, high: 5)) })
  for seed in stride(from: 1, through: samplerSeeds, by: 1) {
    let sampler = try CMAESSampler(seed: UInt64(seed), initialParams: Dictionary(uniqueKeysWithValues: (0..<d).map { ("x\($0)", ParamValue.double(3)) }),
                                   searchSpace: space)
    let study = try Study(name: "cma", sampler: sampler, pruner: NopPruner())
    var hit: Double? = nil
    for n in 1...samplerBudget {
      let trial = try study.ask(space)
      let value = f((0..<d).map { trial.params["x\($0)"]!.doubleValue! })
      try study.tell(trial, value)
      if value <= target { hit = Double(n); break }
    }
    samplerEvals.append(hit)
  }
  emit([("peer", "hone-sampler"), ("function", name), ("dims", d), ("seeds", samplerSeeds), ("budget", samplerBudget), ("restarts", "none"),
        ("successes", samplerEvals.compactMap { $0 }.count), ("median_evals", median(samplerEvals.compactMap { $0 }) as Any),
        ("evals", samplerEvals), ("seconds", Date().timeIntervalSince(samplerStart))])
}

/// ZDT1–3 (Zitzler, Deb & Thiele 2000) with 30 variables, DTLZ2 (Deb et al. 2002) with 3 objectives and 12 variables.
func benchmarkProblem(_ name: String) -> (variables: Int, objectives: Int, f: ([Double]) -> [Double]) {
  func zdt(_ shape: @escaping (Double, Double) -> Double) -> (Int, Int, ([Double]) -> [Double]) {
    (30, 2, { x in
      let g = 1 + 9 * x.dropFirst().reduce(0, +) / Double(x.count - 1)
      return [x[0], g * shape(x[0], g)]
    })
  }
  switch name {
  case "zdt1": return zdt { f1, g in 1 - (f1 / g).squareRoot() }
  case "zdt2": return zdt { f1, g in 1 - (f1 / g) * (f1 / g) }
  case "zdt3": return zdt { f1, g in 1 - (f1 / g).squareRoot() - (f1 / g) * sin(10 * Double.pi * f1) }
  case "dtlz2":
    return (12, 3, { x in
      let g = x[2...].reduce(0) { $0 + ($1 - 0.5) * ($1 - 0.5) }
      let a = x[0] * Double.pi / 2, b = x[1] * Double.pi / 2
      return [(1 + g) * cos(a) * cos(b), (1 + g) * cos(a) * sin(b), (1 + g) * sin(a)]
    })
  default: fatalError("unknown problem \(name): zdt1, zdt2, zdt3 or dtlz2")
  }
}

func nsga2Hypervolume() throws {
  let name = option("problem") ?? "zdt1", population = Int(option("population") ?? "50")!
  let generations = Int(option("generations") ?? "40")!, seeds = Int(option("seeds") ?? "5")!
  let problem = benchmarkProblem(name)
  let reference = [Double](repeating: 1.1, count: problem.objectives)
  var volumes: [Double] = []
  let start = Date()
  for seed in 0..<seeds {
    let study = try Study(name: name, directions: [StudyDirection](repeating: .minimize, count: problem.objectives),
                          sampler: NSGAIISampler(seed: UInt64(seed), populationSize: population,
                                                 crossover: option("crossover") == "sbx" ? .sbx(eta: Double(option("eta") ?? "20")!) : .uniform,
                                                 mutationEta: Double(option("mutation-eta") ?? "20")!), pruner: NopPruner())
    for _ in 0..<(population * generations) {
      let trial = try study.ask()
      let x = try (0..<problem.variables).map { try trial.suggestFloat("x\($0)", 0...1) }
      _ = try study.tell(trial, values: problem.f(x))
    }
    volumes.append(hypervolume(try study.trials(states: [.complete]).map { $0.values! }, reference: reference))
  }
  emit([("peer", "hone"), ("problem", name), ("population", population), ("generations", generations), ("seeds", seeds),
        ("median_hv", median(volumes)!), ("hv", volumes.map { Optional($0) }), ("seconds", Date().timeIntervalSince(start))])
}

do {
  switch mode {
  case "tpe": try tpeTiming()
  case "cmaes": try cmaesEvaluations()
  case "nsga2": try nsga2Hypervolume()
  default:
    FileHandle.standardError.write("usage: SamplerBenchmark tpe|cmaes|nsga2 [options] (see the header of main.swift)\n".data(using: .utf8)!)
    exit(2)
  }
} catch {
  FileHandle.standardError.write("SamplerBenchmark: \(error)\n".data(using: .utf8)!)
  exit(1)
}
