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
  @Option(help: ArgumentHelp("\(Catalogs.pruners.nameList) (default: median, or pareto with several objectives).")) var pruner: String?
  @OptionGroup var prunerSettings: PrunerSettingsOptions

  func run() throws {
    guard (value == nil) != (values == nil) else { throw ValidationError("give exactly one of --value or --values") }
    let parsed = try parseNumbers(value: value, values: values)
    let storage = try Catalogs.storage(options.storage, create: false)
    let directions = try storage.directions(studyID: storage.studyID(name: options.study))
    let chosen = try Catalogs.pruner(pruner ?? (directions.count > 1 ? "pareto" : "median"), directions: directions, settings: prunerSettings.settings)
    let study = try Study.load(name: options.study, storage: storage, pruner: chosen)
    let decision = try study.report(trialNumber: trial, step: step, values: parsed)
    print(decision ? "prune" : "continue")
  }
}
