import HoneMath
import HoneNN

/// An operation a cell's edge can carry, named as NAS-Bench-201 (Dong & Yang 2020) and
/// sharpDARTS (Hundt, Jain & Hager 2019) name them. Every one maps C channels of H×W to C
/// channels of H×W (stride 1, same padding).
public enum CellOperation: String, CaseIterable, Sendable, CustomStringConvertible {
  /// No edge: x ↦ 0.
  case none
  /// x ↦ x.
  case skipConnect = "skip_connect"
  /// ReLU → 1×1 convolution (no bias) → batch norm.
  case conv1x1 = "nor_conv_1x1"
  /// ReLU → 3×3 convolution (no bias) → batch norm.
  case conv3x3 = "nor_conv_3x3"
  /// 3×3 average pooling, stride 1, padding 1 (zero padding counted in the mean).
  case avgPool3x3 = "avg_pool_3x3"
  /// DARTS' separable convolution: `SharpSepConv` with C_mid = C.
  case sepConv3x3 = "sep_conv_3x3"
  /// sharpDARTS' dilated convolution: `SharpSepConv` whose first depthwise 3×3 has dilation 2.
  case dilConv3x3 = "dil_conv_3x3"
  /// sharpDARTS' "flood" convolution: `SharpSepConv` with C_mid = 4C.
  case floodConv3x3 = "flood_conv_3x3"

  /// NAS-Bench-201's five, in its order: none, skip_connect, nor_conv_1x1, nor_conv_3x3, avg_pool_3x3.
  public static let nasBench201: [CellOperation] = [.none, .skipConnect, .conv1x1, .conv3x3, .avgPool3x3]
  /// sharpDARTS' cell operations in this cell: none, skip_connect, avg_pool_3x3 and the
  /// SharpSepConv blocks sep_conv_3x3, dil_conv_3x3, flood_conv_3x3.
  public static let sharpDARTS: [CellOperation] = [.none, .skipConnect, .avgPool3x3, .sepConv3x3, .dilConv3x3, .floodConv3x3]

  /// The name.
  public var description: String { rawValue }

  /// Parses a list: `nb201`, `sharp`, or operation names separated by commas.
  public static func list(parsing text: String) throws -> [CellOperation] {
    switch text {
    case "nb201": return nasBench201
    case "sharp": return sharpDARTS
    default:
      let names = text.split(separator: ",").map { $0.trimmingCharacters(in: .whitespaces) }
      let operations = try names.map { name in
        guard let op = CellOperation(rawValue: name) else {
          throw NASError("unknown cell operation '\(name)': use nb201, sharp, or names from \(allCases.map(\.rawValue).joined(separator: ", "))")
        }
        return op
      }
      guard !operations.isEmpty, Set(operations).count == operations.count, operations.contains(where: { $0 != .none }) else {
        throw NASError("'\(text)': give distinct cell operations, at least one of them not none")
      }
      return operations
    }
  }

  /// The layer on `channels` channels; `affine` gives its batch norms γ and β (DARTS' search
  /// cells have none).
  public func layer(channels c: Int, affine: Bool = true, rng: inout SeededRNG) -> any Layer {
    switch self {
    case .none: Zero()
    case .skipConnect: Identity()
    case .conv1x1: ReLUConvBN(c, kernelSize: 1, affine: affine, rng: &rng)
    case .conv3x3: ReLUConvBN(c, kernelSize: 3, affine: affine, rng: &rng)
    case .avgPool3x3: AvgPool2d(3, stride: 1, padding: 1)
    case .sepConv3x3: SharpSepConv(c, c, middle: c, affine: affine, rng: &rng)
    case .dilConv3x3: SharpSepConv(c, c, middle: c, dilation: 2, affine: affine, rng: &rng)
    case .floodConv3x3: SharpSepConv(c, c, middle: 4 * c, affine: affine, rng: &rng)
    }
  }

  /// Trainable parameters (batch norms affine) and multiply–accumulates per example on C
  /// channels of `area` = H·W positions: a k×k ReLUConvBN has k²C² + 2C parameters and k²C²·HW
  /// multiply–accumulates, an average pool 9C·HW, a SharpSepConv with C_mid = M
  /// 9C + CM + 2M + 9M + MC + 2C parameters and (9C + CM + 9M + MC)·HW multiply–accumulates.
  public func cost(channels c: Int, area: Int) -> ArchitectureCost {
    func sharp(_ m: Int) -> ArchitectureCost {
      let weights = 9 * c + c * m + 9 * m + m * c
      return ArchitectureCost(parameters: weights + 2 * m + 2 * c, multiplyAccumulates: weights * area)
    }
    switch self {
    case .none, .skipConnect: return ArchitectureCost(parameters: 0, multiplyAccumulates: 0)
    case .conv1x1: return ArchitectureCost(parameters: c * c + 2 * c, multiplyAccumulates: c * c * area)
    case .conv3x3: return ArchitectureCost(parameters: 9 * c * c + 2 * c, multiplyAccumulates: 9 * c * c * area)
    case .avgPool3x3: return ArchitectureCost(parameters: 0, multiplyAccumulates: 9 * c * area)
    case .sepConv3x3, .dilConv3x3: return sharp(c)
    case .floodConv3x3: return sharp(4 * c)
    }
  }
}

extension ArchitectureCost {
  /// The sum of two costs.
  public static func + (a: ArchitectureCost, b: ArchitectureCost) -> ArchitectureCost {
    ArchitectureCost(parameters: a.parameters + b.parameters, multiplyAccumulates: a.multiplyAccumulates + b.multiplyAccumulates)
  }

  /// k copies of a cost.
  public static func * (k: Int, c: ArchitectureCost) -> ArchitectureCost {
    ArchitectureCost(parameters: k * c.parameters, multiplyAccumulates: k * c.multiplyAccumulates)
  }
}
