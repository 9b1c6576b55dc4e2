import ArgumentParser
import Foundation
import Hone

/// `hone ask`: start a trial and print its parameters.
struct AskCommand: ParsableCommand {
  static let configuration = CommandConfiguration(
    commandName: "ask", abstract: "Start a trial; prints {\"trial\": N, \"params\": {...}}.")
  @OptionGroup var options: StudyOptions
  @Option(help: "The search space as inline JSON.") var space: String?
  @Option(help: "A file holding the search space JSON.") var spaceFile: String?
  @Option(help: "tpe (default), gp, cmaes, nsga2, random, qmc or grid.") var sampler = "tpe"
  @Option(help: "The GP sampler's acquisition: logei (default), nei, kg, mes, ucb or pi.") var acquisition = "logei"
  @Option(help: "Seed of the sampler; the same seed gives the same suggestions. Without it, the study's first ask picks one and stores it, so later asks continue the same sequence.")
  var seed: UInt64?

  func run() throws {
    guard space == nil || spaceFile == nil else { throw ValidationError("give --space or --space-file, not both") }
    let text = try space ?? spaceFile.map(readFile)
    let distributions = try text.map(Distribution.space(fromJSON:)) ?? [:]
    let storage = try StorageURL.open(options.storage, create: false)
    let studyID = try storage.studyID(name: options.study)
    let stored = try storage.studySystemAttrs(studyID: studyID)["cli_seed"].flatMap { json -> UInt64? in
      if case .string(let text) = json { return UInt64(text) } else { return nil }
    }
    let chosenSeed = seed ?? stored ?? UInt64.random(in: 0...UInt64.max)
    let chosen = try SamplerName.make(sampler, seed: chosenSeed, space: distributions, acquisition: acquisition)
    if seed == nil, stored == nil {
      try storage.setStudySystemAttr(studyID: studyID, key: "cli_seed", value: .string(String(chosenSeed)))
    }
    let trial = try Study.load(name: options.study, storage: storage, sampler: chosen, pruner: NopPruner()).ask(distributions)
    printJSON(.object(["trial": .int(trial.number), "params": .object(trial.params.mapValues(\.json))]))
  }
}

/// `hone tell`: finish a trial.
struct TellCommand: ParsableCommand {
  static let configuration = CommandConfiguration(
    commandName: "tell", abstract: "Finish a trial with its value(s), or as failed or pruned.")
  @OptionGroup var options: StudyOptions
  @Option(help: "The trial number (from ask).") var trial: Int
  @Option(help: "The objective value.") var value: String?
  @Option(help: "Comma-separated values, one per objective.") var values: String?
  @Option(help: "failed or pruned, instead of a value.") var state: String?

  func run() throws {
    let given = [value != nil, values != nil, state != nil].filter { $0 }.count
    guard given == 1 else { throw ValidationError("give exactly one of --value, --values or --state") }
    let study = try options.load()
    let finished: FrozenTrial
    if let state {
      guard let s = TrialState(rawValue: state.lowercased()), s == .failed || s == .pruned else {
        throw ValidationError("--state takes failed or pruned, got '\(state)'")
      }
      finished = try study.tell(number: trial, state: s)
    } else {
      finished = try study.tell(number: trial, values: parseNumbers(value: value, values: values))
    }
    printJSON(tellJSON(finished))
    if finished.state == .failed, state == nil {
      throw CLIError("trial \(trial) was recorded as failed: \(finished.failReason ?? "invalid value")")
    }
  }
}

/// `hone enqueue`: add a waiting trial with fixed parameters.
struct EnqueueCommand: ParsableCommand {
  static let configuration = CommandConfiguration(
    commandName: "enqueue", abstract: "Enqueue a trial with fixed parameters; the next ask takes it.")
  @OptionGroup var options: StudyOptions
  @Option(help: "The parameters as a JSON object, e.g. {\"lr\": 0.01}.") var params: String

  func run() throws {
    guard let object = try JSONValue.parse(params).objectValue else {
      throw ValidationError("--params must be a JSON object of parameter values")
    }
    let trial = try options.load().enqueueTrial(paramValues(object))
    printJSON(.object(["trial": .int(trial.number), "state": .string(trial.state.rawValue)]))
  }
}

/// `hone best`: the best trial (or the Pareto set for several objectives).
struct BestCommand: ParsableCommand {
  static let configuration = CommandConfiguration(
    commandName: "best", abstract: "Print the best trial: {\"trial\": N, \"values\": [...], \"params\": {...}}; a JSON array of the Pareto set for several objectives.")
  @OptionGroup var options: StudyOptions

  func run() throws {
    let study = try options.load()
    if study.directions.count == 1 { printJSON(bestJSON(try study.bestTrial)) } else { printJSON(.array(try study.bestTrials.map(bestJSON))) }
  }
}

/// `hone trials`: export every trial.
struct TrialsCommand: ParsableCommand {
  static let configuration = CommandConfiguration(commandName: "trials", abstract: "Export every trial as JSON or CSV.")
  @OptionGroup var options: StudyOptions
  @Option(help: "json or csv.") var format = "json"

  func run() throws {
    let study = try options.load()
    switch format.lowercased() {
    case "json": print(try study.exportJSON())
    case "csv": print(try study.exportCSV(), terminator: "")
    default: throw ValidationError("--format takes json or csv, got '\(format)'")
    }
  }
}

/// `{"trial": N, "state": …, "values": […]|null}`: what `tell` answers.
func tellJSON(_ finished: FrozenTrial) -> JSONValue {
  .object(["trial": .int(finished.number), "state": .string(finished.state.rawValue),
           "values": finished.values.map { .array($0.map(JSONValue.double)) } ?? .null])
}

/// Parameter values from a JSON object (strings, numbers or booleans).
func paramValues(_ object: [String: JSONValue]) throws -> [String: ParamValue] {
  try object.mapValues { json in
    guard let v = ParamValue(json: json) else { throw ValidationError("parameter values must be strings, numbers or booleans") }
    return v
  }
}

/// The numbers of `--value V` or `--values V1,V2,…` (exactly one of them is given).
func parseNumbers(value: String?, values: String?) throws -> [Double] {
  try (value.map { [$0] } ?? values!.split(separator: ",").map(String.init)).map { text in
    guard let v = Double(text.trimmingCharacters(in: .whitespaces)) else { throw ValidationError("'\(text)' is not a number") }
    return v
  }
}

/// An error whose message is printed as is.
struct CLIError: Error, CustomStringConvertible {
  let description: String
  init(_ message: String) { description = message }
}

/// The samplers the CLI knows by name.
enum SamplerName {
  static func make(_ name: String, seed: UInt64?, space: [String: Distribution], acquisition: String = "logei") throws -> any Sampler {
    switch name.lowercased() {
    case "tpe": return try TPESampler(seed: seed)
    case "gp":
      guard let kind = AcquisitionKind(rawValue: acquisition.lowercased()) else {
        throw ValidationError("unknown acquisition '\(acquisition)'; use \(AcquisitionKind.allCases.map(\.rawValue).joined(separator: ", "))")
      }
      return try GPSampler(seed: seed, acquisition: kind)
    case "cmaes": return try CMAESSampler(seed: seed, searchSpace: space.isEmpty ? nil : space)
    case "nsga2": return try NSGAIISampler(seed: seed)
    case "random": return RandomSampler(seed: seed)
    case "qmc": return QMCSampler(seed: seed, searchSpace: space.isEmpty ? nil : space)
    case "grid":
      guard !space.isEmpty else { throw ValidationError("the grid sampler needs --space or --space-file") }
      return try GridSampler(space: space, seed: seed)
    default: throw ValidationError("unknown sampler '\(name)'; use tpe, gp, cmaes, nsga2, random, qmc or grid")
    }
  }
}
