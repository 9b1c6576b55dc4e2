import ArgumentParser
import Hone

/// `hone`: studies, trials and search from the shell.
@main
struct HoneCommand: AsyncParsableCommand {
  static let configuration = CommandConfiguration(
    commandName: "hone",
    abstract: "Hone: hyperparameter search and optimizers for neural networks.",
    discussion: """
      Storage URLs: sqlite:///relative.db, sqlite:////absolute/path.db, memory: (default sqlite:///hone.db).
      Search spaces are JSON: {"lr": {"type": "float", "low": 1e-5, "high": 0.1, "log": true}, \
      "layers": {"type": "int", "low": 1, "high": 4}, "opt": {"type": "categorical", "choices": ["adam", "sgd"]}}
      """,
    subcommands: [StudyCommand.self, AskCommand.self, TellCommand.self, BestCommand.self, TrialsCommand.self,
                  EnqueueCommand.self, IntermediateCommand.self, DemoCommand.self, TrainCommand.self,
                  ReportCommand.self, ImportanceCommand.self, TuneCommand.self, ServeCommand.self, NASCommand.self])
}

/// The options every command that touches a study takes.
struct StudyOptions: ParsableArguments {
  @Option(help: "Storage URL (sqlite:///relative.db, sqlite:////absolute.db, memory:).")
  var storage = "sqlite:///hone.db"

  @Option(help: "The study's name.")
  var study: String

  /// Opens the existing storage and loads the study; a missing database or an unknown study
  /// is an error, and nothing is created.
  func load(sampler: (any Sampler)? = nil) throws -> Study {
    try Study.load(name: study, storage: StorageURL.open(storage, create: false), sampler: sampler, pruner: NopPruner())
  }
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
