import ArgumentParser
import Foundation
import Hone

/// `hone`: studies, trials and search from the shell. The `hone` executable runs
/// `HoneCommand.main()`.
public struct HoneCommand: AsyncParsableCommand {
  /// A command with nothing parsed yet (ArgumentParser fills it in).
  public init() {}

  /// The subcommands and the help text.
  public static let configuration = CommandConfiguration(
    commandName: "hone",
    abstract: "Hone: hyperparameter search and optimizers for neural networks.",
    discussion: """
      Storage URLs: sqlite:///relative.db, sqlite:////absolute/path.db, memory: (default $HONE_STORAGE, else sqlite:///hone.db).
      Search spaces are JSON: {"lr": {"type": "float", "low": 1e-5, "high": 0.1, "log": true}, \
      "layers": {"type": "int", "low": 1, "high": 4}, "opt": {"type": "categorical", "choices": ["adam", "sgd"]}, \
      "momentum": {"type": "float", "low": 0, "high": 0.99, "when": {"opt": "sgd"}}}
      """,
    version: honeVersion,
    subcommands: [StudyCommand.self, AskCommand.self, TellCommand.self, HeartbeatCommand.self, BestCommand.self, TrialsCommand.self,
                  EnqueueCommand.self, IntermediateCommand.self, DemoCommand.self, TrainCommand.self, CompareCommand.self,
                  ReportCommand.self, ImportanceCommand.self, TuneCommand.self, ServeCommand.self, NASCommand.self,
                  DashboardCommand.self])
}

/// The options every command that touches a study takes.
struct StudyOptions: ParsableArguments {
  @Option(name: .customLong("storage"), help: "Storage URL (sqlite:///relative.db, sqlite:////absolute.db, memory:; default: $HONE_STORAGE, else sqlite:///hone.db).")
  var storageURL: String?

  /// The storage URL: `--storage`, else `$HONE_STORAGE`, else `sqlite:///hone.db`.
  var storage: String { storageURL ?? storageFromEnvironment() }

  @Option(help: "The study's name.")
  var study: String

  /// Opens the existing storage and loads the study; a missing database or an unknown study
  /// is an error, and nothing is created.
  func load(sampler: (any Sampler)? = nil) throws -> Study {
    try Study.load(name: study, storage: Catalogs.storage(storage, create: false), sampler: sampler, pruner: NopPruner())
  }
}

/// `--space` or `--space-file`: a search space as JSON, with optional conditions (see
/// `ConditionalSpace`).
struct SearchSpaceOptions: ParsableArguments {
  @Option(help: "The search space as inline JSON.") var space: String?
  @Option(help: "A file holding the search space JSON.") var spaceFile: String?

  /// The space given, nil when neither option is; both at once is a usage error.
  func read() throws -> ConditionalSpace? {
    guard space == nil || spaceFile == nil else { throw ValidationError("give --space or --space-file, not both") }
    return try (space ?? spaceFile.map(readFile)).map(ConditionalSpace.init(json:))
  }
}

/// The storage URL when no `--storage` is given: `$HONE_STORAGE`, else `sqlite:///hone.db`.
func storageFromEnvironment() -> String {
  ProcessInfo.processInfo.environment["HONE_STORAGE"].flatMap { $0.isEmpty ? nil : $0 } ?? "sqlite:///hone.db"
}

/// Prints one JSON value on stdout.
func printJSON(_ value: JSONValue) { print(value.description) }

/// Reads a text file, with an error that names it.
func readFile(_ path: String) throws -> String {
  do {
    return try String(contentsOfFile: path, encoding: .utf8)
  } catch {
    throw ValidationError("cannot read \(path): no such file or not UTF-8 text")
  }
}
