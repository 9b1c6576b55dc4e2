import ArgumentParser
import Foundation
import Hone

/// `hone report`: writes a study's self-contained HTML report (see `StudyReport`).
struct ReportCommand: ParsableCommand {
  static let configuration = CommandConfiguration(
    commandName: "report", abstract: "Write a study's report: one self-contained HTML file with its plots.")
  @OptionGroup var options: StudyOptions
  @Option(name: [.short, .customLong("output")], help: "The HTML file to write.") var output = "hone-report.html"

  func run() throws {
    try OutputPaths.checkWritableFile(output)
    let study = try options.load()
    do {
      try StudyReport(study: study).write(to: output)
    } catch let error as CocoaError {
      throw CLIError("cannot write \(output): \(OutputPaths.reason(error))")
    }
    print("wrote \(output) (\(try study.trials.count) trials)")
  }
}

/// `hone importance`: the PED-ANOVA parameter importances of a study, as a table or JSON.
struct ImportanceCommand: ParsableCommand {
  static let configuration = CommandConfiguration(
    commandName: "importance", abstract: "Print the parameter importances (PED-ANOVA) of a study.")
  @OptionGroup var options: StudyOptions
  @Option(parsing: .unconditional, help: "Which objective, from 0, for a study with several.") var objective = 0
  @Flag(help: "Print one JSON object {name: importance} instead of a table.") var json = false

  func run() throws {
    let importances = try options.load().parameterImportances(objective: objective)
    if json {
      printJSON(.object(Dictionary(uniqueKeysWithValues: importances.map { ($0.name, JSONValue.double($0.importance)) })))
      return
    }
    let width = max(9, importances.map(\.name.count).max() ?? 0)
    print("parameter".padding(toLength: width, withPad: " ", startingAt: 0) + "  importance")
    for item in importances {
      print(item.name.padding(toLength: width, withPad: " ", startingAt: 0) + "  " + String(format: "%10.4f", item.importance))
    }
  }
}
