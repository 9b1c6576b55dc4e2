import Foundation
import Testing
import Hone
@testable import HoneCLIKit

/// Every sampler of the catalog, against the same properties (as every storage runs
/// `StorageConformanceTests`): values inside their distributions, the same sequence from a
/// sampler kept in memory and from one rebuilt for each ask over SQLite (its state survives
/// the backend, as across processes), empty and single-point spaces, conditional spaces,
/// running trials, and several objectives where it accepts them.
@Suite struct SamplerConformanceTests {
  static let samplers = Catalog(kind: "sampler", TuneSamplers.entries, NASSamplers.entries)

  static let mixed: [String: Distribution] = [
    "x": .float(low: -2, high: 2, log: false, step: nil), "lr": .float(low: 1e-4, high: 1, log: true, step: nil),
    "q": .float(low: 0, high: 1, log: false, step: 0.25), "n": .int(low: 1, high: 8, log: false, step: 1),
    "m": .int(low: 1, high: 64, log: true, step: 1), "c": .categorical([.string("a"), .string("b"), .string("c")]),
  ]

  /// The mixed space, less what the sampler cannot take (the grid: continuous ranges).
  static func space(for name: String) -> [String: Distribution] {
    name == "grid" ? mixed.filter { $0.value.valueCount != nil } : mixed
  }

  /// A deterministic objective of every kind of value.
  static func loss(_ params: [String: ParamValue], _ space: [String: Distribution]) -> Double {
    space.keys.sorted().reduce(0.0) { sum, name in
      guard let value = params[name], let x = try? space[name]!.internalValue(of: value) else { return sum }
      return sum + (x - 0.3) * (x - 0.3)
    }
  }

  func make(_ name: String, seed: UInt64 = 7, _ space: [String: Distribution]) throws -> any Sampler {
    try Self.samplers.make(name, SamplerContext(seed: seed, space: ConditionalSpace(space)))
  }

  /// 14 trials (past every start-up of 10): each value inside its distribution; the same
  /// sequence when the sampler is rebuilt and the study reloaded from SQLite for each ask.
  @Test(arguments: samplers.names)
  func valuesAndReproducibilityThroughStorage(name: String) throws {
    let space = Self.space(for: name)
    let memory = try Study(name: "m", sampler: make(name, space), pruner: NopPruner())
    var kept: [[String: ParamValue]] = []
    for _ in 0..<14 {
      let t = try memory.ask(space)
      for (param, value) in t.params { #expect(space[param]!.contains(value), "\(name): \(param) = \(value)") }
      #expect(Set(t.params.keys) == Set(space.keys))
      kept.append(t.params)
      try memory.tell(t, Self.loss(t.params, space))
    }
    let path = FileManager.default.temporaryDirectory.appendingPathComponent("conformance-\(name)-\(UUID().uuidString).db").path
    defer { for suffix in ["", "-wal", "-shm"] { try? FileManager.default.removeItem(atPath: path + suffix) } }
    _ = try Study(name: "s", storage: SQLiteStorage(path: path), sampler: make(name, space), pruner: NopPruner())
    var rebuilt: [[String: ParamValue]] = []
    for _ in 0..<14 {
      let study = try Study.load(name: "s", storage: SQLiteStorage(path: path), sampler: make(name, space), pruner: NopPruner())
      let t = try study.ask(space)
      rebuilt.append(t.params)
      try study.tell(t, Self.loss(t.params, space))
    }
    #expect(rebuilt == kept, "\(name): the sampler's sequence depends on what it keeps in memory")
  }

  /// An empty space gives a trial without parameters; a single-point space gives the point.
  @Test(arguments: samplers.names)
  func emptyAndSinglePointSpaces(name: String) throws {
    let point: [String: Distribution] = ["f": .float(low: 0.5, high: 0.5, log: false, step: nil), "i": .int(low: 3, high: 3, log: false, step: 1),
                                         "k": .categorical([.string("only")])]
    guard let sampler = try? make(name, point) else {
      // Only samplers that need a space they can search may refuse one of single points.
      #expect(["rea", "predictor", "cmaes"].contains(name), "\(name) refused a single-point space")
      return
    }
    let study = try Study(name: "p", sampler: sampler, pruner: NopPruner())
    for _ in 0..<12 {
      let t = try study.ask(point)
      #expect(t.params == ["f": .double(0.5), "i": .int(3), "k": .string("only")], "\(name): \(t.params)")
      try study.tell(t, 1)
    }
    if name != "grid" {  // a grid of one point is exhausted after it
      let empty = try Study(name: "e", sampler: make(name, Self.mixed), pruner: NopPruner())
      for _ in 0..<3 {
        let t = try empty.ask()
        #expect(t.params.isEmpty)
        try empty.tell(t, 1)
      }
    }
  }

  /// A parameter exists exactly when its condition holds, inside its distribution; asks while
  /// other trials run (parallel workers) give valid trials. The grid refuses a conditional
  /// space in one clear line.
  @Test(arguments: samplers.names)
  func conditionalSpacesAndRunningTrials(name: String) throws {
    let space = try ConditionalSpace(json: """
      {"opt": {"type": "categorical", "choices": ["sgd", "adam"]}, "lr": {"type": "float", "low": 0.001, "high": 1, "log": true},
       "momentum": {"type": "float", "low": 0, "high": 1, "when": {"opt": "sgd"}},
       "beta": {"type": "float", "low": 0.8, "high": 0.99, "when": {"opt": "adam"}}}
      """)
    let sampler: any Sampler
    do {
      sampler = try Self.samplers.make(name, SamplerContext(seed: 3, space: space))
    } catch let error as CatalogError {
      #expect(name == "grid" && error.description.contains("without \"when\" conditions"))
      return
    }
    let study = try Study(name: "c", sampler: sampler, pruner: NopPruner())
    for round in 0..<5 {
      let running = try (0..<3).map { _ in try study.ask(space) }  // three workers at once
      for t in running {
        let sgd = t.params["opt"] == .string("sgd")
        #expect((t.params["momentum"] != nil) == sgd && (t.params["beta"] != nil) == !sgd, "\(name): \(t.params)")
        for (param, value) in t.params { #expect(space.distributions[param]!.contains(value)) }
        try study.tell(t, Self.loss(t.params, space.distributions) + Double(round))
      }
    }
  }

  /// A sampler that accepts two objectives gives valid trials for them; one that does not
  /// refuses before any trial exists.
  @Test(arguments: samplers.names)
  func severalObjectivesWhereClaimed(name: String) throws {
    let space = Self.space(for: name)
    let sampler = try make(name, space)
    let storage = InMemoryStorage()
    do {
      try sampler.checkDirections([.minimize, .maximize])
    } catch {
      #expect(throws: (any Error).self) { try Study(name: "two", storage: storage, directions: [.minimize, .maximize], sampler: sampler, pruner: NopPruner()) }
      #expect(try storage.studies().allSatisfy { $0.trialCounts.values.reduce(0, +) == 0 })
      return
    }
    let study = try Study(name: "two", storage: storage, directions: [.minimize, .maximize], sampler: sampler, pruner: NopPruner())
    for _ in 0..<12 {
      let t = try study.ask(space)
      for (param, value) in t.params { #expect(space[param]!.contains(value)) }
      let loss = Self.loss(t.params, space)
      try study.tell(t, values: [loss, -loss * 0.5 + Double(t.number % 3)])
    }
    #expect(!(try study.bestTrials).isEmpty)
  }
}
