import Foundation
import HoneBayes
import HoneBayesNN
import HoneMath
import HoneTune
import Testing

/// The GP sampler with each surrogate: it optimizes, it keeps batches apart by fantasies, it
/// refuses what a surrogate cannot do, and the catalog names every surrogate.
@Suite struct GPSamplerSurrogateTests {
  static let light = AcquisitionOptimizer(rawSamples: 256, restarts: 3, maxIterations: 20)
  static let space: [String: Distribution] = ["x": .float(low: -2, high: 2), "y": .float(low: -2, high: 2)]

  static func loss(_ p: [String: ParamValue]) -> Double {
    let x = p["x"]!.doubleValue!, y = p["y"]!.doubleValue!
    return (x - 0.5) * (x - 0.5) + 2 * (y + 0.3) * (y + 0.3)
  }

  @Test(arguments: SurrogateTests.fitters.indices)
  func everySurrogateFindsTheMinimumOfAQuadratic(_ index: Int) throws {
    let fitter = SurrogateTests.fitters[index]
    let sampler = try GPSampler(seed: 1, startupTrials: 6, optimizer: Self.light, surrogate: fitter)
    let study = try Study(name: "s", sampler: sampler, pruner: NopPruner())
    var best = Double.infinity
    for _ in 0..<22 {
      let trial = try study.ask(Self.space)
      let value = Self.loss(trial.params)
      best = min(best, value)
      try study.tell(trial, value)
    }
    // Random search's median best after 22 draws on this quadratic is about 0.15.
    #expect(best < 0.1, "\(fitter.name): best \(best)")
  }

  @Test(arguments: SurrogateTests.fitters.indices)
  func aBatchOfAsksGetsDistinctPoints(_ index: Int) throws {
    let fitter = SurrogateTests.fitters[index]
    let space: [String: Distribution] = ["a": .int(low: 0, high: 6), "b": .int(low: 0, high: 6)]
    let study = try Study(name: "s", sampler: GPSampler(seed: 2, startupTrials: 6, optimizer: Self.light, surrogate: fitter), pruner: NopPruner())
    for _ in 0..<8 {
      let t = try study.ask(space)
      try study.tell(t, pow(t.params["a"]!.doubleValue! - 3, 2) + pow(t.params["b"]!.doubleValue! - 2, 2))
    }
    let told = Set(try study.trials.map { "\($0.params["a"]!)|\($0.params["b"]!)" })
    let pending = try (0..<4).map { _ in try study.ask(space).params }.map { "\($0["a"]!)|\($0["b"]!)" }
    #expect(Set(pending).count == 4 && told.isDisjoint(with: pending), "\(fitter.name): \(pending)")
  }

  @Test func theSameDataGiveTheSameSuggestionInAnotherProcess() throws {
    // A fresh sampler (another process) fits the same model: the seed comes from the data.
    func suggestions(_ sampler: GPSampler) throws -> [[String: ParamValue]] {
      let study = try Study(name: "s", sampler: sampler, pruner: NopPruner())
      return try (0..<10).map { _ in
        let t = try study.ask(Self.space)
        try study.tell(t, Self.loss(t.params))
        return t.params
      }
    }
    let fitter = DeepEnsembleSurrogate(members: 3, hidden: [8], steps: 100)
    let a = try suggestions(GPSampler(seed: 9, startupTrials: 6, optimizer: Self.light, surrogate: fitter))
    let b = try suggestions(GPSampler(seed: 9, startupTrials: 6, optimizer: Self.light, surrogate: fitter))
    #expect(a == b)
  }

  @Test func theKnowledgeGradientNeedsTheMaternSurrogate() throws {
    #expect(throws: TuneError.self) { try GPSampler(acquisition: .knowledgeGradient, surrogate: InfiniteWidthSurrogate()) }
    #expect(throws: CatalogError.badValue("the knowledge gradient needs the matern surrogate, not hmc")) {
      try TuneSamplers.entries.first { $0.name == "gp" }!.make(SamplerContext(surrogates: NetworkSurrogates.catalog),
                                                            CatalogSettings(["acquisition": "kg", "surrogate": "hmc"]))
    }
  }

  @Test func theCatalogNamesEverySurrogate() throws {
    #expect(NetworkSurrogates.catalog.names == ["matern", "infinite-width", "dkl", "hmc", "ensemble", "laplace"])
    for name in NetworkSurrogates.catalog.names {
      #expect(try NetworkSurrogates.catalog.make(name, SurrogateContext()).name == name)
    }
    // Without HoneBayesNN's rows the network names are unknown, with one clear message.
    #expect(throws: CatalogError.unknownName("unknown surrogate 'hmc'; use matern or infinite-width")) {
      try TuneSamplers.entries.first { $0.name == "gp" }!.make(SamplerContext(), CatalogSettings(["surrogate": "hmc"]))
    }
  }
}
