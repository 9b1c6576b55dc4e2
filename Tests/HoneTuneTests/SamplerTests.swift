import Testing
@testable import HoneTune

@Suite struct SamplerTests {
  static let space: [String: Distribution] = [
    "lr": .float(low: 1e-5, high: 1e-1, log: true), "n": .int(low: 1, high: 8),
    "opt": .categorical([.string("adam"), .string("sgd")]), "p": .float(low: 0, high: 1, step: 0.25),
  ]

  func run(_ sampler: any Sampler, trials: Int) throws -> [[String: ParamValue]] {
    let study = try Study(name: "s", sampler: sampler, pruner: NopPruner())
    return try (0..<trials).map { _ in
      let trial = try study.ask(Self.space)
      try study.tell(trial, 1)
      return trial.params
    }
  }

  @Test func samplersAreReproducibleUnderASeed() throws {
    let makers: [(UInt64) throws -> any Sampler] = [
      { RandomSampler(seed: $0) }, { QMCSampler(seed: $0) }, { QMCSampler(seed: $0, searchSpace: Self.space) },
      { try GridSampler(searchSpace: ["lr": [.double(1e-4), .double(1e-2)], "n": [.int(1), .int(4), .int(8)],
                                     "opt": [.string("adam"), .string("sgd")], "p": [.double(0), .double(0.5)]], seed: $0) },
    ]
    for make in makers {
      let a = try run(make(7), trials: 12)
      #expect(a == (try run(make(7), trials: 12)))
      #expect(a != (try run(make(8), trials: 12)))
      for params in a { for (name, value) in params { #expect(Self.space[name]!.contains(value)) } }
    }
  }

  @Test func randomSamplerDependsOnTrialAndNameNotOrder() throws {
    let sampler = RandomSampler(seed: 3)
    let study = try Study(name: "s", sampler: sampler, pruner: NopPruner())
    let t = try study.ask()
    let x = try t.suggestFloat("x", 0...1)
    let y = try t.suggestFloat("y", 0...1)
    let other = try Study(name: "s", sampler: sampler, pruner: NopPruner()).ask()
    #expect(try other.suggestFloat("y", 0...1) == y)
    #expect(try other.suggestFloat("x", 0...1) == x)
  }

  @Test func qmcCoversTheSpaceEvenly() throws {
    let d: [String: Distribution] = ["x": .float(low: 0, high: 1), "y": .float(low: 0, high: 1)]
    let study = try Study(name: "s", sampler: QMCSampler(seed: 1, searchSpace: d), pruner: NopPruner())
    var cells = Set<[Int]>()
    for _ in 0..<64 {
      let t = try study.ask(d)
      cells.insert([Int(t.params["x"]!.doubleValue! * 8), Int(t.params["y"]!.doubleValue! * 8)])
      try study.tell(t, 0)
    }
    #expect(cells.count == 64)  // a (0, 6, 2)-net: one point in each of the 8×8 cells
  }

  @Test func gridVisitsEveryPointOnceThenStops() async throws {
    let space: [String: Distribution] = ["a": .int(low: 0, high: 2), "b": .categorical([.bool(true), .bool(false)])]
    let study = try Study(name: "g", sampler: try GridSampler(space: space, seed: 1), pruner: NopPruner())
    try await study.optimize(trials: 100) { trial in
      _ = try trial.suggest(space)
      return 0
    }
    let points = try study.trials.map { [$0.params["a"]!, $0.params["b"]!] }
    #expect(points.count == 6)
    #expect(Set(points).count == 6)
    #expect(throws: TuneError.self) { try GridSampler(space: ["x": .float(low: 0, high: 1)]) }
    #expect(throws: TuneError.self) { try GridSampler(space: ["n": .int(low: 0, high: 1_000_000_000)]) }
    #expect(throws: TuneError.self) {
      try GridSampler(space: ["a": .int(low: 0, high: 9_999), "b": .int(low: 0, high: 9_999)])
    }
  }
}

@Suite struct PrunerTests {
  /// Five completed trials reporting 1…5 at step 3; the median there is 3.
  func study(direction: StudyDirection) throws -> Study {
    let study = try Study(name: "p", direction: direction, sampler: RandomSampler(seed: 1),
                          pruner: try MedianPruner(startupTrials: 5, warmupSteps: 2))
    for v in 1...5 {
      let t = try study.ask()
      try t.report(Double(v), step: 3)
      try study.tell(t, Double(v))
    }
    return study
  }

  @Test func medianRuleMinimize() throws {
    let s = try study(direction: .minimize)
    let t = try s.ask()
    try t.report(1, step: 1)
    #expect(try !t.shouldPrune())  // warm-up
    try t.report(3.5, step: 3)
    #expect(try !t.shouldPrune())  // best so far is 1 at step 1, better than the median 3
    let u = try s.ask()
    try u.report(3.5, step: 3)
    #expect(try u.shouldPrune())
    let w = try s.ask()
    try w.report(3.5, step: 4)
    #expect(try !w.shouldPrune())  // no completed trial reported step 4
  }

  @Test func medianRuleMaximize() throws {
    let s = try study(direction: .maximize)
    let t = try s.ask()
    try t.report(2.5, step: 3)
    #expect(try t.shouldPrune())
    let u = try s.ask()
    try u.report(3.5, step: 3)
    #expect(try !u.shouldPrune())
  }

  /// NaN values at the step count towards the minimum number of trials but not the percentile.
  @Test func nanValuesCountTowardsMinTrials() throws {
    let study = try Study(name: "p", sampler: RandomSampler(seed: 1),
                          pruner: try MedianPruner(startupTrials: 0, minTrials: 2))
    for v in [Double.nan, 5] {
      let t = try study.ask()
      try t.report(v, step: 1)
      try study.tell(t, 1)
    }
    let t = try study.ask()
    try t.report(7, step: 1)
    #expect(try t.shouldPrune())
  }

  @Test func startupTrialsAndPercentile() throws {
    let study = try Study(name: "p", sampler: RandomSampler(seed: 1), pruner: try MedianPruner(startupTrials: 10))
    let t = try study.ask()
    try t.report(100, step: 0)
    #expect(try !t.shouldPrune())
    #expect(PercentilePruner.percentile([1, 2, 3, 4], 25) == 1.75)  // numpy.percentile's linear rule
    #expect(throws: TuneError.self) { try PercentilePruner(percentile: 120) }
  }
}
