import ArgumentParser
import Hone

/// `hone study create|list|show|delete|import|export` (the last two in StudyTransferCommands.swift).
struct StudyCommand: ParsableCommand {
  static let configuration = CommandConfiguration(
    commandName: "study", abstract: "Create, list, show, delete, import and export studies.",
    subcommands: [Create.self, List.self, Show.self, Delete.self, Import.self, Export.self])

  struct Create: ParsableCommand {
    static let configuration = CommandConfiguration(abstract: "Create a study.")
    @OptionGroup var options: StudyOptions
    @Option(help: "minimize or maximize; repeat for several objectives (default minimize).")
    var direction: [String] = []
    @Flag(help: "Load the study if it exists (with the same directions) instead of failing.")
    var loadIfExists = false
    @Option(parsing: .unconditional, help: "Fail a running trial after this many seconds without a heartbeat: hone tune and hone serve beat for their trials, a script calls hone heartbeat; the next ask of any process fails the stale trials.")
    var heartbeatGrace: Double?
    @Flag(help: "With --heartbeat-grace: enqueue each stale trial once more with the same parameters.")
    var retryStale = false

    func run() throws {
      let directions = try parseDirections(direction)
      guard heartbeatGrace != nil || !retryStale else { throw ValidationError("--retry-stale goes with --heartbeat-grace") }
      let policy = try heartbeatGrace.map { grace -> HeartbeatPolicy in
        guard grace > 0, grace <= 1e7 else { throw ValidationError("--heartbeat-grace must be a positive number of seconds (at most 1e7), got \(grace)") }
        return try HeartbeatPolicy(gracePeriod: .milliseconds(Int64(grace * 1000)), retryFailedTrials: retryStale)
      }
      let storage = try Catalogs.storage(options.storage)
      let existed = (try? storage.studyID(name: options.study)) != nil
      let study = try Study(name: options.study, storage: storage, directions: directions, pruner: NopPruner(), loadIfExists: loadIfExists)
      do {
        try policy?.store(in: storage, studyID: study.id)
      } catch {
        if !existed { try? Study.delete(name: options.study, storage: storage) }
        throw error
      }
      var reply: [String: JSONValue] = ["study": .string(study.name), "directions": .array(directions.map { .string($0.rawValue) })]
      if let heartbeatGrace { reply["heartbeat_grace"] = .double(heartbeatGrace) }
      printJSON(.object(reply))
    }
  }

  struct List: ParsableCommand {
    static let configuration = CommandConfiguration(abstract: "List the studies, one JSON object per line.")
    @Option(name: .customLong("storage"), help: "Storage URL (default: $HONE_STORAGE, else sqlite:///hone.db).") var storageURL: String?
    var storage: String { storageURL ?? storageFromEnvironment() }

    func run() throws {
      for summary in try Catalogs.storage(storage, create: false).studies() { printJSON(summaryJSON(summary)) }
    }
  }

  struct Show: ParsableCommand {
    static let configuration = CommandConfiguration(abstract: "Show a study: directions, trial counts, attributes, best.")
    @OptionGroup var options: StudyOptions

    func run() throws {
      let study = try options.load()
      guard let summary = try study.storage.studies().first(where: { $0.id == study.id }) else {
        throw StorageError.studyNotFound("study '\(study.name)' was deleted while it was being read")
      }
      var o = summaryJSON(summary).objectValue!
      o["user_attrs"] = .object(try study.userAttrs)
      o["best"] = .array(try study.bestTrials.map(bestJSON))
      let chosen = AutoSampler.choices(in: try study.trials)
      if !chosen.isEmpty { o["auto_sampler"] = .object(Dictionary(uniqueKeysWithValues: chosen.map { ($0.choice, .int($0.trials)) })) }
      printJSON(.object(o))
    }
  }

  struct Delete: ParsableCommand {
    static let configuration = CommandConfiguration(abstract: "Delete a study and all its trials.")
    @OptionGroup var options: StudyOptions

    func run() throws {
      try Study.delete(name: options.study, storage: Catalogs.storage(options.storage, create: false))
      printJSON(.object(["deleted": .string(options.study)]))
    }
  }
}

/// A study summary as JSON.
func summaryJSON(_ s: StudySummary) -> JSONValue {
  .object([
    "study": .string(s.name),
    "directions": .array(s.directions.map { .string($0.rawValue) }),
    "trials": .object(Dictionary(uniqueKeysWithValues: TrialState.allCases.map { ($0.rawValue, JSONValue.int(s.trialCounts[$0] ?? 0)) })),
  ])
}

/// A best trial as `{"trial": N, "values": [...], "params": {...}}`.
func bestJSON(_ t: FrozenTrial) -> JSONValue {
  .object(["trial": .int(t.number), "values": .array((t.values ?? []).map(JSONValue.double)), "params": .object(t.params.mapValues(\.json))])
}

/// The directions of `--direction` options (minimize when none is given).
func parseDirections(_ texts: [String]) throws -> [StudyDirection] {
  try (texts.isEmpty ? ["minimize"] : texts).map { text in
    guard let d = StudyDirection(rawValue: text.lowercased()) else {
      throw ValidationError("unknown direction '\(text)'; use minimize or maximize")
    }
    return d
  }
}

/// The study `name`: loaded when it exists — then `directions`, when given, must be its own —
/// or created with `directions` (minimize when not given). Returns whether it was created.
func openStudy(name: String, storage: any Storage, directions given: [StudyDirection]?, sampler: any Sampler,
               pruner: any Pruner) throws -> (study: Study, created: Bool) {
  guard (try? storage.studyID(name: name)) != nil else {
    return (try Study(name: name, storage: storage, directions: given ?? [.minimize], sampler: sampler, pruner: pruner), true)
  }
  let study = try Study.load(name: name, storage: storage, sampler: sampler, pruner: pruner)
  if let given, given != study.directions {
    throw ValidationError("study \(name) has directions \(study.directions.map(\.rawValue).joined(separator: ", ")), not \(given.map(\.rawValue).joined(separator: ", "))")
  }
  return (study, false)
}
