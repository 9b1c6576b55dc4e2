import ArgumentParser
import Hone

/// The pruners the CLI knows by name, with their defaults.
enum PrunerName {
  /// The names, for help texts.
  static let names = ["nop", "median", "percentile", "patient", "threshold", "asha", "hyperband", "learning-curve", "pareto"]

  /// What a command may set on the named pruner; nil keeps the pruner's default.
  struct Settings {
    /// Trials that must complete before the median-rule pruners prune (Optuna's `n_startup_trials`).
    var startupTrials: Int?
    /// Steps of each trial that are never pruned (Optuna's `n_warmup_steps`).
    var warmupSteps: Int?
    /// The threshold pruner's bounds.
    var lower = -Double.infinity, upper = Double.infinity
  }

  /// The pruner called `name`; an unknown name is a usage error that lists the known ones.
  static func make(_ name: String, _ settings: Settings = Settings()) throws -> any Pruner {
    func median(startup: Int = 5, warmup: Int = 0) throws -> MedianPruner {
      try MedianPruner(startupTrials: settings.startupTrials ?? startup, warmupSteps: settings.warmupSteps ?? warmup)
    }
    switch name.lowercased() {
    case "nop", "none": return NopPruner()
    case "median": return try median()
    case "percentile":
      return try PercentilePruner(percentile: 25, startupTrials: settings.startupTrials ?? 5, warmupSteps: settings.warmupSteps ?? 0)
    case "patient": return try PatientPruner(wrapping: median(), patience: 3)
    case "threshold":
      guard settings.lower.isFinite || settings.upper.isFinite else {
        throw ValidationError("the threshold pruner needs --lower or --upper")
      }
      return try ThresholdPruner(lower: settings.lower, upper: settings.upper, warmupSteps: settings.warmupSteps ?? 0)
    case "asha": return try SuccessiveHalvingPruner()
    case "hyperband": return try HyperbandPruner()
    case "learning-curve": return try LearningCurvePruner(startupTrials: 10, baseline: median(warmup: 5))
    case "pareto": return try ParetoPruner(startupTrials: settings.startupTrials ?? 5, warmupSteps: settings.warmupSteps ?? 0)
    default: throw ValidationError("unknown pruner '\(name)'; use \(names.joined(separator: ", "))")
    }
  }
}
