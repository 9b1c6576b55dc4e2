import ArgumentParser
import Foundation
import Hone
import HoneDashboard

/// `hone dashboard`: a live web dashboard of every study in a storage (see `Dashboard`).
struct DashboardCommand: AsyncParsableCommand {
  static let configuration = CommandConfiguration(
    commandName: "dashboard",
    abstract: "Serve a live web dashboard of the studies in a storage.",
    discussion: """
      Listens on 127.0.0.1 by default: only this machine can connect. Read-only unless --allow-writes; \
      then writes (a study's note, enqueuing a trial, failing or pruning a running trial) need the token \
      printed at start. Stop it with Ctrl-C.
      """)
  @Option(name: .customLong("storage"), help: "Storage URL (default: $HONE_STORAGE, else sqlite:///hone.db).") var storageURL: String?
  @Option(help: "The address to listen on (0.0.0.0 opens it to the network).") var host = "127.0.0.1"
  @Option(parsing: .unconditional, help: "The port (0 picks a free one).") var port = 8080
  @Flag(help: "Take writes that carry the token printed at start.") var allowWrites = false
  @Option(help: "Serve trial logs only from inside this folder.") var logDir: String?

  func validate() throws {
    guard (0...65535).contains(port) else { throw ValidationError("--port must be from 0 to 65535, got \(port)") }
    guard !host.isEmpty else { throw ValidationError("--host must name an address, such as 127.0.0.1") }
  }

  func run() async throws {
    let url = storageURL ?? storageFromEnvironment()
    let storage = try Catalogs.storage(url, create: false)
    _ = try storage.studies()  // a storage that cannot be read fails here, with its own message
    let configuration = DashboardConfiguration(host: host, port: port, allowWrites: allowWrites, logRoot: logDir)
    let app = Dashboard.application(storage: storage, configuration: configuration) { [host, allowWrites] port in
      let address = host.contains(":") ? "[\(host)]" : host
      print("Hone dashboard of \(PostgresURL.redacted(url)) at http://\(address):\(port)/ (Ctrl-C stops it)")
      if allowWrites {
        print("writes allowed with the token: open http://\(address):\(port)/login?token=\(configuration.token)")
      } else {
        print("read-only (--allow-writes to change studies from the page)")
      }
      fflush(nil)
    }
    do {
      try await app.runService()
    } catch {
      throw CLIError("the dashboard cannot serve on \(host):\(port): \(error)")
    }
  }
}

/// The line `hone demo` and `hone tune` print so the user can watch the study live (none for
/// `memory:`, which no other process sees).
func printDashboardHint(storage url: String) {
  guard !url.hasPrefix("memory:") else { return }
  print("watch it live: hone dashboard --storage '\(PostgresURL.redacted(url))'")
}

/// Records the sampler and pruner a command searches with as the study's system attributes
/// `sampler` and `pruner`, which the dashboard shows.
func recordSearchSettings(_ study: Study, sampler: String, pruner: String) throws {
  try study.storage.setStudySystemAttr(studyID: study.id, key: "sampler", value: .string(sampler))
  try study.storage.setStudySystemAttr(studyID: study.id, key: "pruner", value: .string(pruner))
}
