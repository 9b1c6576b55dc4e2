import Foundation
import Testing
import HoneMath
import HoneNN
import HoneTensor
@testable import HoneNAS

@Suite("Latency and joint architecture–recipe search")
struct LatencyAndJointSearchTests {
  @Test func latencyMeasurementReturnsAMedianAndASpread() throws {
    // A pass that waits ~1 ms: the median is at least that, and the spread is small beside it.
    let measured = try Latency.measure(inputShape: [4], batch: 2, warmup: 1, repeats: 9) { x in
      let start = ContinuousClock.now
      while ContinuousClock.now - start < .milliseconds(1) {}
      return x
    }
    #expect(measured.samples.count == 9 && measured.batch == 2)
    #expect(measured.median >= 1e-3 && measured.median < 0.1)
    #expect(measured.interquartileRange >= 0 && measured.interquartileRange <= measured.median)
    #expect(measured.samples.sorted()[4] == measured.median)
    #expect(throws: NASError.self) { try Latency.measure(inputShape: [4], repeats: 0) { $0 } }
  }

  @Test func lookupTableSumsTheOperationsOfAModel() throws {
    let shape = CellNetworkShape(channels: 8, cells: 3)
    let table = try LatencyTable(shape: shape, operations: [.none, .skipConnect, .conv3x3], repeats: 9)
    #expect(Swift.abs(try table.predict(Array(repeating: .none, count: 6)) - (table.fixed + 9 * table.zeros)) < 1e-12)
    // 6 edges and 0 + 1 + 2 additions per cell, 3 cells.
    let convolutions = try table.predict(Array(repeating: .conv3x3, count: 6))
    #expect(Swift.abs(convolutions - (table.fixed + 18 * table.operations[.conv3x3]! + 9 * table.addition)) < 1e-12)
    #expect(convolutions > (try table.predict(Array(repeating: .skipConnect, count: 6))))
    #expect(throws: NASError.self) { try table.predict(Array(repeating: .avgPool3x3, count: 6)) }
    let model = try CellNetwork(Array(repeating: .conv3x3, count: 6), shape: shape)
    let measured = try Latency.measure(model, inputShape: [64], repeats: 9)
    #expect(measured.median > 0 && measured.samples.count == 9)
  }

  @Test func rankCorrelation() {
    #expect(averageRanks([3, 1, 3, 2]) == [2.5, 0, 2.5, 1])
    #expect(spearmanCorrelation([1, 2, 3, 4], [10, 20, 30, 1000]) == 1)
    #expect(Swift.abs(spearmanCorrelation([1, 2, 3], [3, 2, 1]) + 1) < 1e-12)
  }

  @Test func jointSpaceRoundTrips() throws {
    let space = try JointSpace(space: CellSpace())
    var rng = SeededRNG(seed: 3)
    for _ in 0..<20 {
      let c = space.sample(using: &rng)
      #expect(try space.parse(c.description) == c)
      #expect(try space.architecture(from: space.parameters(of: c)) == c)
      #expect(space.mutate(c, using: &rng) != c)
      #expect(space.features(of: c).count == CellSpace().features(of: c.architecture).count + 4)
    }
    #expect(throws: NASError.self) { try space.parse("|none~0|+|none~0|none~1|+|none~0|none~1|none~2|;lr=0.3,wd=0,epochs=5,ls=0") }
    #expect(throws: NASError.self) { try JointSpace(space: CellSpace(), recipes: RecipeGrid(epochs: [])) }
  }

  /// A planted objective: 3×3 convolutions count, and the recipe lr 0.05, 20 epochs, no label
  /// smoothing adds 3. The search, pretrained on the cells' costs (which track the convolutions),
  /// finds better candidates than random sampling at the same budget.
  @Test func jointSearchFindsArchitectureAndRecipeTogether() async throws {
    let space = try JointSpace(space: CellSpace(channels: 8, height: 8, width: 8))
    func value(_ c: JointSpace<CellSpace>.Candidate) -> Double {
      let r = c.recipe
      return Double(c.architecture.operations.filter { $0 == 3 }.count)
        + (r.learningRate == 0.05 ? 1 : 0) + (r.epochs == 20 ? 1 : 0) + (r.labelSmoothing == 0 ? 1 : 0)
    }
    func proxies(_ c: JointSpace<CellSpace>.Candidate) -> [Double] {
      let cost = space.cost(of: c)
      return [log(1 + Double(cost.parameters)), log(1 + Double(cost.multiplyAccumulates))]
    }
    var search = JointSearch(space: space, seed: 5)
    (search.proxyCandidates, search.roundCandidates) = (300, 200)
    let found = try await search.run(budget: 25, proxies: proxies) { value($0) }
    #expect(found.count == 25 && Set(found.map { $0.candidate.description }).count == 25)
    var rng = SeededRNG(seed: 5)
    let random = (0..<25).map { _ in value(space.sample(using: &rng)) }
    let best = found.map(\.value).max()!
    #expect(best >= 7, "best \(best)")
    #expect(best > random.max()!, "joint search \(best), random \(random.max()!)")
  }
}
