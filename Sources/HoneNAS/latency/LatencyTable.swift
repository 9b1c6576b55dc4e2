import HoneMath
import HoneNN
import HoneTensor

/// FBNet's latency lookup table (Wu et al. 2019, "FBNet: Hardware-Aware Efficient ConvNet
/// Design via Differentiable Neural Architecture Search"), for cell networks: the median latency
/// of each operator of the graph alone on its input [batch, C, H, W] — every candidate
/// operation, the addition that sums two edges into a node, the zeros of a node without
/// inputs — and of the fixed stem and head; a network's latency is predicted as the sum over
/// its operators,
///   LAT(a) = LAT(stem) + LAT(head) + cells · [Σ_edges LAT(op_edge) + Σ_nodes (k_node − 1)·LAT(add)],
/// with k_node ≥ 1 the node's inputs other than `none` (a node with none costs LAT(zeros)),
/// assuming each operator's latency does not depend on its neighbours.
public struct LatencyTable: Sendable {
  /// The network shape the table was measured for.
  public let shape: CellNetworkShape
  /// Examples per forward pass.
  public let batch: Int
  /// Median seconds of each operation.
  public let operations: [CellOperation: Double]
  /// Median seconds of the stem and the head together.
  public let fixed: Double
  /// Median seconds of adding two feature maps (a node's sum).
  public let addition: Double
  /// Median seconds of making the zero feature map of a node without inputs.
  public let zeros: Double

  /// Measures every operation of `operations` (and the stem and head) on this machine.
  public init(shape: CellNetworkShape, operations: [CellOperation] = CellOperation.allCases, batch: Int = 1, warmup: Int = 10,
              repeats: Int = 50) throws {
    try shape.validate()
    var rng = SeededRNG(seed: 0)
    let plane = [shape.channels, shape.height, shape.width]
    func median(_ inputShape: [Int], _ forward: (Tensor<Float>) -> Tensor<Float>) throws -> Double {
      try Latency.measure(inputShape: inputShape, batch: batch, warmup: warmup, repeats: repeats, forward).median
    }
    var table: [CellOperation: Double] = [.none: 0]
    for op in operations where op != .none {
      let layer = op.layer(channels: shape.channels, rng: &rng)
      layer.eval()
      table[op] = try median(plane) { layer($0) }
    }
    let stem = CellNetwork.stem(shape, affine: true, rng: &rng)
    let head = CellNetwork.head(shape, affine: true, rng: &rng)
    stem.eval()
    head.eval()
    fixed = try median([shape.inputFeatures]) { stem($0) } + median(plane) { head($0) }
    let other = Tensor<Float>.randomNormal([batch] + plane, seed: 1)
    addition = try median(plane) { $0 + other }
    zeros = try median(plane) { Tensor.zeros($0.shape) }
    (self.shape, self.batch, self.operations) = (shape, batch, table)
  }

  /// The predicted seconds of a network whose cells carry `cell`.
  public func predict(_ cell: [CellOperation]) throws -> Double {
    var total = 0.0
    for op in cell {
      guard let t = operations[op] else { throw NASError("the latency table has no entry for \(op); measure it with that operation") }
      total += t
    }
    var k = 0
    for node in 1..<CellSpace.nodes {
      let inputs = cell[k..<(k + node)].filter { $0 != .none }.count
      total += inputs == 0 ? zeros : Double(inputs - 1) * addition
      k += node
    }
    return fixed + Double(shape.cells) * total
  }
}
