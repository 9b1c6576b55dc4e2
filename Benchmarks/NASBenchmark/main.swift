// Architecture search on the NAS-Bench-201 table (Dong & Yang 2020): each method searches the
// 15,625 cells for the best CIFAR-10 test accuracy after 200 epochs (no other column informs
// the search), 100 distinct queries per seed; one JSON line per method and seed with the best
// accuracy after 50 and 100 queries. With --multi-objective: accuracy against the cell's
// parameter count (`CellSpace` cost), reported as the hypervolume of the front found after
// 100 queries over that of the table's exact front (reference: the median accuracy, and just
// past the largest cell's parameter count).
//
// Usage: NASBenchmark [--table PATH] [--seeds 100-119] [--methods random,rea,predictor,gp,tpe]
//                     [--queries 100] [--multi-objective]
import Foundation
import HoneMath
import HoneNAS
import HoneTune

var arguments = CommandLine.arguments.dropFirst().makeIterator()
var tablePath = "../shared/data/nas/nb201.csv"
var seeds = Array(UInt64(100)...119)
var methods = NASMethod.allCases
var queries = 100
var multiObjective = false
while let argument = arguments.next() {
  switch argument {
  case "--table": tablePath = arguments.next()!
  case "--seeds":
    let text = arguments.next()!
    let bounds = text.split(separator: "-").compactMap { UInt64($0) }
    seeds = bounds.count == 2 ? Array(bounds[0]...bounds[1]) : text.split(separator: ",").compactMap { UInt64($0) }
  case "--methods": methods = arguments.next()!.split(separator: ",").map { NASMethod(rawValue: String($0))! }
  case "--queries": queries = Int(arguments.next()!)!
  case "--multi-objective": multiObjective = true
  default: fatalError("unknown argument \(argument)")
  }
}

let table = try ArchitectureTable(contentsOf: URL(fileURLWithPath: tablePath))
let accuracy = try table.column("cifar10_test_200ep")
let space = CellSpace()

func emit(_ fields: [String: Any]) {
  let data = try! JSONSerialization.data(withJSONObject: fields, options: [.sortedKeys])
  print(String(decoding: data, as: UTF8.self))
  fflush(nil)
}

if !multiObjective {
  for method in methods {
    for seed in seeds {
      let start = Date()
      let run = try TabularSearch.run(space: space, sampler: method.sampler(space: space, seed: seed), directions: [.maximize],
                                      objectives: { accuracy[$0.description].map { [$0] } }, queries: queries)
      emit(["peer": "hone", "method": method.rawValue, "seed": seed, "best_at_50": run.best(after: 50), "best_at_100": run.best(after: 100),
            "trials": run.trials, "seconds": Date().timeIntervalSince(start)])
    }
  }
} else {
  // Losses (−accuracy, parameters). The reference point: the table's median accuracy and just
  // past the largest cell (a reference at the worst accuracy, 10%, would make every front's
  // hypervolume 99% of the exact one's).
  let parameters = Dictionary(uniqueKeysWithValues: accuracy.keys.map { ($0, Double(space.cost(of: try! space.parse($0)).parameters)) })
  let all = accuracy.keys.sorted().map { [-accuracy[$0]!, parameters[$0]!] }
  let losses = all.map { $0[0] }.sorted()
  let reference = [losses[losses.count / 2], all.map { $0[1] }.max()! * 1.01 + 1]
  let exact = hypervolume(paretoFrontIndices(all).map { all[$0] }, reference: reference)
  for method in methods {
    for seed in seeds {
      let start = Date()
      let run = try TabularSearch.run(space: space, sampler: method.sampler(space: space, seed: seed), directions: [.maximize, .minimize],
                                      objectives: { a in accuracy[a.description].map { [$0, parameters[a.description]!] } }, queries: queries)
      let found = run.queried.map { [-$0.values[0], $0.values[1]] }
      emit(["peer": "hone", "method": method.rawValue, "seed": seed, "objectives": "accuracy,parameters",
            "hypervolume_ratio": hypervolume(paretoFrontIndices(found).map { found[$0] }, reference: reference) / exact,
            "trials": run.trials, "seconds": Date().timeIntervalSince(start)])
    }
  }
}
