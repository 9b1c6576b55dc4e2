import Foundation
import HoneMath
import Testing
@testable import HoneTune

@Suite struct NSGAIITests {
  typealias Member = NSGAIISampler.Member

  /// Feasible members by Pareto fronts, then infeasible ones by violation (ties share a front).
  @Test func constraintDominationFronts() {
    let members = [Member(losses: [1, 3], violation: 0), Member(losses: [0, 0], violation: 2), Member(losses: [2, 2], violation: 0),
                   Member(losses: [3, 3], violation: 0), Member(losses: [0, 1], violation: 0.5), Member(losses: [5, 5], violation: 0.5)]
    #expect(NSGAIISampler.constrainedFronts(members) == [[0, 2], [3], [4, 5], [1]])
  }

  /// The elite keeps whole fronts, then the extremes of the split front (infinite crowding distance).
  @Test func eliteKeepsFrontsThenSpread() throws {
    let sampler = try NSGAIISampler(seed: 1, populationSize: 4)
    let members = [Member(losses: [0, 4], violation: 0), Member(losses: [4, 0], violation: 0), Member(losses: [1, 5], violation: 0),
                   Member(losses: [2, 2.5], violation: 0), Member(losses: [2.2, 2.4], violation: 0), Member(losses: [5, 1], violation: 0)]
    // Front 0 = {0, 1, 3, 4}: it fits exactly.
    #expect(Set(sampler.elite(Array(0..<6), members)) == [0, 1, 3, 4])
    let three = try NSGAIISampler(seed: 1, populationSize: 3)
    // Front 0 is split: the two extremes (∞) and then the larger finite crowding distance.
    let chosen = three.elite(Array(0..<6), members)
    #expect(Set(chosen).isSuperset(of: [0, 1]) && chosen.count == 3)
  }

  /// SBX stays in bounds with one child on each side of the parents' midpoint, and far from
  /// the bounds (where the truncation vanishes) keeps their mean; polynomial mutation stays
  /// in bounds and is centred on its input.
  @Test func operatorsRespectBounds() {
    var rng = SeededRNG(seed: 9)
    var shifts = 0.0
    for _ in 0..<2000 {
      let a = rng.nextDouble(), b = rng.nextDouble()
      let (c1, c2) = NSGAIISampler.simulatedBinaryCrossover(a, b, low: 0, high: 1, eta: 20, rng: &rng)
      #expect((0...1).contains(c1) && (0...1).contains(c2))
      #expect(min(c1, c2) <= (a + b) / 2 + 1e-12 && max(c1, c2) >= (a + b) / 2 - 1e-12)
      let (f1, f2) = NSGAIISampler.simulatedBinaryCrossover(a, b, low: -1e9, high: 1e9, eta: 20, rng: &rng)
      #expect(abs((f1 + f2) - (a + b)) < 1e-6)
      let m = NSGAIISampler.polynomialMutation(0.5, low: 0, high: 1, eta: 20, rng: &rng)
      #expect((0...1).contains(m))
      shifts += m - 0.5
    }
    #expect(abs(shifts / 2000) < 0.01)
  }

  func zdt1Hypervolume(_ sampler: any Sampler, trials: Int) throws -> Double {
    let study = try Study(name: "z", directions: [.minimize, .minimize], sampler: sampler, pruner: NopPruner())
    for _ in 0..<trials {
      let t = try study.ask()
      let x = try (0..<10).map { try t.suggestFloat("x\($0)", 0...1) }
      let g = 1 + 9 * x.dropFirst().reduce(0, +) / 9
      _ = try study.tell(t, values: [x[0], g * (1 - (x[0] / g).squareRoot())])
    }
    return hypervolume(try study.bestTrials.map { $0.values! }, reference: [1.1, 11])
  }

  /// On 10-variable ZDT1, ten generations of 20 beat random search with the same budget
  /// (three seeds each), and a seed reproduces its run.
  @Test func beatsRandomSearchAndIsReproducible() throws {
    var nsga = 0.0, random = 0.0
    for seed in 1...3 as ClosedRange<UInt64> {
      nsga += try zdt1Hypervolume(NSGAIISampler(seed: seed, populationSize: 20), trials: 200)
      random += try zdt1Hypervolume(RandomSampler(seed: seed), trials: 200)
    }
    #expect(nsga > random)
    #expect(try zdt1Hypervolume(NSGAIISampler(seed: 4, populationSize: 20), trials: 60)
            == zdt1Hypervolume(NSGAIISampler(seed: 4, populationSize: 20), trials: 60))
  }

  /// With a constraint, the later generations are feasible and `bestTrials` holds feasible trials only.
  @Test func constraintsSteerTheSearch() throws {
    let study = try Study(name: "c", directions: [.minimize, .minimize], sampler: NSGAIISampler(seed: 2, populationSize: 10), pruner: NopPruner())
    var lateFeasible = 0
    for n in 0..<100 {
      let t = try study.ask()
      let x = try t.suggestFloat("x", 0...1), y = try t.suggestFloat("y", 0...1)
      try t.setConstraints([0.4 - x])  // feasible when x ≥ 0.4
      if n >= 70, x >= 0.4 { lateFeasible += 1 }
      _ = try study.tell(t, values: [x, y + (1 - x)])
    }
    #expect(lateFeasible >= 25)
    #expect(try study.bestTrials.allSatisfy { $0.isFeasible } && !study.bestTrials.isEmpty)
  }
}
