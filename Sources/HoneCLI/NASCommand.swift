import ArgumentParser
import Foundation
import Hone

/// `hone nas`: architecture spaces and architecture search on tabular benchmarks.
struct NASCommand: ParsableCommand {
  static let configuration = CommandConfiguration(
    commandName: "nas", abstract: "Sample and describe architectures; search a tabular benchmark (architecture → metrics).",
    subcommands: [Sample.self, Describe.self, Search.self])

  /// The spaces by name, with the options that shape them.
  struct SpaceOptions: ParsableArguments {
    @Option(help: "cell (NAS-Bench-201), chain (an MLP chain) or grammar (an MLP grammar).") var space = "cell"
    @Option(parsing: .unconditional, help: "Input features of chain and grammar models.") var inputs = 64
    @Option(parsing: .unconditional, help: "Classes of chain and grammar models.") var classes = 10

    /// Runs `body` with the chosen space.
    func with<R>(_ body: (any ArchitectureSpace) throws -> R) throws -> R {
      switch space {
      case "cell": return try body(CellSpace())
      case "chain": return try body(ChainSpace(inputs: inputs, classes: classes))
      case "grammar": return try body(GrammarSpace(inputs: inputs, classes: classes))
      default: throw ValidationError("unknown space '\(space)'; use cell, chain or grammar")
      }
    }
  }

  /// `hone nas sample`: random architectures as JSON lines.
  struct Sample: ParsableCommand {
    static let configuration = CommandConfiguration(abstract: "Print random architectures of a space, one JSON line each.")
    @OptionGroup var options: SpaceOptions
    @Option(parsing: .unconditional, help: "How many.") var count = 1
    @Option(parsing: .unconditional, help: "Seed.") var seed: UInt64 = 0

    func run() throws {
      guard count >= 1 else { throw ValidationError("--count must be at least 1") }
      try options.with { space in NASCommand.samples(of: space, count: count, seed: seed).forEach(printJSON) }
    }
  }

  /// `hone nas describe`: one architecture's parameters and cost.
  struct Describe: ParsableCommand {
    static let configuration = CommandConfiguration(abstract: "Describe an architecture given as its string: parameters, cost.")
    @OptionGroup var options: SpaceOptions
    @Argument(help: "The architecture's string form.") var architecture: String

    func run() throws {
      try options.with { space in printJSON(try NASCommand.describe(architecture, in: space)) }
    }
  }

  /// `count` random architectures of `space`, described.
  static func samples<S: ArchitectureSpace>(of space: S, count: Int, seed: UInt64) -> [JSONValue] {
    var rng = SeededRNG(seed: seed)
    return (0..<count).map { _ in describe(space.sample(using: &rng), in: space) }
  }

  /// The architecture written as `text`, described.
  static func describe<S: ArchitectureSpace>(_ text: String, in space: S) throws -> JSONValue {
    describe(try space.parse(text), in: space)
  }

  /// An architecture's string, trial parameters and cost as JSON.
  static func describe<S: ArchitectureSpace>(_ a: S.Architecture, in space: S) -> JSONValue {
    let cost = space.cost(of: a)
    return .object(["architecture": .string(a.description), "params": .object(space.parameters(of: a).mapValues(\.json)),
                    "parameters": .int(cost.parameters), "multiply_accumulates": .int(cost.multiplyAccumulates)])
  }

  /// `hone nas search`: a search on a tabular benchmark of NAS-Bench-201 cells.
  struct Search: ParsableCommand {
    static let configuration = CommandConfiguration(
      abstract: "Search a table of NAS-Bench-201 cells (CSV: an arch column and metric columns) for the best value of one column.")
    @Option(help: "The CSV table.") var table: String
    @Option(help: "The column to maximize.") var objective = "cifar10_test_200ep"
    @Option(help: "\(NASMethod.allCases.map(\.rawValue).joined(separator: ", ")).") var method = NASMethod.predictor.rawValue
    @Option(parsing: .unconditional, help: "Distinct architectures to evaluate.") var queries = 100
    @Option(parsing: .unconditional, help: "Seed.") var seed: UInt64 = 0

    func run() throws {
      guard let chosen = NASMethod(rawValue: method) else {
        throw ValidationError("unknown method '\(method)'; use \(NASMethod.allCases.map(\.rawValue).joined(separator: ", "))")
      }
      guard queries >= 1 else { throw ValidationError("--queries must be at least 1") }
      guard FileManager.default.fileExists(atPath: table) else { throw ValidationError("--table \(table): no such file") }
      let values = try ArchitectureTable(contentsOf: URL(fileURLWithPath: table)).column(objective)
      let space = CellSpace()
      let run = try TabularSearch.run(space: space, sampler: chosen.sampler(space: space, seed: seed), directions: [.maximize],
                                      objectives: { values[$0.description].map { [$0] } }, queries: queries)
      guard let best = run.queried.max(by: { $0.values[0] < $1.values[0] }) else {
        throw CLIError("no architecture of the table came up in \(run.trials) trials; is it a table of NAS-Bench-201 cells?")
      }
      printJSON(.object(["method": .string(chosen.rawValue), "queries": .int(run.queried.count), "trials": .int(run.trials),
                         "best": .double(best.values[0]), "architecture": .string(best.architecture),
                         "table_best": .double(values.values.max()!)]))
    }
  }
}
