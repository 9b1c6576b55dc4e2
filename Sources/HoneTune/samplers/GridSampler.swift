import HoneMath

/// Exhaustive search over the cartesian product of given values. CLI name `grid`.
///
/// Each trial takes the first grid point, in an order shuffled by the seed, that no trial
/// of the study has taken yet (running trials count, so concurrent workers spread out);
/// once every point has been taken, the study is asked to stop, and any further trial
/// re-runs a point. The grid is the product over parameter names in sorted order: O(Π kᵢ)
/// points, O(n) per trial to find the visited ones.
public struct GridSampler: Sampler {
  /// The values of each parameter.
  public let searchSpace: [String: [ParamValue]]
  /// The seed of the visiting order.
  public let seed: UInt64
  private let names: [String]
  private let order: [Int]

  /// The largest grid a sampler takes (its visiting order is held in memory).
  public static let maxGridSize = 10_000_000

  /// A grid over `searchSpace`; every parameter needs at least one value, and the grid at
  /// most `maxGridSize` points.
  public init(searchSpace: [String: [ParamValue]], seed: UInt64? = nil) throws {
    guard !searchSpace.isEmpty, searchSpace.values.allSatisfy({ !$0.isEmpty }) else {
      throw TuneError.invalidDistribution("a grid needs at least one value for every parameter")
    }
    let size = try GridSampler.checkedSize(searchSpace.values.map(\.count))
    self.searchSpace = searchSpace
    self.seed = seed ?? _randomSeed()
    self.names = searchSpace.keys.sorted()
    var rng = SeededRNG(seed: self.seed, stream: 0x6121D)
    order = rng.permutation(size)
  }

  /// A grid over a search space where every distribution has finitely many values
  /// (steps, ints, categoricals); a continuous float is an error naming it.
  public init(space: [String: Distribution], seed: UInt64? = nil) throws {
    var grid: [String: [ParamValue]] = [:]
    for (name, distribution) in space {
      guard distribution.valueCount != nil else {
        throw TuneError.invalidDistribution("'\(name)': the grid sampler needs a step for a float range (or list the values)")
      }
    }
    _ = try GridSampler.checkedSize(space.values.map { $0.valueCount! })
    for (name, distribution) in space { grid[name] = distribution.allValues! }
    try self.init(searchSpace: grid, seed: seed)
  }

  /// The product of the value counts, or an error when it exceeds `maxGridSize`.
  private static func checkedSize(_ counts: [Int]) throws -> Int {
    var size = 1
    for count in counts {
      let (product, overflow) = size.multipliedReportingOverflow(by: count)
      guard !overflow, product <= maxGridSize else {
        throw TuneError.invalidDistribution("the grid has more than \(maxGridSize) points; give fewer values or use another sampler")
      }
      size = product
    }
    return size
  }

  /// The number of grid points.
  public var gridSize: Int { order.count }

  /// Implements `Sampler.relativeSearchSpace`.
  public func relativeSearchSpace(study: StudySnapshot, trial: FrozenTrial) throws -> [String: Distribution] {
    searchSpace.mapValues { .categorical($0) }
  }

  /// Implements `Sampler.sampleRelative`.
  public func sampleRelative(study: StudySnapshot, trial: FrozenTrial,
                             space: [String: Distribution]) throws -> [String: ParamValue] {
    let visited = try visitedPoints(study, excluding: trial.number)
    let index = order.first { !visited.contains($0) } ?? order[trial.number % order.count]
    return point(index)
  }

  /// Implements `Sampler.sampleIndependent`.
  public func sampleIndependent(study: StudySnapshot, trial: FrozenTrial, name: String,
                                distribution: Distribution) throws -> ParamValue {
    throw TuneError.unsupported("the grid has no parameter '\(name)'; add it to the grid's search space")
  }

  /// Implements `Sampler.afterTrial`.
  public func afterTrial(study: StudySnapshot, trial: FrozenTrial) throws {
    if try visitedPoints(study, excluding: nil).count >= order.count { study.requestStop() }
  }

  private func point(_ index: Int) -> [String: ParamValue] {
    var rest = index
    var result: [String: ParamValue] = [:]
    for name in names.reversed() {
      let values = searchSpace[name]!
      result[name] = values[rest % values.count]
      rest /= values.count
    }
    return result
  }

  private func index(of params: [String: ParamValue]) -> Int? {
    var index = 0
    for name in names {
      let values = searchSpace[name]!
      guard let value = params[name], let i = values.firstIndex(where: { $0 == value || ($0.doubleValue != nil && $0.doubleValue == value.doubleValue) }) else { return nil }
      index = index * values.count + i
    }
    return index
  }

  private func visitedPoints(_ study: StudySnapshot, excluding number: Int?) throws -> Set<Int> {
    Set(try study.allTrials().filter { $0.number != number && $0.state != .waiting }.compactMap { index(of: $0.params) })
  }
}
