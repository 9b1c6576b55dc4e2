import ArgumentParser
import Foundation
import Hone

extension StudyCommand {
  /// `hone study import --from optuna`: copies a study out of an Optuna SQLite file.
  struct Import: ParsableCommand {
    static let configuration = CommandConfiguration(
      abstract: "Import a study from an Optuna SQLite file; prints {\"study\", \"trials\", \"warnings\"}.",
      discussion: """
        Reads the file without changing it (Optuna 3.2 to 5.x; older files need `optuna storage upgrade`). \
        Every trial is imported with its number, state, parameters, values, intermediate values, attributes, \
        constraints and datetimes. What Hone cannot hold as it is (complete trials with an infinite value, \
        choices that are null or lists, NaN in attributes, named constraints, …) is changed as each warning \
        says; the warnings are in the reply and on stderr.
        """)
    @Option(help: "The format of the source: optuna.") var from: String
    @Option(help: "The Optuna storage: sqlite:///relative.db, sqlite:////absolute.db or a path.") var source: String
    @Option(help: "The study to import (needed when the file holds several; default: the first).") var sourceStudy: String?
    @Option(name: .customLong("storage"), help: "Hone storage URL (default: $HONE_STORAGE, else sqlite:///hone.db).")
    var storageURL: String?
    @Option(help: "The name of the new Hone study (default: the Optuna study's name).") var study: String?

    func validate() throws {
      guard from.lowercased() == "optuna" else { throw ValidationError("unknown --from '\(from)'; the one supported source is optuna") }
    }

    func run() throws {
      let path = try OptunaStudyFile.path(fromURL: source)
      let read = try OptunaStudyFile(path: path).readStudy(named: sourceStudy)
      let url = storageURL ?? storageFromEnvironment()
      var created = false
      let storage: any Storage
      do {
        storage = try Catalogs.storage(url, create: false)
      } catch StorageError.databaseNotFound(_) {
        storage = try Catalogs.storage(url)
        created = true
      }
      let summary: OptunaTransferSummary
      do {
        summary = try read.write(into: storage, as: study)
      } catch {
        if created, let file = (storage as? SQLiteStorage)?.path {
          for suffix in ["", "-wal", "-shm"] { try? FileManager.default.removeItem(atPath: file + suffix) }
        }
        throw error
      }
      printTransfer(summary, extra: ["source": .string(path), "source_study": .string(read.name)])
    }
  }

  /// `hone study export --to optuna`: writes a study as a new Optuna SQLite file.
  struct Export: ParsableCommand {
    static let configuration = CommandConfiguration(
      abstract: "Export a study as a new Optuna SQLite file; prints {\"study\", \"trials\", \"warnings\"}.",
      discussion: """
        The file has Optuna 5's schema (revision v3.2.0.a): optuna.load_study opens it and can continue \
        the study. An existing file is never written into. What Optuna cannot hold (intermediate vectors \
        of several objectives) or ignores (Hone's own system attributes) is listed in the warnings.
        """)
    @Option(help: "The format to write: optuna.") var to: String
    @OptionGroup var options: StudyOptions
    @Option(help: "The new Optuna file: sqlite:///relative.db, sqlite:////absolute.db or a path.") var output: String

    func validate() throws {
      guard to.lowercased() == "optuna" else { throw ValidationError("unknown --to '\(to)'; the one supported format is optuna") }
    }

    func run() throws {
      let path = try OptunaStudyFile.path(fromURL: output)
      let storage = try Catalogs.storage(options.storage, create: false)
      let summary = try OptunaStudyFile.export(study: options.study, from: storage, to: path)
      printTransfer(summary, extra: ["output": .string(path)])
    }
  }
}

/// Prints each warning on stderr (`warning: …`) and the summary as one JSON line:
/// `{"study", "trials", "warnings", …extra}`.
func printTransfer(_ summary: OptunaTransferSummary, extra: [String: JSONValue]) {
  for warning in summary.warnings { FileHandle.standardError.write(Data("warning: \(warning)\n".utf8)) }
  var reply = extra
  reply["study"] = .string(summary.study)
  reply["trials"] = .int(summary.trials)
  reply["warnings"] = .array(summary.warnings.map(JSONValue.string))
  printJSON(.object(reply))
}
