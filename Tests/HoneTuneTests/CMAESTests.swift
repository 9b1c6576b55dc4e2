import Foundation
import HoneMath
import Testing
@testable import HoneTune

func sphere(_ x: [Double]) -> Double { x.reduce(0) { $0 + $1 * $1 } }
func rosenbrock(_ x: [Double]) -> Double {
  var total = 0.0
  for i in 0..<(x.count - 1) {
    let a = x[i + 1] - x[i] * x[i], b = 1 - x[i]
    total += 100 * a * a + b * b
  }
  return total
}

/// Runs a search until the best value reaches `target` or `budget` evaluations pass; returns (best, evaluations).
func minimize(_ f: ([Double]) -> Double, search: inout CMAESSearch, seed: UInt64, target: Double, budget: Int) throws -> (Double, Int) {
  var best = Double.infinity, evaluations = 0
  var rng = SeededRNG(seed: seed)
  while evaluations < budget {
    let points = (0..<search.current.populationSize).map { _ in search.ask(rng: &rng) }
    let solutions = points.map { (x: $0, value: f($0)) }
    evaluations += solutions.count
    best = min(best, solutions.map(\.value).min()!)
    if best <= target { break }
    try search.tell(solutions, rng: &rng)
  }
  return (best, evaluations)
}

@Suite struct CMAESTests {
  @Test(arguments: ["sphere", "rosenbrock"])
  func solvesTenDimensionsTo1e8(function: String) throws {
    let f = function == "sphere" ? sphere : rosenbrock
    var search = try CMAESSearch(mean: [Double](repeating: 3, count: 10), sigma: 10.0 / 6,
                                 bounds: [ClosedRange<Double>](repeating: -5...5, count: 10))
    let (best, evaluations) = try minimize(f, search: &search, seed: 1, target: 1e-8, budget: 20_000)
    #expect(best <= 1e-8, "\(function): best \(best) after \(evaluations) evaluations")
  }

  @Test func defaultConstantsFollowTheTutorial() throws {
    let cma = try CMAES(mean: [Double](repeating: 0, count: 10), sigma: 1)
    #expect(cma.populationSize == 10 && cma.parentCount == 5)
    // Positive weights sum to 1 and decrease; the negative ones sum to −α_min.
    #expect(abs(cma.weights.prefix(5).reduce(0, +) - 1) < 1e-12)
    #expect(cma.weights.prefix(5).elementsEqual(cma.weights.prefix(5).sorted(by: >)))
    #expect(cma.weights.suffix(5).allSatisfy { $0 <= 0 })
    #expect(abs(cma.mueff - 3.1672992882) < 1e-8)  // (Σw′)²/Σw′² over the best 5 of λ = 10
  }

  /// An IPOP restart doubles λ and restarts inside the bounds; BIPOP alternates regimes.
  @Test func restartsGrowThePopulation() throws {
    var search = try CMAESSearch(mean: [0.5, 0.5], sigma: 0.3, bounds: [0...1, 0...1], strategy: .ipop)
    let lambda = search.current.populationSize
    // A constant function meets tolfun after 10 + ⌈30n/λ⌉ generations.
    _ = try minimize({ _ in 1 }, search: &search, seed: 3, target: -1, budget: 2000)
    #expect(search.restarts >= 1)
    #expect(search.current.populationSize == lambda << search.restarts)
    var bipop = try CMAESSearch(mean: [0.5, 0.5], sigma: 0.3, bounds: [0...1, 0...1], strategy: .bipop)
    _ = try minimize({ _ in 1 }, search: &bipop, seed: 3, target: -1, budget: 4000)
    #expect(bipop.restarts >= 2)
  }

  /// Through a study: reproducible under a seed, and a 3-D sphere gets close to 0.
  @Test func samplerSearchesThroughStorage() throws {
    func run(seed: UInt64, trials: Int) throws -> (best: Double, params: [[String: ParamValue]]) {
      let space: [String: Distribution] = ["x": .float(low: -5, high: 5), "y": .float(low: -5, high: 5), "z": .float(low: -5, high: 5)]
      let study = try Study(name: "c", sampler: CMAESSampler(seed: seed, searchSpace: space), pruner: NopPruner())
      var best = Double.infinity, params: [[String: ParamValue]] = []
      for _ in 0..<trials {
        let t = try study.ask(space)
        let value = sphere(["x", "y", "z"].map { t.params[$0]!.doubleValue! })
        best = min(best, value)
        params.append(t.params)
        try study.tell(t, value)
      }
      return (best, params)
    }
    let a = try run(seed: 4, trials: 300)
    #expect(a.best < 1e-6)
    let again = try run(seed: 4, trials: 60).params, other = try run(seed: 5, trials: 60).params
    #expect(Array(a.params.prefix(60)) == again)
    #expect(again != other)
  }

  /// With the margin, an integer parameter keeps moving and reaches its optimum; the mixed
  /// problem is solved exactly in the integer.
  @Test func marginFindsIntegerOptimum() throws {
    let space: [String: Distribution] = ["x": .float(low: -3, high: 3), "k": .int(low: 0, high: 40), "s": .float(low: 0, high: 1, step: 0.1)]
    let study = try Study(name: "m", sampler: CMAESSampler(seed: 2, searchSpace: space), pruner: NopPruner())
    for _ in 0..<400 {
      let t = try study.ask(space)
      let x = t.params["x"]!.doubleValue!, k = t.params["k"]!.doubleValue!, s = t.params["s"]!.doubleValue!
      try study.tell(t, pow(x - 0.3, 2) + pow(k - 27, 2) + pow(s - 0.7, 2))
    }
    let best = try study.bestTrial
    #expect(best.params["k"] == .int(27))
    #expect(best.params["s"] == .double(0.7) || abs(best.params["s"]!.doubleValue! - 0.7) < 1e-9)
    #expect(best.value! < 1e-3)
  }

  @Test func refusesSeveralObjectives() throws {
    // Refused before the study is created: nothing is written.
    let storage = InMemoryStorage()
    #expect(throws: TuneError.self) {
      _ = try Study(name: "mo", storage: storage, directions: [.minimize, .minimize], sampler: CMAESSampler(seed: 1), pruner: NopPruner())
    }
    #expect(try storage.studies().isEmpty)
    #expect(throws: TuneError.self) {
      _ = try Study(name: "mp", directions: [.minimize, .minimize], sampler: RandomSampler(), pruner: MedianPruner())
    }
    #expect(throws: TuneError.self) { try CMAESSampler(sigma0: 0) }
    let space: [String: Distribution] = ["a": .float(low: 0, high: 1)]
    let outside = try Study(name: "x0", sampler: CMAESSampler(seed: 1, initialParams: ["a": .double(7)], searchSpace: space), pruner: NopPruner())
    #expect(throws: TuneError.self) { _ = try outside.ask(space) }
  }
}
