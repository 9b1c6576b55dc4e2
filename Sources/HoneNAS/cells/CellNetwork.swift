import HoneMath
import HoneNN
import HoneTensor

/// The network a cell is evaluated in: a stem (3×3 convolution from the input channels to C,
/// batch norm), `cells` copies of the cell on C channels of H×W, then batch norm → ReLU →
/// global average pooling → a linear classifier. It is NAS-Bench-201's network with one stage
/// (its reduction blocks left out: the 8×8 digits have no room for them).
public struct CellNetworkShape: Hashable, Sendable {
  /// Channels of each input image.
  public var inputChannels: Int
  /// Image height.
  public var height: Int
  /// Image width.
  public var width: Int
  /// Channels C inside the cells.
  public var channels: Int
  /// Cells stacked.
  public var cells: Int
  /// Classes of the classifier.
  public var classes: Int

  /// A shape; the default is 8 channels and 3 cells on the 1×8×8 digits with 10 classes.
  public init(inputChannels: Int = 1, height: Int = 8, width: Int = 8, channels: Int = 8, cells: Int = 3, classes: Int = 10) {
    (self.inputChannels, self.height, self.width, self.channels, self.cells, self.classes) =
      (inputChannels, height, width, channels, cells, classes)
  }

  /// Values per example (the flat input's width).
  public var inputFeatures: Int { inputChannels * height * width }

  /// Throws unless every size is positive.
  func validate() throws {
    guard [inputChannels, height, width, channels, cells, classes].allSatisfy({ $0 >= 1 }) else {
      throw NASError("a cell network needs positive sizes, got \(self)")
    }
  }

  /// Parameters and multiply–accumulates per example of the network whose edges carry
  /// `operations` (several per edge sum, as in a supernet): the stem's 9·in·C weights and BN,
  /// the cells, the final BN and the C·classes + classes classifier.
  public func cost(edges operations: [[CellOperation]]) -> ArchitectureCost {
    let area = height * width
    let stem = ArchitectureCost(parameters: 9 * inputChannels * channels + 2 * channels,
                                multiplyAccumulates: 9 * inputChannels * channels * area)
    let cell = operations.joined().reduce(ArchitectureCost(parameters: 0, multiplyAccumulates: 0)) {
      $0 + $1.cost(channels: channels, area: area)
    }
    let head = ArchitectureCost(parameters: 2 * channels + channels * classes + classes, multiplyAccumulates: channels * classes)
    return stem + cells * cell + head
  }

  /// The cost of the network whose cells carry `cell`, one operation per edge.
  public func cost(of cell: [CellOperation]) -> ArchitectureCost { cost(edges: cell.map { [$0] }) }
}

/// The output of a NAS-Bench-201 cell on input x: node 0 is x, node j = Σ_{i<j} edge(j←i)(node i)
/// with the edges in `CellSpace.edges` order, and the cell's output is the last node. `edge`
/// returns nil for a zero contribution (a `none` edge), so no work is spent on it.
func cellOutput(_ x: Tensor<Float>, edge: (_ index: Int, _ input: Tensor<Float>) -> Tensor<Float>?) -> Tensor<Float> {
  var nodes = [x]
  var k = 0
  for _ in 1..<CellSpace.nodes {
    var sum: Tensor<Float>? = nil
    for input in nodes {
      if let y = edge(k, input) { sum = sum.map { $0 + y } ?? y }
      k += 1
    }
    nodes.append(sum ?? .zeros(x.shape))
  }
  return nodes.last!
}

/// A cell with one operation per edge.
public final class CellLayer: Layer {
  /// The edges' layers, in `CellSpace.edges` order.
  public let edges: [any Layer]
  /// The edges' operations.
  public let operations: [CellOperation]

  /// The cell with `operations` (one per edge) on `channels` channels.
  public init(_ operations: [CellOperation], channels: Int, rng: inout SeededRNG) {
    precondition(operations.count == CellSpace.edges.count, "a cell has \(CellSpace.edges.count) edges, got \(operations.count) operations")
    self.operations = operations
    edges = operations.map { $0.layer(channels: channels, rng: &rng) }
  }

  /// [N, C, H, W] → [N, C, H, W].
  public func callAsFunction(_ input: Tensor<Float>) -> Tensor<Float> {
    cellOutput(input) { k, x in operations[k] == .none ? nil : edges[k](x) }
  }
}

/// The network of `CellNetworkShape` around a `Cell`, taking flat inputs [N, in·H·W].
public final class CellNetwork: Layer {
  /// Reshape → 3×3 convolution → batch norm.
  public let stem: Sequential
  /// The stacked cells.
  public let cells: [CellLayer]
  /// Batch norm → ReLU → global average pooling → linear.
  public let head: Sequential
  /// The shape.
  public let shape: CellNetworkShape

  /// The network whose cells carry `operations`, initialized from `seed`.
  public init(_ operations: [CellOperation], shape: CellNetworkShape, seed: UInt64 = 0) throws {
    try shape.validate()
    guard operations.count == CellSpace.edges.count else {
      throw NASError("a cell has \(CellSpace.edges.count) edges, got \(operations.count) operations")
    }
    var rng = SeededRNG(seed: seed)
    self.shape = shape
    stem = CellNetwork.stem(shape, affine: true, rng: &rng)
    cells = (0..<shape.cells).map { _ in CellLayer(operations, channels: shape.channels, rng: &rng) }
    head = CellNetwork.head(shape, affine: true, rng: &rng)
  }

  /// [N, in·H·W] → logits [N, classes].
  public func callAsFunction(_ input: Tensor<Float>) -> Tensor<Float> {
    head(cells.reduce(stem(input)) { $1($0) })
  }

  /// The stem of `shape`.
  static func stem(_ shape: CellNetworkShape, affine: Bool, rng: inout SeededRNG) -> Sequential {
    Sequential([Reshape([shape.inputChannels, shape.height, shape.width]),
                Conv2d(shape.inputChannels, shape.channels, kernelSize: 3, padding: 1, bias: false, rng: &rng),
                BatchNorm2d(shape.channels, affine: affine)])
  }

  /// The head of `shape`.
  static func head(_ shape: CellNetworkShape, affine: Bool, rng: inout SeededRNG) -> Sequential {
    Sequential([BatchNorm2d(shape.channels, affine: affine), Activation(.relu), GlobalAvgPool2d(),
                Linear(shape.channels, shape.classes, rng: &rng)])
  }
}

extension CellSpace {
  /// The operations of a cell of this space.
  public func operations(of cell: Cell) -> [CellOperation] { cell.operations.map { CellOperation.nasBench201[$0] } }

  /// The canonical string of a cell with these operations, `|op~0|+|op~0|op~1|+|op~0|op~1|op~2|`.
  public static func string(of operations: [CellOperation]) -> String {
    var parts: [String] = []
    var k = 0
    for node in 1..<nodes {
      parts.append("|" + (0..<node).map { input in
        defer { k += 1 }
        return "\(operations[k])~\(input)"
      }.joined(separator: "|") + "|")
    }
    return parts.joined(separator: "+")
  }
}
