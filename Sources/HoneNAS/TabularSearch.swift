import Foundation
import HoneMath
import HoneTune

/// A tabular architecture benchmark: one row per architecture (its canonical string in the
/// `arch` column) and numeric metric columns, e.g. NAS-Bench-201's accuracies. Searching it
/// costs a table lookup per query, so search methods can be compared without training.
public struct ArchitectureTable: Sendable {
  /// The metric columns by name, each a map from architecture string to value.
  public let columns: [String: [String: Double]]

  /// Reads a CSV file with a header; `architectureColumn` names the architecture column.
  public init(contentsOf url: URL, architectureColumn: String = "arch") throws {
    guard let text = try? String(contentsOf: url, encoding: .utf8) else { throw NASError("cannot read \(url.path)") }
    var lines = text.split(separator: "\n", omittingEmptySubsequences: false).map { $0.hasSuffix("\r") ? $0.dropLast() : $0 }
      .makeIterator()
    guard let header = lines.next()?.split(separator: ",").map(String.init), let archIndex = header.firstIndex(of: architectureColumn) else {
      throw NASError("\(url.path) has no '\(architectureColumn)' column in its header")
    }
    guard Set(header).count == header.count else { throw NASError("\(url.path) repeats a column name in its header") }
    var columns = [String: [String: Double]](uniqueKeysWithValues: header.enumerated().filter { $0.offset != archIndex }.map { ($0.element, [:]) })
    var row = 1
    while let line = lines.next() {
      row += 1
      if line.isEmpty { continue }
      let fields = line.split(separator: ",", omittingEmptySubsequences: false).map(String.init)
      guard fields.count == header.count else { throw NASError("\(url.path) line \(row): \(fields.count) fields, the header has \(header.count)") }
      for (k, name) in header.enumerated() where k != archIndex {
        guard let value = Double(fields[k]) else { throw NASError("\(url.path) line \(row): '\(fields[k])' in \(name) is not a number") }
        columns[name]![fields[archIndex]] = value
      }
    }
    self.columns = columns
  }

  /// One metric column; throws with the column names when it does not exist.
  public func column(_ name: String) throws -> [String: Double] {
    guard let column = columns[name] else { throw NASError("no column '\(name)'; the table has \(columns.keys.sorted().joined(separator: ", "))") }
    return column
  }
}

/// The search methods `hone nas` and the NAS benchmark compare, by name.
public enum NASMethod: String, CaseIterable, Sendable {
  /// Uniform random architectures.
  case random
  /// `RegularizedEvolution`.
  case rea
  /// `PredictorGuidedSampler`.
  case predictor
  /// `GPSampler` on the space's parameters.
  case gp
  /// `TPESampler` on the space's parameters.
  case tpe
  /// `NSGAIISampler` (Deb et al. 2002) on the space's parameters, populations of 10.
  case nsga2

  /// The sampler of this method for `space`.
  public func sampler<Space: ArchitectureSpace>(space: Space, seed: UInt64) throws -> any Sampler {
    switch self {
    case .random: return RandomSampler(seed: seed)
    case .rea: return try RegularizedEvolution(space: space, seed: seed)
    case .predictor: return try PredictorGuidedSampler(space: space, seed: seed)
    case .gp: return try GPSampler(seed: seed)
    case .tpe: return try TPESampler(seed: seed)
    case .nsga2: return try NSGAIISampler(seed: seed, populationSize: 10)
    }
  }
}

/// Runs a search on a table: each trial suggests an architecture of `space` and looks up its
/// objective values; a query is one distinct architecture (a repeated one is answered again
/// but not counted); the run stops after `queries` queries or `maxTrials` trials.
public enum TabularSearch {
  /// The result of one run.
  public struct Run: Sendable {
    /// The distinct architectures in the order they were first evaluated, with their values.
    public var queried: [(architecture: String, values: [Double])]
    /// Trials run (repeats included).
    public var trials: Int

    /// The best value of objective 0 among the first `count` queries (maximizing).
    public func best(after count: Int) -> Double { queried.prefix(count).map { $0.values[0] }.max() ?? -.infinity }
  }

  /// One run; `objectives` map an architecture to each objective's value (nil: not in the table).
  public static func run<Space: ArchitectureSpace>(space: Space, sampler: any Sampler, directions: [StudyDirection],
                                                   objectives: (Space.Architecture) -> [Double]?,
                                                   queries: Int, maxTrials: Int? = nil) throws -> Run {
    let study = try Study(name: "tabular", directions: directions, sampler: sampler)
    var seen = Set<String>()
    var result = Run(queried: [], trials: 0)
    while result.queried.count < queries, result.trials < (maxTrials ?? 20 * queries) {
      result.trials += 1
      let trial = try study.ask()
      let architecture = try trial.suggestArchitecture(in: space)
      guard let values = objectives(architecture) else {
        _ = try study.tell(trial, state: .failed, failReason: "\(architecture) is not in the table")
        continue
      }
      if seen.insert(architecture.description).inserted { result.queried.append((architecture.description, values)) }
      _ = try study.tell(trial, values: values)
    }
    return result
  }
}
