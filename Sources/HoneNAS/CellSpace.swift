import HoneMath
import HoneTune

/// The NAS-Bench-201 cell (Dong & Yang 2020, "NAS-Bench-201: Extending the Scope of
/// Reproducible Neural Architecture Search"): a DAG of 4 nodes in which each of the 6 edges
/// j ← i (i < j) carries one operation: `none` (no edge), `skip_connect`, `nor_conv_1x1`,
/// `nor_conv_3x3` (ReLU–conv–batch-norm) or `avg_pool_3x3`; 5⁶ = 15,625 cells.
///
/// Canonical string: `|op~0|+|op~0|op~1|+|op~0|op~1|op~2|`, the inputs of nodes 1, 2 and 3.
/// Trial parameters: one categorical per edge, `edge_j_i`. A mutation changes one edge's
/// operation. The cost counts the cell on `channels` × `height` × `width` feature maps: a
/// 1×1 convolution has C² weights and the batch norm 2C, a 3×3 one 9C² + 2C; their
/// multiply–accumulates are C²·H·W and 9C²·H·W, an average pool's 9·C·H·W.
public struct CellSpace: ArchitectureSpace {
  /// A cell: the operation index of each edge, in the order (1←0), (2←0), (2←1), (3←0), (3←1), (3←2).
  public struct Cell: Hashable, Sendable, CustomStringConvertible {
    /// Operation indices into `CellSpace.operations`, one per edge.
    public var operations: [Int]
    /// A cell from its edges' operation indices.
    public init(operations: [Int]) { self.operations = operations }

    /// The canonical string.
    public var description: String { CellSpace.string(of: operations.map { CellOperation.nasBench201[$0] }) }
  }

  /// The operations an edge can carry.
  public static let operations = CellOperation.nasBench201.map(\.rawValue)
  /// Nodes of the cell (node 0 is its input, the last its output).
  public static let nodes = 4
  /// The edges as (to, from), in parameter order.
  public static let edges: [(to: Int, from: Int)] = (1..<nodes).flatMap { j in (0..<j).map { (j, $0) } }
  /// The trial parameter of each edge.
  public static let edgeNames = edges.map { "edge_\($0.to)_\($0.from)" }

  /// Channels of the feature maps the cell works on (for `cost`).
  public let channels: Int
  /// Height of those feature maps.
  public let height: Int
  /// Width of those feature maps.
  public let width: Int

  /// A cell space; the cost is counted for 16 channels of 32×32 (the first stage of
  /// NAS-Bench-201's CIFAR network).
  public init(channels: Int = 16, height: Int = 32, width: Int = 32) {
    (self.channels, self.height, self.width) = (channels, height, width)
  }

  /// Implements `ArchitectureSpace.distributions`.
  public var distributions: [String: Distribution] {
    Dictionary(uniqueKeysWithValues: Self.edgeNames.map { ($0, .categorical(Self.operations.map(ParamValue.string))) })
  }

  /// Implements `ArchitectureSpace.sample(using:)`: each edge's operation uniformly.
  public func sample(using rng: inout SeededRNG) -> Cell {
    Cell(operations: Self.edges.map { _ in rng.nextInt(below: Self.operations.count) })
  }

  /// Implements `ArchitectureSpace.mutate(_:using:)`: one edge gets another operation.
  public func mutate(_ a: Cell, using rng: inout SeededRNG) -> Cell {
    var child = a
    let edge = rng.nextInt(below: Self.edges.count)
    child.operations[edge] = (a.operations[edge] + 1 + rng.nextInt(below: Self.operations.count - 1)) % Self.operations.count
    return child
  }

  /// Implements `ArchitectureSpace.parameters(of:)`.
  public func parameters(of a: Cell) -> [String: ParamValue] {
    Dictionary(uniqueKeysWithValues: zip(Self.edgeNames, a.operations.map { .string(Self.operations[$0]) }))
  }

  /// Implements `ArchitectureSpace.architecture(from:)`.
  public func architecture(from parameters: [String: ParamValue]) throws -> Cell {
    Cell(operations: try Self.edgeNames.map { name in
      guard case .string(let op)? = parameters[name], let k = Self.operations.firstIndex(of: op) else {
        throw NASError("cell parameter \(name) must be one of \(Self.operations.joined(separator: ", ")), got \(parameters[name].map { "\($0)" } ?? "nothing")")
      }
      return k
    })
  }

  /// Implements `ArchitectureSpace.parse(_:)`: `|op~0|+|op~0|op~1|+|op~0|op~1|op~2|`.
  public func parse(_ text: String) throws -> Cell {
    Cell(operations: try Self.operations(parsing: text).map { op in
      guard let k = CellOperation.nasBench201.firstIndex(of: op) else {
        throw NASError("'\(text)': \(op) is not an operation of this space (\(Self.operations.joined(separator: ", ")))")
      }
      return k
    })
  }

  /// The operations of a cell string `|op~0|+|op~0|op~1|+|op~0|op~1|op~2|` whose operations are
  /// any `CellOperation`.
  public static func operations(parsing text: String) throws -> [CellOperation] {
    let nodes = text.split(separator: "+", omittingEmptySubsequences: false)
    guard nodes.count == Self.nodes - 1 else { throw NASError("'\(text)' is not a cell: expected \(Self.nodes - 1) nodes separated by '+'") }
    var operations: [CellOperation] = []
    for (j, node) in nodes.enumerated() {
      let inputs = node.split(separator: "|", omittingEmptySubsequences: false).dropFirst().dropLast()
      guard node.hasPrefix("|"), node.hasSuffix("|"), node.count > 1, inputs.count == j + 1 else {
        throw NASError("'\(text)': node \(j + 1) must be |op~0|…|op~\(j)|")
      }
      for (i, input) in inputs.enumerated() {
        let parts = input.split(separator: "~", omittingEmptySubsequences: false)
        guard parts.count == 2, let op = CellOperation(rawValue: String(parts[0])), parts[1] == "\(i)" else {
          throw NASError("'\(text)': '\(input)' is not op~\(i) with op one of \(CellOperation.allCases.map(\.rawValue).joined(separator: ", "))")
        }
        operations.append(op)
      }
    }
    return operations
  }

  /// Implements `ArchitectureSpace.cost(of:)`: the cell's operations on C channels of H×W.
  public func cost(of a: Cell) -> ArchitectureCost {
    operations(of: a).reduce(ArchitectureCost(parameters: 0, multiplyAccumulates: 0)) { $0 + $1.cost(channels: channels, area: height * width) }
  }

  /// The routes from the input node to the output node, as edge indices: 0→3, 0→1→3, 0→2→3, 0→1→2→3.
  static let routes: [[Int]] = [[3], [0, 4], [1, 5], [0, 2, 5]]

  /// Implements `ArchitectureSpace.features(of:)`: one-hot operations per edge, then the path
  /// encoding of BANANAS (White, Neiswanger & Savani 2021): one indicator per sequence of
  /// operations (other than `none`) that some input-to-output route carries — 4 + 16 + 64 of them.
  public func features(of a: Cell) -> [Double] {
    var features = a.operations.flatMap { op in (0..<Self.operations.count).map { $0 == op ? 1.0 : 0.0 } }
    var paths = [Double](repeating: 0, count: 4 + 16 + 64)
    for route in Self.routes {
      let ops = route.map { a.operations[$0] - 1 }  // 0…3 once `none` (0) is left out
      guard ops.allSatisfy({ $0 >= 0 }) else { continue }
      let offset = [0, 0, 4, 20][ops.count]
      paths[offset + ops.reduce(0) { $0 * 4 + $1 }] = 1
    }
    features += paths
    return features
  }
}
