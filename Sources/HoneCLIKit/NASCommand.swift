import ArgumentParser
import Foundation
import Hone

/// `hone nas`: architecture spaces and architecture search on tabular benchmarks.
struct NASCommand: AsyncParsableCommand {
  static let configuration = CommandConfiguration(
    commandName: "nas", abstract: "Sample and describe architectures; search a tabular benchmark (architecture → metrics).",
    subcommands: [Sample.self, Describe.self, Search.self, Darts.self, Train.self, LatencyCommand.self])

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

  /// `hone nas search`: a search on a tabular benchmark — NAS-Bench-201 cells (an `arch`
  /// column), or any table whose parameter columns describe a configuration — for one
  /// objective or several.
  struct Search: ParsableCommand {
    static let configuration = CommandConfiguration(
      abstract: "Search a table (parameter columns → metric columns) for the best value of one column, or the Pareto front of several.",
      discussion: """
        A table with an 'arch' column is searched as NAS-Bench-201 cells; any other table needs \
        --parameter for each column that describes a configuration (each becomes a categorical of \
        its values). For cells, the objectives latency (seconds, FBNet's lookup table measured on \
        this machine), parameters and multiply_accumulates are computed from each cell's network \
        (--image, --channels, --cells) when the table has no such column. With several \
        --objective columns, give a --direction for each; the result is the Pareto front found, \
        with its hypervolume beside the table's.
        """)
    @Option(help: "The CSV table.") var table: String
    @Option(help: "A column to optimize; repeat for several objectives (default cifar10_test_200ep).") var objective: [String] = []
    @Option(help: "maximize (default) or minimize, one per --objective.") var direction: [String] = []
    @Option(help: "A column that describes a configuration; repeat (tables without an 'arch' column).") var parameter: [String] = []
    @Option(help: "\(NASMethod.allCases.map(\.rawValue).joined(separator: ", ")).") var method = NASMethod.predictor.rawValue
    @Option(parsing: .unconditional, help: "Distinct configurations to evaluate.") var queries = 100
    @Option(parsing: .unconditional, help: "Seed.") var seed: UInt64 = 0
    @OptionGroup(title: "Computed objectives of cells (latency, parameters, multiply_accumulates)") var network: CellNetworkOptions
    @Option(parsing: .unconditional, help: "Examples per forward pass of the latency objective.") var latencyBatch = 1

    func run() throws {
      guard let chosen = NASMethod(rawValue: method) else {
        throw ValidationError("unknown method '\(method)'; use \(NASMethod.allCases.map(\.rawValue).joined(separator: ", "))")
      }
      guard queries >= 1 else { throw ValidationError("--queries must be at least 1") }
      guard FileManager.default.fileExists(atPath: table) else { throw ValidationError("--table \(table): no such file") }
      let objectives = objective.isEmpty ? ["cifar10_test_200ep"] : objective
      guard direction.isEmpty || direction.count == objectives.count else {
        throw ValidationError("give one --direction per --objective (\(objectives.count)), or none for maximize")
      }
      let directions = try direction.isEmpty ? Array(repeating: .maximize, count: objectives.count) : parseDirections(direction)
      let url = URL(fileURLWithPath: table)
      let header = (try? String(contentsOf: url, encoding: .utf8))?.prefix { $0 != "\n" && $0 != "\r" }.split(separator: ",").map(String.init) ?? []
      if parameter.isEmpty, header.contains("arch") {
        let cells = try ArchitectureTable(contentsOf: url)
        var options = network
        if options.image == nil { options.image = "3x32x32" }
        let shape = try options.shape(features: -1, classes: 10)
        let latencies = objectives.contains("latency") && cells.columns["latency"] == nil
          ? try LatencyTable(shape: shape, operations: CellOperation.nasBench201, batch: latencyBatch) : nil
        let architectures = Set(cells.columns.values.flatMap(\.keys))
        let columns = try objectives.map { name in
          cells.columns[name] == nil && CellCostColumns.names.contains(name)
            ? try CellCostColumns.column(name, cells: architectures, shape: shape, latencies: latencies) : try cells.column(name)
        }
        let rows = Dictionary(uniqueKeysWithValues: columns[0].keys.compactMap { arch -> (String, [Double])? in
          let values = columns.compactMap { $0[arch] }
          return values.count == columns.count ? (arch, values) : nil
        })
        let space = CellSpace()
        try report(space: space, sampler: chosen.sampler(space: space, seed: seed), directions: directions,
                   rows: rows, key: \.description, hint: "is it a table of NAS-Bench-201 cells?")
      } else {
        if let computed = objectives.first(where: { CellCostColumns.names.contains($0) && !header.contains($0) }) {
          throw ValidationError("--objective \(computed) is computed from the models of a table of cells (an 'arch' column); this table has no models to measure")
        }
        guard !parameter.isEmpty else {
          throw ValidationError("the table has no 'arch' column: name its configuration columns with --parameter (repeat it)")
        }
        let grid = try ParameterTable(contentsOf: url, metrics: objectives, parameters: parameter)
        let rows = Dictionary(uniqueKeysWithValues: grid.rows.map { ($0.key.description, $0.value) })
        try report(space: grid.space, sampler: chosen.sampler(space: grid.space, seed: seed), directions: directions,
                   rows: rows, key: \.description, hint: "do its --parameter columns describe the rows?")
      }
    }

    /// Runs the search and prints the result: for one objective, the best found beside the
    /// table's best; for several, the Pareto front found and its hypervolume beside the
    /// table's (reference point: each objective's worst value in the table).
    private func report<S: ArchitectureSpace>(space: S, sampler: any Sampler, directions: [StudyDirection], rows: [String: [Double]],
                                              key: (S.Architecture) -> String, hint: String) throws {
      let run = try TabularSearch.run(space: space, sampler: sampler, directions: directions, objectives: { rows[key($0)] },
                                      queries: queries)
      guard !run.queried.isEmpty else { throw CLIError("no configuration of the table came up in \(run.trials) trials; \(hint)") }
      func losses(_ values: [Double]) -> [Double] { zip(values, directions).map { $1 == .maximize ? -$0 : $0 } }
      var result: [String: JSONValue] = ["method": .string(method), "queries": .int(run.queried.count), "trials": .int(run.trials)]
      if directions.count == 1 {
        let best = run.queried.min { losses($0.values)[0] < losses($1.values)[0] }!
        let tableBest = rows.values.min { losses($0)[0] < losses($1)[0] }!
        result["best"] = .double(best.values[0])
        result["architecture"] = .string(best.architecture)
        result["table_best"] = .double(tableBest[0])
      } else {
        let all = rows.values.map(losses)
        let reference = (0..<directions.count).map { k in all.map { $0[k] }.max()! }
        let found = run.queried.map { losses($0.values) }
        let front = paretoFrontIndices(found)
        result["front"] = .array(front.map { k in
          .object(["architecture": .string(run.queried[k].architecture), "values": .array(run.queried[k].values.map(JSONValue.double))])
        })
        result["hypervolume"] = .double(hypervolume(front.map { found[$0] }, reference: reference))
        result["table_hypervolume"] = .double(hypervolume(paretoFrontIndices(all).map { all[$0] }, reference: reference))
      }
      printJSON(.object(result))
    }
  }
}
