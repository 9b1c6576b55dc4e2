import Foundation
import HoneTune

/// Small studies for the report tests.
enum ReportFixtures {
  /// A single-objective study with log, int and categorical parameters (one with a name that
  /// needs escaping), learning curves and pruned trials.
  static func tuningStudy() async throws -> Study {
    let study = try Study(name: "mlp <&> \"study\"", direction: .maximize, sampler: RandomSampler(seed: 5), pruner: MedianPruner(startupTrials: 4))
    try await study.optimize(trials: 24) { trial in
      let lr = try trial.suggestFloat("lr", 1e-4...1e-1, log: true)
      let depth = try trial.suggestInt("depth", 1...4)
      let kind = try trial.suggestCategorical("<b>kind</b>", ["relu", "gelu & tanh"])
      var accuracy = 0.0
      for epoch in 1...10 {
        accuracy = (1 - exp(-Double(epoch) * lr * 30)) * (kind == "relu" ? 0.95 : 0.9) - 0.01 * Double(depth)
        try trial.report(accuracy, step: epoch)
        if try trial.shouldPrune() { throw TrialPruned() }
      }
      return accuracy
    }
    return study
  }

  /// A two-objective study (error vs size).
  static func paretoStudy() async throws -> Study {
    let study = try Study(name: "pareto", directions: [.minimize, .minimize], sampler: RandomSampler(seed: 2))
    try await study.optimize(trials: 30, values: { trial in
      let x = try trial.suggestFloat("x", 0...1)
      let width = try trial.suggestInt("width", 8...512, log: true)
      return [x * x + 1 / Double(width), Double(width) * (1.1 - x)]
    })
    return study
  }
}
