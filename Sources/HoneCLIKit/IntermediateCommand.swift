import ArgumentParser
import Foundation
import Hone

/// `hone intermediate`: record an intermediate value of a running trial and say whether to prune it.
struct IntermediateCommand: ParsableCommand {
  static let configuration = CommandConfiguration(
    commandName: "intermediate",
    abstract: "Record an intermediate value; prints prune or continue (exit code 0 either way).")
  @OptionGroup var options: StudyOptions
  @Option(parsing: .unconditional, help: "The trial number (from ask).") var trial: Int
  @Option(parsing: .unconditional, help: "The step (epoch), >= 0.") var step: Int
  @Option(parsing: .unconditional, help: "The intermediate value.") var value: String?
  @Option(parsing: .unconditional, help: "Comma-separated values, one per objective (studies with several objectives).") var values: String?
  @OptionGroup var pruner: PrunerOptions

  func run() throws {
    guard (value == nil) != (values == nil) else { throw ValidationError("give exactly one of --value or --values") }
    let parsed = try parseNumbers(value: value, values: values)
    let storage = try StorageURL.open(options.storage, create: false)
    let directions = try storage.directions(studyID: storage.studyID(name: options.study))
    let study = try Study.load(name: options.study, storage: storage, pruner: pruner.make(directions: directions))
    let decision = try study.report(trialNumber: trial, step: step, values: parsed)
    print(decision ? "prune" : "continue")
  }
}

/// The pruners the CLI knows by name, with their options.
struct PrunerOptions: ParsableArguments {
  @Option(help: "nop, median, percentile, patient, threshold, asha, hyperband, learning-curve or pareto (default: median, or pareto with several objectives).")
  var pruner: String?
  @Option(parsing: .unconditional, help: "The percentile of the percentile pruner.") var percentile: Double = 25
  @Option(parsing: .unconditional, help: "Steps without improvement the patient pruner tolerates.") var patience: Int = 3
  @Option(parsing: .unconditional, help: "Lower bound of the threshold pruner.") var lower: Double = -.infinity
  @Option(parsing: .unconditional, help: "Upper bound of the threshold pruner.") var upper: Double = .infinity
  @Option(parsing: .unconditional, help: "Δ of the learning-curve pruner: the largest chance of stopping a curve that would beat the best, split over its remaining steps (it also prunes what the median rule prunes).") var delta: Double = 0.05
  @Option(help: "What the learning-curve pruner predicts with: regression (ν-SVR on the complete trials) or extrapolation (parametric fit of the trial's own curve).")
  var predictor: String = "regression"

  func make(directions: [StudyDirection]) throws -> any Pruner {
    switch pruner?.lowercased() ?? (directions.count > 1 ? "pareto" : "median") {
    case "nop": return NopPruner()
    case "median": return try MedianPruner()
    case "percentile": return try PercentilePruner(percentile: percentile)
    case "patient": return try PatientPruner(wrapping: MedianPruner(), patience: patience)
    case "threshold": return try ThresholdPruner(lower: lower, upper: upper)
    case "asha": return try SuccessiveHalvingPruner()
    case "hyperband": return try HyperbandPruner()
    case "learning-curve":
      guard let model = LearningCurvePruner.Predictor(rawValue: predictor.lowercased()) else {
        throw ValidationError("unknown predictor '\(predictor)'; use regression or extrapolation")
      }
      return try LearningCurvePruner(delta: delta, baseline: MedianPruner(), predictor: model)
    case "pareto": return try ParetoPruner()
    default:
      throw ValidationError("unknown pruner '\(pruner!)'; use nop, median, percentile, patient, threshold, asha, hyperband, learning-curve or pareto")
    }
  }
}
