import HoneMath
import HoneNN
import HoneTensor

/// A measured latency: the median and the spread of repeated forward passes.
public struct LatencyMeasurement: Sendable {
  /// The median seconds of one forward pass of the batch.
  public var median: Double
  /// The interquartile range of the timings, in seconds (the spread).
  public var interquartileRange: Double
  /// Every timing, in seconds, in the order taken.
  public var samples: [Double]
  /// Examples per forward pass.
  public var batch: Int
}

/// Latency on this machine: a model's forward pass in evaluation mode on one thread, timed
/// after warm-up passes, summarized by the median (robust to the occasional interrupted run)
/// and the interquartile range.
public enum Latency {
  /// Times `forward` on a [batch] + `inputShape` input drawn N(0, 1) from `seed`: `warmup`
  /// untimed passes, then `repeats` timed ones, OpenBLAS on one thread.
  public static func measure(inputShape: [Int], batch: Int = 1, warmup: Int = 5, repeats: Int = 30, seed: UInt64 = 0,
                             _ forward: (Tensor<Float>) -> Tensor<Float>) throws -> LatencyMeasurement {
    guard batch >= 1, warmup >= 0, repeats >= 1 else {
      throw NASError("latency needs a batch ≥ 1, warm-up ≥ 0 and repeats ≥ 1 (got \(batch), \(warmup), \(repeats))")
    }
    let input = Tensor<Float>.randomNormal([batch] + inputShape, seed: seed)
    let clock = ContinuousClock()
    let samples = BLASThreads.with(1) { () -> [Double] in
      for _ in 0..<warmup { _ = forward(input) }
      return (0..<repeats).map { _ in
        let start = clock.now
        let output = forward(input)
        _ = output.count
        return (clock.now - start).seconds
      }
    }
    let sorted = samples.sorted()
    func quantile(_ q: Double) -> Double {
      let position = q * Double(sorted.count - 1)
      let (low, high) = (Int(position.rounded(.down)), Int(position.rounded(.up)))
      return sorted[low] + (sorted[high] - sorted[low]) * (position - Double(low))
    }
    return LatencyMeasurement(median: quantile(0.5), interquartileRange: quantile(0.75) - quantile(0.25), samples: samples, batch: batch)
  }

  /// The latency of a model (put in evaluation mode) on inputs of `inputShape` per example.
  public static func measure(_ model: some Layer, inputShape: [Int], batch: Int = 1, warmup: Int = 5, repeats: Int = 30,
                             seed: UInt64 = 0) throws -> LatencyMeasurement {
    model.eval()
    return try measure(inputShape: inputShape, batch: batch, warmup: warmup, repeats: repeats, seed: seed) { model($0) }
  }
}

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
    var table: [CellOperation: Double] = [:]
    for op in operations where op != .none {
      let layer = op.layer(channels: shape.channels, rng: &rng)
      layer.eval()
      table[op] = try Latency.measure(inputShape: plane, batch: batch, warmup: warmup, repeats: repeats) { layer($0) }.median
    }
    table[.none] = 0
    let stem = CellNetwork.stem(shape, affine: true, rng: &rng)
    let head = CellNetwork.head(shape, affine: true, rng: &rng)
    stem.eval()
    head.eval()
    let stemTime = try Latency.measure(inputShape: [shape.inputFeatures], batch: batch, warmup: warmup, repeats: repeats) { stem($0) }.median
    let headTime = try Latency.measure(inputShape: plane, batch: batch, warmup: warmup, repeats: repeats) { head($0) }.median
    let other = Tensor<Float>.randomNormal([batch] + plane, seed: 1)
    addition = try Latency.measure(inputShape: plane, batch: batch, warmup: warmup, repeats: repeats) { $0 + other }.median
    zeros = try Latency.measure(inputShape: plane, batch: batch, warmup: warmup, repeats: repeats) { Tensor.zeros($0.shape) }.median
    (self.shape, self.batch, self.operations, self.fixed) = (shape, batch, table, stemTime + headTime)
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
