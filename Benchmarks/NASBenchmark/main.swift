// Architecture search on the NAS-Bench-201 table (Dong & Yang 2020): each method searches the
// 15,625 cells for the best CIFAR-10 test accuracy after 200 epochs (no other column informs
// the search), 100 distinct queries per seed; one JSON line per method and seed with the best
// accuracy after 50 and 100 queries. With --multi-objective: accuracy against the cell's
// parameter count (`CellSpace` cost), reported as the hypervolume of the front found after
// 100 queries over that of the table's exact front (reference: the median accuracy, and just
// past the largest cell's parameter count).
//
// With --digits-latency: no table; each query trains a NAS-Bench-201 cell on the digits
// (`CellTraining`, cell network of 8 channels and 3 cells, --epochs epochs) and measures the
// trained network's latency (batch 1, one thread); the objectives are validation accuracy
// (maximize) and latency (minimize). One JSON line per query (Benchmarks/nas_latency_table.py
// computes the hypervolumes).
//
// Usage: NASBenchmark [--table PATH] [--seeds 100-119] [--methods random,rea,predictor,gp,tpe,nsga2]
//                     [--queries 100] [--multi-objective] [--digits-latency [--epochs 5]]
import Foundation
import HoneMath
import HoneNAS
import HoneNN
import HoneTune

var arguments = CommandLine.arguments.dropFirst().makeIterator()
var tablePath = "../shared/data/nas/nb201.csv"
var seeds = Array(UInt64(100)...119)
var methods = NASMethod.allCases
var queries = 100
var multiObjective = false
var digitsLatency = false
var epochs = 5
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
  case "--digits-latency": digitsLatency = true
  case "--epochs": epochs = Int(arguments.next()!)!
  default: fatalError("unknown argument \(argument)")
  }
}

func emit(_ fields: [String: Any]) {
  let data = try! JSONSerialization.data(withJSONObject: fields, options: [.sortedKeys])
  print(String(decoding: data, as: UTF8.self))
  fflush(nil)
}

if digitsLatency {
  let digits = try Dataset.digits()
  let shape = CellNetworkShape()
  let space = CellSpace(channels: shape.channels, height: shape.height, width: shape.width)
  for method in methods {
    for seed in seeds {
      // The split and the initial weights by the seed, as `hone nas train --seed` does.
      let (train, validation, test) = try digits.split(train: 0.6, validation: 0.2, seed: seed)
      let scaler = Standardizer(fitting: train)
      let data = (scaler.transform(train), scaler.transform(validation), scaler.transform(test))
      let study = try Study(name: "cells", directions: [.maximize, .minimize], sampler: method.sampler(space: space, seed: seed))
      var evaluated: [String: [Double]] = [:]
      var trials = 0
      while evaluated.count < queries, trials < 20 * queries {
        trials += 1
        let trial = try study.ask()
        let cell = try trial.suggestArchitecture(in: space)
        if let values = evaluated[cell.description] {
          _ = try study.tell(trial, values: values)
          continue
        }
        let result = try await CellTraining.run(space.operations(of: cell), shape: shape, recipe: TrainingRecipe(epochs: epochs),
                                                train: data.0, validation: data.1, test: data.2, seed: seed)
        let values = [result.validationAccuracy, result.latency.median * 1e3]
        evaluated[cell.description] = values
        _ = try study.tell(trial, values: values)
        emit(["peer": "hone", "method": method.rawValue, "seed": seed, "query": evaluated.count, "cell": cell.description,
              "validation_accuracy": result.validationAccuracy, "test_accuracy": result.testAccuracy,
              "latency_ms": values[1], "seconds": result.seconds])
      }
    }
  }
  exit(0)
}

let table = try ArchitectureTable(contentsOf: URL(fileURLWithPath: tablePath))
let accuracy = try table.column("cifar10_test_200ep")
let space = CellSpace()

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
