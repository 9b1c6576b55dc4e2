import Foundation
import HoneMath
import HoneNN
import HoneTune
import Testing
@testable import HoneNAS

/// Every space samples valid architectures, round-trips through trial parameters and its
/// string form, mutates within the space, and counts costs as by hand.
@Suite struct SpaceTests {
  func checkRoundTrips<S: ArchitectureSpace>(_ space: S, samples: Int = 300) throws {
    var rng = SeededRNG(seed: 7)
    for _ in 0..<samples {
      let a = space.sample(using: &rng)
      #expect(try space.parse(a.description) == a, "\(a)")
      #expect(try space.architecture(from: space.parameters(of: a)) == a, "\(a)")
      for (name, value) in space.parameters(of: a) { #expect(space.distributions[name]?.contains(value) == true, "\(name)=\(value)") }
      let child = space.mutate(a, using: &rng)
      #expect(child != a)
      #expect(try space.parse(child.description) == child)
      #expect(try space.architecture(from: space.parameters(of: child)) == child)
    }
  }

  @Test func cellRoundTripsAndMutatesOneEdge() throws {
    let space = CellSpace()
    try checkRoundTrips(space)
    var rng = SeededRNG(seed: 1)
    for _ in 0..<200 {
      let a = space.sample(using: &rng)
      #expect(zip(a.operations, space.mutate(a, using: &rng).operations).filter { $0 != $1 }.count == 1)
    }
    let text = "|avg_pool_3x3~0|+|nor_conv_1x1~0|skip_connect~1|+|nor_conv_1x1~0|skip_connect~1|skip_connect~2|"
    #expect(try space.parse(text).description == text, "a NAS-Bench-201 string round-trips")
    #expect(try space.parse(text).operations == [4, 2, 1, 2, 1, 1])
    for bad in ["", "|none~0|", "|none~1|+|none~0|none~1|+|none~0|none~1|none~2|", "|conv~0|+|none~0|none~1|+|none~0|none~1|none~2|",
                "||none~0||+|none~0|none~1|+|none~0|none~1|none~2|", "|none~~0|+|none~0|none~1|+|none~0|none~1|none~2|",
                "|none~+0|+|none~0|none~1|+|none~0|none~1|none~2|"] {
      #expect(throws: NASError.self) { try space.parse(bad) }
    }
  }

  @Test func cellPathEncodingByHand() throws {
    // 3×3 convolutions on 1←0 and 3←1, a skip on 3←0, nothing else: the routes 0→3 (skip) and
    // 0→1→3 (conv, conv) exist; 0→2→3 and 0→1→2→3 do not.
    let cell = try CellSpace().parse("|nor_conv_3x3~0|+|none~0|none~1|+|skip_connect~0|nor_conv_3x3~1|none~2|")
    let paths = Array(CellSpace().features(of: cell).dropFirst(30))
    #expect(paths.count == 84)
    // Operations without `none`: skip 0, conv1x1 1, conv3x3 2, pool 3; one-edge paths at 0…3, two-edge at 4 + 4a + b.
    #expect(paths.indices.filter { paths[$0] == 1 } == [0, 4 + 4 * 2 + 2])
  }

  @Test func degenerateSpacesAndTablesAreRefused() throws {
    #expect(throws: NASError.self) { try ChainSpace(inputs: 4, classes: 2, depths: 2...2, widths: [8], activations: [.relu]) }
    #expect(throws: NASError.self) { try GrammarSpace(maxExpansions: 3) }
    let file = FileManager.default.temporaryDirectory.appendingPathComponent("table-\(UInt64.random(in: 0...UInt64.max)).csv")
    defer { try? FileManager.default.removeItem(at: file) }
    try "arch,a,a\nx,1,2\n".write(to: file, atomically: true, encoding: .utf8)
    #expect(throws: NASError.self) { try ArchitectureTable(contentsOf: file) }
    try "arch,a\nx,1\ny,oops\n".write(to: file, atomically: true, encoding: .utf8)
    #expect(throws: NASError.self) { try ArchitectureTable(contentsOf: file) }
  }

  @Test func cellCostsByHand() throws {
    // C = 2 channels on 1×1 maps: a 3×3 conv has 9·4 weights + 2·2 batch-norm parameters and 36 MACs.
    let space = CellSpace(channels: 2, height: 1, width: 1)
    #expect(space.cost(of: CellSpace.Cell(operations: [3, 3, 3, 3, 3, 3])) == ArchitectureCost(parameters: 240, multiplyAccumulates: 216))
    #expect(space.cost(of: CellSpace.Cell(operations: [2, 0, 1, 4, 0, 0])) == ArchitectureCost(parameters: 8, multiplyAccumulates: 4 + 18))
    #expect(CellSpace().cost(of: CellSpace.Cell(operations: [0, 0, 0, 0, 0, 0])).parameters == 0)
  }

  @Test func chainRoundTripsCostsAndTrains() async throws {
    let space = try ChainSpace(inputs: 64, classes: 10, depths: 1...3, widths: [16, 32, 64])
    try checkRoundTrips(space)
    let small = try ChainSpace(inputs: 4, classes: 3, depths: 1...2, widths: [5])
    let chain = try small.parse("5:relu")
    #expect(small.cost(of: chain) == ArchitectureCost(parameters: 4 * 5 + 5 + 5 * 3 + 3, multiplyAccumulates: 35))
    #expect(small.model(of: chain).parameterCount == small.cost(of: chain).parameters)
    #expect(throws: NASError.self) { try small.parse("7:relu") }
    #expect(throws: NASError.self) { try small.parse("5:relu-5:relu-5:relu") }

    // A sampled chain builds a model that learns the digits.
    var rng = SeededRNG(seed: 3)
    let sampled = space.sample(using: &rng)
    let model = space.model(of: sampled)
    #expect(model.parameterCount == space.cost(of: sampled).parameters)
    let (train, validation, _) = try Dataset.digits().split(seed: 0)
    let scaler = Standardizer(fitting: train)
    let result = try await fit(model, on: scaler.transform(train), validation: scaler.transform(validation),
                               options: TrainingOptions(epochs: 3, optimizer: OptimizerSpec("adamw", learningRate: 3e-3)))
    #expect(result.history.last!.validation!.accuracy > 0.8, "\(sampled): \(result.history.last!.validation!.accuracy)")
  }

  @Test func grammarRoundTripsMutatesAndBuilds() throws {
    let space = try GrammarSpace(maxDepth: 10, maxExpansions: 32)
    try checkRoundTrips(space)
    var rng = SeededRNG(seed: 5)
    for _ in 0..<100 {
      let tree = space.sample(using: &rng)
      #expect(tree.height <= space.maxDepth)
      #expect(tree.nonterminalPaths.count <= space.maxExpansions)
      #expect(try space.model(of: tree).parameterCount == space.cost(of: tree).parameters)
    }
    let text = "net.0(block.0(linear.1(linear64),act.0(relu)))"
    let tree = try space.parse(text)
    #expect(tree.description == text)
    #expect(tree.operations == ["linear64", "relu"])
    #expect(space.cost(of: tree) == ArchitectureCost(parameters: 64 * 64 + 64 + 64 * 10 + 10, multiplyAccumulates: 64 * 64 + 64 * 10))
    for bad in ["net.0(block.0(linear.1(linear32),act.0(relu)))", "net.2(block.0(linear.1(linear64),act.0(relu)))", "net.0(block.0(linear.1(linear64)))", "net"] {
      #expect(throws: NASError.self, "\(bad)") { try space.parse(bad) }
    }
  }

  @Test func grammarsThatCannotFinishAreRefused() {
    #expect(throws: NASError.self) { try Grammar(start: "a", rules: ["a": [Grammar.Production(["a", "b"])]]) }
    #expect(throws: NASError.self) { try Grammar(start: "x", rules: ["a": [Grammar.Production(["b"])]]) }
    #expect(throws: NASError.self) { try GrammarSpace(maxDepth: 2) }
  }

  @Test func samplingFollowsTheProductionProbabilities() throws {
    let grammar = try Grammar(start: "s", rules: ["s": [Grammar.Production(["a"], probability: 3), Grammar.Production(["b"], probability: 1)]])
    let space = try GrammarSpace(grammar: grammar, maxDepth: 2, maxExpansions: 2)
    var rng = SeededRNG(seed: 9)
    let share = Double((0..<4000).filter { _ in space.sample(using: &rng).operations == ["a"] }.count) / 4000
    #expect(abs(share - 0.75) < 0.03)
  }
}
