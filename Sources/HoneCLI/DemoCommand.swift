import ArgumentParser
import Foundation
import Hone

/// `hone demo`: a small built-in study that shows sampling and pruning end to end.
///
/// It tunes heavy-ball gradient descent (Polyak 1964) on the 2-D Rosenbrock function
/// f(x, y) = (1 − x)² + 100·(y − x²)² from (−1.5, 2): the learning rate (log scale), the
/// momentum and the number of steps between reports. Every 25 steps it reports log₁₀ f to
/// the median pruner, which stops runs that fall behind; the objective is log₁₀ f at the end.
struct DemoCommand: AsyncParsableCommand {
  static let configuration = CommandConfiguration(
    commandName: "demo", abstract: "Run a small built-in study (gradient descent on Rosenbrock) and print its result.")
  @Option(help: "Storage URL (default: in memory).") var storage = "memory:"
  @Option(help: "Number of trials.") var trials = 60
  @Option(help: "Sampler: tpe (default), gp, cmaes, nsga2, random, qmc or grid.") var sampler = "tpe"
  @Option(help: "Seed.") var seed: UInt64 = 1
  @Flag(help: "End with one JSON line of the result.") var json = false

  func run() async throws {
    let space: [String: Distribution] = [
      "lr": .float(low: 1e-5, high: 3e-3, log: true),
      "momentum": .float(low: 0, high: 0.99),
    ]
    let study = try Study(name: "demo-rosenbrock", storage: StorageURL.open(storage), direction: .minimize,
                          sampler: SamplerName.make(sampler, seed: seed, space: space),
                          pruner: MedianPruner(startupTrials: 5, warmupSteps: 100), loadIfExists: true)
    let started = Date()
    try await study.optimize(trials: trials) { trial in
      let p = try trial.suggest(space)
      return try DemoCommand.descend(lr: p["lr"]!.doubleValue!, momentum: p["momentum"]!.doubleValue!, trial: trial)
    }
    let all = try study.trials
    let best = try study.bestTrial
    let pruned = all.filter { $0.state == .pruned }
    let savedSteps = pruned.reduce(0) { $0 + DemoCommand.steps - ($1.lastIntermediateValue?.step ?? 0) }
    print("study \(study.name): \(all.count) trials, \(pruned.count) pruned (\(savedSteps) of \(all.count * DemoCommand.steps) steps saved)")
    print("best trial \(best.number): log10 f = \(String(format: "%.3f", best.value!)), lr = \(best.params["lr"]!), momentum = \(best.params["momentum"]!)")
    if json {
      printJSON(.object(["best_trial": .int(best.number), "value": .double(best.value!), "trials": .int(all.count),
                         "pruned": .int(pruned.count), "seconds": .double(Date().timeIntervalSince(started))]))
    }
  }

  /// Descent steps per trial.
  static let steps = 2_000

  /// 2,000 steps of heavy-ball descent; reports log₁₀ f every 25 steps and stops if pruned.
  static func descend(lr: Double, momentum: Double, trial: Trial) throws -> Double {
    var (x, y, vx, vy) = (-1.5, 2.0, 0.0, 0.0)
    func f() -> Double { (1 - x) * (1 - x) + 100 * (y - x * x) * (y - x * x) }
    for step in 1...steps {
      let gx = -2 * (1 - x) - 400 * x * (y - x * x)
      let gy = 200 * (y - x * x)
      vx = momentum * vx - lr * gx
      vy = momentum * vy - lr * gy
      x += vx
      y += vy
      guard f().isFinite, abs(x) < 1e6 else { throw CLIError("diverged at step \(step)") }
      if step % 25 == 0 {
        try trial.report(log10(f() + 1e-300), step: step)
        if try trial.shouldPrune() { throw TrialPruned() }
      }
    }
    return log10(f() + 1e-300)
  }
}
