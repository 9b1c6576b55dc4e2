import Testing
import HoneMath
import HoneNN
import HoneTensor
@testable import HoneNAS

@Suite("Cell operations, cell networks and the supernet")
struct CellNetworkTests {
  @Test func cellOperationsKeepTheShapeAndCountTheirCost() throws {
    var rng = SeededRNG(seed: 1)
    let x = Tensor<Float>.randomNormal([2, 4, 5, 5], seed: 2)
    for op in CellOperation.allCases {
      let layer = op.layer(channels: 4, rng: &rng)
      #expect(layer(x).shape == x.shape, "\(op)")
      #expect(layer.parameterCount == op.cost(channels: 4, area: 25).parameters, "\(op)")
    }
    // A 3×3 ReLUConvBN: 9C² weights, 9C²·HW multiply–accumulates.
    #expect(CellOperation.conv3x3.cost(channels: 4, area: 25) == ArchitectureCost(parameters: 152, multiplyAccumulates: 3600))
  }

  @Test func cellNetworkParametersMatchTheCountedCost() throws {
    let shape = CellNetworkShape(channels: 4, cells: 2)
    let cell = try CellSpace.operations(parsing: "|nor_conv_3x3~0|+|skip_connect~0|sep_conv_3x3~1|+|none~0|avg_pool_3x3~1|dil_conv_3x3~2|")
    let network = try CellNetwork(cell, shape: shape)
    #expect(network.parameterCount == shape.cost(of: cell).parameters)
    #expect(network(Tensor.randomNormal([3, 64], seed: 1)).shape == [3, 10])
    #expect(CellSpace.string(of: cell) == "|nor_conv_3x3~0|+|skip_connect~0|sep_conv_3x3~1|+|none~0|avg_pool_3x3~1|dil_conv_3x3~2|")
    #expect(throws: NASError.self) { try CellSpace.operations(parsing: "|conv~0|+|none~0|none~1|+|none~0|none~1|none~2|") }
    #expect(throws: NASError.self) { try CellSpace().parse("|sep_conv_3x3~0|+|none~0|none~1|+|none~0|none~1|none~2|") }
  }

  @Test func mixedEdgeWithOneHotWeightsIsThatOperation() throws {
    var rng = SeededRNG(seed: 4)
    let edge = MixedOperation(CellOperation.nasBench201, channels: 3, rng: &rng)
    let x = Tensor<Float>.randomNormal([2, 3, 4, 4], seed: 5)
    for (k, op) in CellOperation.nasBench201.enumerated() where op != .none {
      let oneHot = Tensor<Float>((0..<5).map { $0 == k ? 1 : 0 })
      for maxW in [false, true] {
        let mixed = edge(x, weights: oneHot, maxW: maxW)!
        #expect(mixed.scalars == edge.candidates[k](x).scalars, "\(op), max-W \(maxW)")
      }
    }
    // The mixture is linear in the weights: w = ½e₁ + ½e₃ gives the mean of the two.
    let half = Tensor<Float>([0, 0.5, 0, 0.5, 0])
    let expected = (edge.candidates[1](x) + edge.candidates[3](x)) * 0.5
    #expect(zip(edge(x, weights: half)!.scalars, expected.scalars).allSatisfy { Swift.abs($0 - $1) < 1e-5 })
  }

  @Test func maxWeightingGivesTheStrongestOperationFactorOne() throws {
    var rng = SeededRNG(seed: 6)
    let edge = MixedOperation([.skipConnect, .avgPool3x3], channels: 2, rng: &rng)
    let x = Tensor<Float>.randomNormal([1, 2, 3, 3], seed: 7)
    // w = (0.7, 0.3): c = (1 − 0.7 + 0.7, 1 − 0.7 + 0.3) = (1, 0.6).
    let y = edge(x, weights: Tensor([0.7, 0.3]), maxW: true)!
    let expected = x + edge.candidates[1](x) * 0.6
    #expect(zip(y.scalars, expected.scalars).allSatisfy { Swift.abs($0 - $1) < 1e-5 })
  }

  @Test func supernetDiscretizesByLargestWeightLeavingOutNone() throws {
    let net = try Supernet(CellOperation.nasBench201, shape: CellNetworkShape(channels: 2, cells: 1), seed: 1)
    var alpha = [[Float]](repeating: [0, 0, 0, 0, 0], count: 6)
    for e in 0..<6 { alpha[e][e % 5] = 3 }  // edges 0 and 5 prefer none
    alpha[0][3] = 1  // edge 0's next best is nor_conv_3x3; edge 5's are tied, the first (skip) wins
    net.architecture.alpha.value = Tensor(alpha)
    #expect(net.discretized() == [.conv3x3, .skipConnect, .conv1x1, .conv3x3, .avgPool3x3, .skipConnect])
    #expect(net(Tensor.randomNormal([4, 64], seed: 2)).shape == [4, 10])
    // α is not among the weights the weight optimizer sees.
    #expect(!net.trainableParameters().contains { $0.parameter === net.architecture.alpha })
  }
}
