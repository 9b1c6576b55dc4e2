import ArgumentParser
import Hone

/// The pruners the CLI knows by name, with their defaults.
enum PrunerName {
  /// The names, for help texts.
  static let names = ["nop", "median", "percentile", "patient", "asha", "hyperband", "learning-curve"]

  /// The pruner called `name`; an unknown name is a usage error that lists the known ones.
  static func make(_ name: String) throws -> any Pruner {
    switch name.lowercased() {
    case "nop", "none": return NopPruner()
    case "median": return try MedianPruner()
    case "percentile": return try PercentilePruner(percentile: 25)
    case "patient": return try PatientPruner(wrapping: MedianPruner(), patience: 3)
    case "asha": return try SuccessiveHalvingPruner()
    case "hyperband": return try HyperbandPruner()
    case "learning-curve": return try LearningCurvePruner(startupTrials: 10, baseline: MedianPruner(startupTrials: 5, warmupSteps: 5))
    case "threshold": throw ValidationError("the threshold pruner needs its bounds; use ThresholdPruner(lower:upper:) in code")
    default: throw ValidationError("unknown pruner '\(name)'; use \(names.joined(separator: ", "))")
    }
  }
}
