import HoneMath
import HoneNN
import HoneTensor

/// DARTS' mixed operation (Liu, Simonyan & Yang 2019, "DARTS: Differentiable Architecture
/// Search"): an edge carrying every candidate operation, out = Σ_k c_k·op_k(x) with c the
/// edge's softmax weights w = softmax(α_edge) or, with sharpDARTS' max-W weighting (Hundt, Jain
/// & Hager 2019), c_k = 1 − max_j w_j + w_k, which gives the strongest operation the factor 1.
/// `none` contributes nothing and is not computed; its weight still takes its share of the softmax.
public final class MixedOperation: Module {
  /// The candidates' layers, in `operations` order.
  public let candidates: [any Layer]
  /// The candidate operations.
  public let operations: [CellOperation]

  /// An edge on `channels` channels; DARTS' search cells use batch norms without γ and β.
  public init(_ operations: [CellOperation], channels: Int, affine: Bool = false, rng: inout SeededRNG) {
    self.operations = operations
    candidates = operations.map { $0.layer(channels: channels, affine: affine, rng: &rng) }
  }

  /// The mixture of the candidates on `input` with weights w [K] (softmax of the edge's α).
  public func callAsFunction(_ input: Tensor<Float>, weights w: Tensor<Float>, maxW: Bool = false) -> Tensor<Float>? {
    let c = maxW ? w + (1 - w.max()) : w
    var sum: Tensor<Float>? = nil
    for (k, op) in operations.enumerated() where op != .none {
      let term = candidates[k](input) * c.slice(alongAxis: 0, k..<(k + 1))
      sum = sum.map { $0 + term } ?? term
    }
    return sum
  }
}

/// The architecture weights α of a supernet: one row of K logits per edge, shared by every cell
/// (as DARTS shares α among its normal cells), drawn as 10⁻³·N(0, 1). Kept outside the network's
/// modules, so the weight optimizer never sees them.
public final class ArchitectureWeights {
  /// α, [edges, K].
  public let alpha: Parameter

  /// Weights for `edges` edges of `operations` candidates each.
  init(edges: Int, operations: Int, rng: inout SeededRNG) {
    alpha = Parameter(Tensor.randomNormal([edges, operations], standardDeviation: 1e-3, using: &rng))
  }

  /// softmax(α) per edge, as Double rows.
  public var probabilities: [[Double]] { alpha.value.softmax(alongAxis: 1).rows.map { $0.map(Double.init) } }
}

/// A cell whose every edge is a `MixedOperation`.
public final class SearchCell: Module {
  /// The edges, in `CellSpace.edges` order.
  public let edges: [MixedOperation]

  /// A cell of mixed edges on `channels` channels.
  public init(_ operations: [CellOperation], channels: Int, rng: inout SeededRNG) {
    edges = CellSpace.edges.map { _ in MixedOperation(operations, channels: channels, rng: &rng) }
  }

  /// The cell's output with edge weights w [edges, K].
  public func callAsFunction(_ input: Tensor<Float>, weights w: Tensor<Float>, maxW: Bool) -> Tensor<Float> {
    cellOutput(input) { k, x in
      edges[k](x, weights: w.slice(alongAxis: 0, k..<(k + 1)).reshaped(to: [-1]), maxW: maxW)
    }
  }
}

/// DARTS' supernet in the network of `CellNetworkShape`: every cell's edges mix all candidate
/// operations by softmax(α), α shared by the cells. The network's weights are its trainable
/// parameters; α is `architecture.alpha`.
public final class Supernet: Layer {
  /// The stem (without affine batch norm).
  public let stem: Sequential
  /// The cells.
  public let cells: [SearchCell]
  /// The head.
  public let head: Sequential
  /// The candidate operations of every edge.
  public let operations: [CellOperation]
  /// α.
  public let architecture: ArchitectureWeights
  /// sharpDARTS' max-W weighting of the mixed operations.
  public var maxW: Bool
  /// The shape.
  public let shape: CellNetworkShape

  /// A supernet of `operations` on `shape`, initialized from `seed`.
  public init(_ operations: [CellOperation], shape: CellNetworkShape, maxW: Bool = false, seed: UInt64 = 0) throws {
    try shape.validate()
    guard !operations.isEmpty, operations.contains(where: { $0 != .none }) else {
      throw NASError("a supernet needs at least one operation other than none")
    }
    var rng = SeededRNG(seed: seed)
    (self.operations, self.shape, self.maxW) = (operations, shape, maxW)
    stem = CellNetwork.stem(shape, affine: false, rng: &rng)
    cells = (0..<shape.cells).map { _ in SearchCell(operations, channels: shape.channels, rng: &rng) }
    head = CellNetwork.head(shape, affine: false, rng: &rng)
    architecture = ArchitectureWeights(edges: CellSpace.edges.count, operations: operations.count, rng: &rng)
  }

  /// [N, in·H·W] → logits, with the current α.
  public func callAsFunction(_ input: Tensor<Float>) -> Tensor<Float> {
    let w = architecture.alpha.value.softmax(alongAxis: 1)
    return head(cells.reduce(stem(input)) { $1($0, weights: w, maxW: maxW) })
  }

  /// The discrete cell: on each edge the operation of largest α, `none` excluded (as DARTS
  /// derives its genotype; a `none` argmax would cut the edge the search kept weights on).
  public func discretized() -> [CellOperation] {
    architecture.alpha.value.rows.map { row in
      let candidates = row.indices.filter { operations[$0] != .none }
      return operations[candidates.max { row[$0] < row[$1] }!]
    }
  }

  /// Multiply–accumulates of one example's forward pass (every candidate computed).
  public var multiplyAccumulates: Int {
    shape.cost(edges: Array(repeating: operations, count: CellSpace.edges.count)).multiplyAccumulates
  }
}
