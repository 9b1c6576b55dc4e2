import Foundation
import Testing
import Hone
@testable import HoneCLIKit

/// Always the lowest value: the toy sampler of the README's "adding a sampler".
struct LowestSampler: Sampler {
  func sampleIndependent(study: StudySnapshot, trial: FrozenTrial, name: String, distribution: Distribution) throws -> ParamValue {
    distribution.value(atUnit: 0)
  }
}

/// One catalog per kind: every name works from every command and `hone serve`, every help
/// text lists every name, a setting that does not apply is refused, and a new sampler is one
/// type plus one row.
@Suite struct CatalogTests {
  static let space = #"{"x": {"type": "float", "low": -5, "high": 5, "step": 0.5}, "n": {"type": "int", "low": 1, "high": 4}}"#
  /// The catalogs as the `hone` binary has them (a test here registers a row in this process).
  static let samplers = Catalog(kind: "sampler", TuneSamplers.entries, NASSamplers.entries)
  static let pruners = Catalog(kind: "pruner", TunePruners.entries)

  /// Every sampler of the catalog answers `hone ask` (a study with one objective, except NSGA-II
  /// which is given two); every pruner answers `hone intermediate` and `hone tune`.
  @Test func everyNameWorksFromTheCommandLine() throws {
    let hone = try CLIRunner()
    for name in Self.samplers.names {
      let directions = name == "nsga2" ? ["--direction", "minimize", "--direction", "minimize"] : []
      _ = try hone.run(["study", "create", "--study", "s-\(name)"] + directions)
      let r = try hone("ask", "--study", "s-\(name)", "--sampler", name, "--space", Self.space, "--seed", "1")
      #expect(r.status == 0, "\(name): \(r.stderr)")
    }
    _ = try hone("study", "create", "--study", "p")
    _ = try hone("ask", "--study", "p", "--space", Self.space)
    for name in Self.pruners.names {
      let settings = name == "threshold" ? ["--lower", "-100"] : []
      let r = try hone.run(["intermediate", "--study", "p", "--trial", "0", "--step", "1", "--value", "1", "--pruner", name] + settings)
      #expect(r.status == 0 && r.stdout == "continue\n", "\(name): \(r.stderr)")
      let tuned = try hone.run(["tune", "--study", "t-\(name)", "--space", Self.space, "--trials", "1", "--pruner", name] + settings
                               + ["--", "echo", "hone: value=1"])
      #expect(tuned.status == 0, "\(name): \(tuned.stderr)")
    }
  }

  /// The help of every command that takes a sampler or a pruner lists every name.
  @Test func helpListsEveryName() throws {
    let hone = try CLIRunner()
    for (command, catalogs) in [(["tune"], [Self.samplers.names, Self.pruners.names]), (["ask"], [Self.samplers.names]),
                                (["demo"], [Self.samplers.names, Self.pruners.names]), (["intermediate"], [Self.pruners.names])] {
      let help = try hone.run(command + ["--help"]).stdout.replacingOccurrences(of: "\n", with: " ")
        .split(separator: " ").joined(separator: " ")
      for name in catalogs.flatMap({ $0 }) { #expect(help.contains(name), "hone \(command[0]) --help lacks \(name)") }
    }
  }

  /// A setting given to a pruner that does not take it is a usage error that lists what it
  /// takes; an unknown name lists the names.
  @Test func settingsThatDoNotApplyAreRefused() throws {
    let hone = try CLIRunner()
    _ = try hone("study", "create", "--study", "p")
    _ = try hone("ask", "--study", "p", "--space", Self.space)
    let r = try hone("intermediate", "--study", "p", "--trial", "0", "--step", "1", "--value", "1", "--pruner", "median", "--lower", "0")
    #expect(r.status == 64 && r.stderr.contains("--lower does not apply to median, which takes --startup-trials, --warmup-steps"))
    let unknown = try hone("ask", "--study", "p", "--sampler", "annealing", "--space", Self.space)
    #expect(unknown.status == 64 && unknown.stderr.contains("unknown sampler 'annealing'; use \(Self.samplers.nameList)"))
    let acquisition = try hone("ask", "--study", "p", "--sampler", "tpe", "--acquisition", "ucb", "--space", Self.space)
    #expect(acquisition.status == 64 && acquisition.stderr.contains("--acquisition does not apply to tpe"))
    // Nothing was written by the refused commands: the study still holds the one trial.
    #expect(try JSONValue.parse(try hone("trials", "--study", "p").stdout).arrayValue!.count == 1)
  }

  /// The README's tables list exactly the catalogs' names.
  @Test func readmeListsTheRows() throws {
    let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
    let readme = try String(contentsOf: root.appendingPathComponent("README.md"), encoding: .utf8)
    let section = readme.components(separatedBy: "### Samplers and pruners by name")[1].components(separatedBy: "### Adding")[0]
    let listed = section.split(separator: "\n").compactMap { line -> String? in
      guard line.hasPrefix("| `") else { return nil }
      return String(line.dropFirst(3).prefix { $0 != "`" })
    }
    #expect(listed == Self.samplers.names + Self.pruners.names)
  }

  /// A sampler added as one type and one row works by name from `hone ask`, run in process
  /// (as a program embedding the command line runs it), and the help and errors list it.
  @Test func aToySamplerIsOneTypeAndOneRow() throws {
    Catalogs.register(samplers: [SamplerEntry("lowest", "Always the lowest value") { _, _ in LowestSampler() }])
    #expect(Catalogs.samplers.names.last == "lowest")
    let folder = FileManager.default.temporaryDirectory.appendingPathComponent("hone-toy-\(UUID().uuidString)")
    try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
    defer { try? FileManager.default.removeItem(at: folder) }
    let storage = "sqlite:///" + folder.appendingPathComponent("toy.db").path
    var create = try HoneCommand.parseAsRoot(["study", "create", "--study", "toy", "--storage", storage])
    try create.run()
    var ask = try HoneCommand.parseAsRoot(["ask", "--study", "toy", "--storage", storage, "--sampler", "lowest", "--space", Self.space])
    try ask.run()
    let trial = try StorageURL.open(storage).trials(studyID: 1, states: nil)[0]
    #expect(trial.params == ["x": .double(-5), "n": .int(1)])
    #expect(throws: (any Error).self) { try Catalogs.sampler("highest", seed: nil, space: nil) }
    #expect(Catalogs.samplers.nameList.hasSuffix("or lowest"))
  }

  /// Storage URL schemes and learning-rate schedules are catalogs too: an unknown scheme lists
  /// the URL forms of every row, a program adds a scheme with one row, and `hone train --help`
  /// lists the schedules.
  @Test func storageSchemesAndSchedules() throws {
    let hone = try CLIRunner()
    let r = try hone("study", "list", "--storage", "mysql://host/db")
    #expect(r.status != 0 && r.stderr.contains("unknown storage URL 'mysql://host/db'; use sqlite:///relative.db, sqlite:////absolute/path.db, postgresql://user:password@host:port/database, postgres://user:password@host:port/database, memory:"))
    let help = try hone.run(["train", "--help"]).stdout.split(separator: "\n").map { $0.trimmingCharacters(in: .whitespaces) }.joined(separator: " ")
    for name in Catalogs.schedules.names { #expect(help.contains(name), "train --help lacks \(name)") }
    #expect(help.contains(OptimizerSpec.catalog.nameList), "train --help lacks the optimizers")
    let adam = try hone("train", "--data", "digits", "--optimizer", "adam", "--momentum", "0.5", "--epochs", "1")
    #expect(adam.status == 64 && adam.stderr.contains("--momentum does not apply to adam, which takes --beta1, --beta2, --eps, --weight-decay"))
    let unknown = try hone("train", "--data", "digits", "--optimizer", "adagrad", "--epochs", "1")
    #expect(unknown.status == 64 && unknown.stderr.contains("unknown optimizer 'adagrad'; use sgd, adam, adamw"))
    #expect(throws: (any Error).self) { try Catalogs.schedule("linear", lr: 0.1, epochs: 3, stepsPerEpoch: 2) }
    let cosine = try Catalogs.schedule("cosine", lr: 0.1, epochs: 2, stepsPerEpoch: 5)
    #expect(cosine(0) == 0.1 && abs(cosine(10)) < 1e-12)
    Catalogs.register(storages: [StorageEntry("scratch", "scratch:") { _, _ in InMemoryStorage() }])
    #expect(try Catalogs.storage("scratch:") is InMemoryStorage)
  }
}
