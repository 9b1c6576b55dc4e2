import HoneMath
import HoneTune
import Testing
@testable import HoneNAS

/// The architecture samplers on a synthetic cell objective: the number of 3×3 convolutions
/// plus a bonus for a skip connection into the output (optimum 6 conv3x3 is beaten by 5 plus
/// the skip: 5 + 1.5 = 6.5).
@Suite struct ArchitectureSamplerTests {
  static func score(_ cell: CellSpace.Cell) -> Double {
    Double(cell.operations.filter { $0 == 3 }.count) + (cell.operations[5] == 1 ? 1.5 : 0)
  }

  func run(_ sampler: any Sampler, trials: Int) async throws -> (best: Double, distinct: Int) {
    let space = CellSpace()
    let study = try Study(name: "cells", direction: .maximize, sampler: sampler)
    try await study.optimize(trials: trials) { trial in Self.score(try trial.suggestArchitecture(in: space)) }
    let all = try study.trials
    let distinct = Set(all.map { try! space.architecture(from: $0.params) }).count
    return (try study.bestTrial.value!, distinct)
  }

  @Test func regularizedEvolutionBeatsRandomWithoutRepeats() async throws {
    var evolution: [Double] = [], random: [Double] = []
    for seed in 0..<5 as Range<UInt64> {
      let result = try await run(RegularizedEvolution(space: CellSpace(), populationSize: 10, sampleSize: 3, seed: seed), trials: 150)
      #expect(result.distinct == 150, "no architecture is proposed twice")
      evolution.append(result.best)
      random.append(try await run(RandomSampler(seed: seed), trials: 150).best)
    }
    #expect(evolution.reduce(0, +) > random.reduce(0, +) + 3, "rea \(evolution), random \(random)")
    #expect(evolution.allSatisfy { $0 >= 5.5 }, "\(evolution)")
  }

  @Test func predictorGuidedSearchBeatsRandom() async throws {
    var predictor: [Double] = [], random: [Double] = []
    for seed in 0..<3 as Range<UInt64> {
      predictor.append(try await run(PredictorGuidedSampler(space: CellSpace(), offspring: 30, seed: seed), trials: 40).best)
      random.append(try await run(RandomSampler(seed: seed), trials: 40).best)
    }
    #expect(predictor.allSatisfy { $0 >= 5.5 }, "\(predictor)")
    #expect(predictor.reduce(0, +) > random.reduce(0, +) + 3, "predictor \(predictor), random \(random)")
  }

  @Test func predictorRestartsFromALocalOptimumAndClimbsFromThere() throws {
    let space = CellSpace()
    let study = try Study(name: "ils", direction: .maximize, sampler: try PredictorGuidedSampler(space: space, offspring: 30, seed: 3))
    func add(_ cell: CellSpace.Cell, _ value: Double) throws {
      _ = try study.addTrial(TrialTemplate(state: .complete, params: space.parameters(of: cell), distributions: space.distributions,
                                           values: [value]))
    }
    // A local optimum (value 10) with every one of its 24 neighbours evaluated (all worse).
    let optimum = CellSpace.Cell(operations: [3, 3, 3, 3, 3, 0])
    let neighbours = (0..<6).flatMap { edge in (0..<5).filter { $0 != optimum.operations[edge] }.map { op in
      var cell = optimum
      cell.operations[edge] = op
      return cell
    } }
    #expect(neighbours.count == 24)
    for cell in neighbours { try add(cell, Self.score(cell)) }
    try add(optimum, 10)
    let restart = try study.ask()
    let restartCell = try restart.suggestArchitecture(in: space)
    #expect(try study.storage.trial(id: restart.id).state(PredictorGuidedSampler<CellSpace>.restartState) == true)
    #expect(zip(restartCell.operations, optimum.operations).filter { $0 != $1 }.count >= 2, "a restart leaves the neighbourhood")
    try study.tell(restart, 1)
    // The search climbs from the restart point, though the old optimum is still the best.
    let next = try study.ask()
    let nextCell = try next.suggestArchitecture(in: space)
    #expect(zip(nextCell.operations, restartCell.operations).filter { $0 != $1 }.count == 1)
    #expect(try study.storage.trial(id: next.id).systemAttrs[PredictorGuidedSampler<CellSpace>.restartKey] == nil)
  }

  @Test func samplersAreReproducible() async throws {
    for make in [{ try RegularizedEvolution(space: CellSpace(), populationSize: 5, sampleSize: 2, seed: 11) as any Sampler },
                 { try PredictorGuidedSampler(space: CellSpace(), offspring: 20, seed: 11) as any Sampler }] {
      var runs: [[[String: ParamValue]]] = []
      for _ in 0..<2 {
        let study = try Study(name: "r", direction: .maximize, sampler: try make())
        try await study.optimize(trials: 20) { trial in Self.score(try trial.suggestArchitecture(in: CellSpace())) }
        runs.append(try study.trials.map(\.params))
      }
      #expect(runs[0] == runs[1])
    }
  }

  @Test func predictorSearchesTwoObjectives() async throws {
    // Maximize the score, minimize the parameters: the front trades convolutions for size.
    let space = CellSpace()
    func front(_ sampler: any Sampler) async throws -> Double {
      let study = try Study(name: "mo", directions: [.maximize, .minimize], sampler: sampler)
      try await study.optimize(trials: 40, values: { trial in
        let cell = try trial.suggestArchitecture(in: space)
        return [Self.score(cell), Double(space.cost(of: cell).parameters)]
      })
      return hypervolume(try study.bestTrials.map { [-$0.values![0], $0.values![1]] }, reference: [0.5, 15_000])
    }
    let guided = try await front(PredictorGuidedSampler(space: space, offspring: 30, seed: 2))
    let random = try await front(RandomSampler(seed: 2))
    #expect(guided > random * 1.1, "hypervolume \(guided) against random's \(random)")
  }
}
