import ArgumentParser
import Foundation
import Hone

/// `hone ask`: start a trial and print its parameters.
struct AskCommand: ParsableCommand {
  static let configuration = CommandConfiguration(
    commandName: "ask", abstract: "Start a trial; prints {\"trial\": N, \"params\": {...}}.",
    discussion: """
      A parameter with "when" exists only when other parameters take given values: \
      {"opt": {"type": "categorical", "choices": ["sgd", "adam"]}, \
      "momentum": {"type": "float", "low": 0, "high": 0.99, "when": {"opt": "sgd"}}}.
      When the study has a heartbeat grace, the trial is failed after that many seconds \
      without a heartbeat (hone heartbeat) or a tell.
      """)
  @OptionGroup var options: StudyOptions
  @OptionGroup var searchSpace: SearchSpaceOptions
  @Option(help: ArgumentHelp("\(Catalogs.samplers.nameList) (default auto).")) var sampler = "auto"
  @Option(help: ArgumentHelp("The GP sampler's acquisition: \(AcquisitionKind.allCases.map(\.rawValue).joined(separator: ", ")) (default logei).")) var acquisition: String?
  @Option(help: ArgumentHelp("The GP sampler's surrogate: \(Catalogs.surrogates.nameList) (default matern).")) var surrogate: String?
  @Option(parsing: .unconditional, help: "Seed of the sampler; the same seed gives the same suggestions. Without it, the study's first ask picks one and stores it, so later asks continue the same sequence.")
  var seed: UInt64?

  func run() throws {
    let space = try searchSpace.read()
    let storage = try Catalogs.storage(options.storage, create: false)
    let studyID = try storage.studyID(name: options.study)
    let stored = try storage.studySystemAttrs(studyID: studyID)["cli_seed"].flatMap { json -> UInt64? in
      if case .string(let text) = json { return UInt64(text) } else { return nil }
    }
    let chosenSeed = seed ?? stored ?? UInt64.random(in: 0...UInt64.max)
    let chosen = try Catalogs.sampler(sampler, seed: chosenSeed, space: space, settings: CatalogSettings().with("acquisition", acquisition).with("surrogate", surrogate))
    let study = try Study.load(name: options.study, storage: storage, sampler: chosen, pruner: NopPruner())
    if seed == nil, stored == nil {
      try storage.setStudySystemAttr(studyID: studyID, key: "cli_seed", value: .string(String(chosenSeed)))
    }
    let trial = try study.ask(space ?? ConditionalSpace([:]))
    printJSON(.object(["trial": .int(trial.number), "params": .object(trial.params.mapValues(\.json))]))
  }
}

/// `hone tell`: finish a trial.
struct TellCommand: ParsableCommand {
  static let configuration = CommandConfiguration(
    commandName: "tell", abstract: "Finish a trial with its value(s), or as failed or pruned.")
  @OptionGroup var options: StudyOptions
  @Option(parsing: .unconditional, help: "The trial number (from ask).") var trial: Int
  @Option(parsing: .unconditional, help: "The objective value.") var value: String?
  @Option(parsing: .unconditional, help: "Comma-separated values, one per objective.") var values: String?
  @Option(help: "failed or pruned, instead of a value.") var state: String?
  @Flag(help: "Succeed without changing anything when the trial is already finished (print it as stored).")
  var skipIfFinished = false

  func run() throws {
    let given = [value != nil, values != nil, state != nil].filter { $0 }.count
    guard given == 1 else { throw ValidationError("give exactly one of --value, --values or --state") }
    var told: TrialState?
    if let state {
      guard let s = TrialState(rawValue: state.lowercased()), s == .failed || s == .pruned else {
        throw ValidationError("--state takes failed or pruned, got '\(state)'")
      }
      told = s
    }
    let numbers = told == nil ? try parseNumbers(value: value, values: values) : nil
    let study = try options.load()
    let outcome = try told.map { try study.finish(number: trial, state: $0) } ?? study.finish(number: trial, values: numbers!)
    guard outcome.finishedNow || skipIfFinished else { throw CLIError(Study.alreadyFinished(outcome.trial, study: study.name).description) }
    printJSON(tellJSON(outcome.trial))
    if outcome.finishedNow, outcome.trial.state == .failed, state == nil {
      throw CLIError("trial \(trial) was recorded as failed: \(outcome.trial.failReason ?? "invalid value")")
    }
  }
}

/// `hone heartbeat`: says that a running trial's worker is alive (for studies with a
/// heartbeat grace: see `hone study create --heartbeat-grace`).
struct HeartbeatCommand: ParsableCommand {
  static let configuration = CommandConfiguration(
    commandName: "heartbeat", abstract: "Record that a running trial is alive (studies with a heartbeat grace fail trials that stop beating).")
  @OptionGroup var options: StudyOptions
  @Option(parsing: .unconditional, help: "The trial number (from ask).") var trial: Int

  func run() throws {
    let study = try options.load()
    let stored = try study.storage.trial(studyID: study.id, number: trial)
    guard stored.state == .running else {
      throw CLIError("trial \(trial) of study '\(study.name)' is \(stored.state.rawValue), not running: it takes no heartbeat\(stored.failReason.map { " (\($0))" } ?? "")")
    }
    try study.storage.recordHeartbeat(trialID: stored.id)
    printJSON(.object(["trial": .int(trial), "state": .string(stored.state.rawValue)]))
  }
}

/// `hone enqueue`: add a waiting trial with fixed parameters.
struct EnqueueCommand: ParsableCommand {
  static let configuration = CommandConfiguration(
    commandName: "enqueue", abstract: "Enqueue a trial with fixed parameters; the next ask takes it.",
    discussion: "Each value is checked against the space given, else against the distribution the study's trials already use for that name.")
  @OptionGroup var options: StudyOptions
  @Option(help: "The parameters as a JSON object, e.g. {\"lr\": 0.01}.") var params: String
  @OptionGroup var searchSpace: SearchSpaceOptions

  func run() throws {
    guard let object = try JSONValue.parse(params).objectValue else {
      throw ValidationError("--params must be a JSON object of parameter values")
    }
    let values = try paramValues(object)
    let space = try searchSpace.read()?.distributions ?? [:]
    if !space.isEmpty, let unknown = values.keys.sorted().first(where: { space[$0] == nil }) {
      throw ValidationError("'\(unknown)' is not a parameter of the search space (\(space.keys.sorted().joined(separator: ", ")))")
    }
    let trial = try options.load().enqueueTrial(values, space: space)
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
  if let value { return [try parseNumber(value)] }
  return try parseNumberList(values!)
}

/// The numbers of a comma-separated list; an empty field (`,1`, `1,,2`, `1,`) is refused,
/// never dropped.
func parseNumberList(_ text: String) throws -> [Double] {
  try text.split(separator: ",", omittingEmptySubsequences: false).map { field in
    guard !field.trimmingCharacters(in: .whitespaces).isEmpty else {
      throw ValidationError("'\(text)' has an empty field; give one number per objective, separated by commas")
    }
    return try parseNumber(String(field))
  }
}

/// One number (`inf`, `-inf` and `nan` included), with an error that quotes it.
func parseNumber(_ text: String) throws -> Double {
  guard let v = Double(text.trimmingCharacters(in: .whitespaces)) else { throw ValidationError("'\(text)' is not a number") }
  return v
}

/// An error whose message is printed as is.
struct CLIError: Error, CustomStringConvertible {
  let description: String
  init(_ message: String) { description = message }
}
