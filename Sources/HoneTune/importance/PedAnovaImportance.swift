import Foundation
import HoneMath

/// Hyperparameter importance by PED-ANOVA (Watanabe, Bansal & Hutter 2023, "PED-ANOVA:
/// Efficiently Quantifying Hyperparameter Importance in Arbitrary Subspaces"), as Optuna's
/// `PedAnovaImportanceEvaluator`.
///
/// The complete trials are ranked by loss (the value, negated when maximizing). The top set
/// holds those at or below the γ′-quantile (`targetQuantile`; ties all kept), the region set those at or below the γ-quantile (`regionQuantile`; 1 = every trial). For each
/// parameter, a one-dimensional Parzen estimator on a grid (≤ 50 points, log-spaced for log
/// parameters; one point per choice for categorical ones) gives the densities p_top and
/// p_region, and the importance is the Pearson divergence, scaled as in the paper:
///
///   I = (|top|/|region|)² · Σ_g p_region(g) · (p_top(g)/p_region(g) − 1)².
///
/// With `evaluateOnLocal == false` the reference density is uniform over the grid instead of
/// p_region. Importances are normalized to sum to 1 (equal shares when all are 0). Cost:
/// O(n log n + d·n·G) for n trials, d parameters and G grid points.
public struct PedAnovaImportance: Sendable {
  /// γ′: the quantile of the trials whose parameters are compared with the region's.
  public let targetQuantile: Double
  /// γ: the quantile of the trials that make the region (1: all of them).
  public let regionQuantile: Double
  /// Whether the reference density is the region's (true) or uniform (false).
  public let evaluateOnLocal: Bool

  /// An evaluator with Optuna's defaults (γ′ = 0.1, γ = 1).
  public init(targetQuantile: Double = 0.1, regionQuantile: Double = 1, evaluateOnLocal: Bool = true) throws {
    guard targetQuantile > 0, targetQuantile < regionQuantile, regionQuantile <= 1 else {
      throw TuneError.invalidArgument("PED-ANOVA needs 0 < target quantile < region quantile <= 1, got \(targetQuantile) and \(regionQuantile)")
    }
    self.targetQuantile = targetQuantile
    self.regionQuantile = regionQuantile
    self.evaluateOnLocal = evaluateOnLocal
  }

  /// The importance of each parameter that every complete trial has (with one distribution
  /// and more than one value), for objective `objective`, largest first.
  /// Throws when fewer than two complete trials have a finite value.
  public func importances(of trials: [FrozenTrial], direction: StudyDirection,
                          objective: Int = 0) throws -> [(name: String, importance: Double)] {
    let complete = trials.filter { $0.state == .complete && ($0.values?.count ?? 0) > objective && $0.values![objective].isFinite }
    guard complete.count >= 2 else {
      throw TuneError.invalidArgument("parameter importance needs at least 2 complete trials, the study has \(complete.count)")
    }
    let space = SearchSpace.intersection(of: complete)
    guard !space.isEmpty else {
      throw TuneError.invalidArgument("no parameter with more than one value is shared by all complete trials")
    }
    let losses = complete.map { direction == .minimize ? $0.values![objective] : -$0.values![objective] }
    let top = Self.indices(losses, atOrBelowQuantile: targetQuantile)
    let region = Self.indices(losses, atOrBelowQuantile: regionQuantile)
    let scale = pow(Double(top.count) / Double(region.count), 2)
    var raw: [(name: String, importance: Double)] = try space.keys.sorted().map { name in
      let grid = _ImportanceGrid(space[name]!)
      let cells = try complete.map { try grid.cell(of: $0.param(name)!) }
      let pTop = grid.density(top.map { cells[$0] })
      let pReference = evaluateOnLocal ? grid.density(region.map { cells[$0] }).map { $0 + 1e-12 }
                                       : Array(repeating: 1 / Double(grid.count), count: grid.count)
      var divergence = 0.0
      for (t, r) in zip(pTop, pReference) {
        let t = t + 1e-12
        divergence += r * (t / r - 1) * (t / r - 1)
      }
      return (name, scale * divergence)
    }
    let total = raw.reduce(0) { $0 + $1.importance }
    raw = raw.map { ($0.name, total > 0 ? $0.importance / total : 1 / Double(raw.count)) }
    return raw.sorted { $0.importance != $1.importance ? $0.importance > $1.importance : $0.name < $1.name }
  }

  /// The trials whose loss is at or below the q-quantile loss (the ⌈q·n⌉-th smallest); ties
  /// are all kept.
  static func indices(_ losses: [Double], atOrBelowQuantile q: Double) -> [Int] {
    let sorted = losses.sorted()
    let k = max(Int((q * Double(sorted.count)).rounded(.up)), 1)
    let cutoff = sorted[min(k, sorted.count) - 1]
    return losses.indices.filter { losses[$0] <= cutoff }
  }
}

extension Study {
  /// PED-ANOVA importances of the parameters for objective `objective` (see
  /// `PedAnovaImportance`), largest first, summing to 1.
  public func parameterImportances(objective: Int = 0, evaluator: PedAnovaImportance? = nil) throws -> [(name: String, importance: Double)] {
    guard directions.indices.contains(objective) else {
      throw TuneError.invalidArgument("objective \(objective) does not exist; the study has \(directions.count)")
    }
    return try (evaluator ?? PedAnovaImportance()).importances(of: trials(states: [.complete]), direction: directions[objective],
                                                             objective: objective)
  }
}

/// The grid on which PED-ANOVA compares densities of one parameter, and its discrete Parzen
/// estimator.
struct _ImportanceGrid {
  let distribution: Distribution
  /// Grid points (numeric) or choices (categorical).
  let count: Int
  /// The transformed range of a numeric parameter (log for log scales).
  private let low: Double, high: Double

  init(_ distribution: Distribution) {
    self.distribution = distribution
    switch distribution {
    case .float(let lo, let hi, let log, let step):
      low = log ? Foundation.log(lo) : lo
      high = log ? Foundation.log(hi) : hi
      count = step.map { min(50, Int(((hi - lo) / $0).rounded()) + 1) } ?? 50
    case .int(let lo, let hi, let log, let step):
      low = log ? Foundation.log(Double(lo)) : Double(lo)
      high = log ? Foundation.log(Double(hi)) : Double(hi)
      count = log ? min(50, Int(Foundation.log2(Double(hi - lo + 1)).rounded(.up)) + 1)
                  : min(50, Int((Double(hi - lo) / Double(step)).rounded()) + 1)
    case .categorical(let choices):
      (low, high) = (0, Double(choices.count - 1))
      count = choices.count
    }
  }

  /// The grid cell of a value: the nearest grid point (the lower one on a tie), or the choice.
  func cell(of value: ParamValue) throws -> Int {
    let internalValue = try distribution.internalValue(of: value)
    if case .categorical = distribution { return Int(internalValue) }
    let x = distribution.isLog ? log(internalValue) : internalValue
    let position = (x - low) / (high - low) * Double(count - 1)
    return min(max(Int((position - 0.5).rounded(.up)), 0), count - 1)
  }

  /// The Parzen estimate over the grid from these cells, with a prior kernel of weight 1.
  /// Numeric: a discretized normal per observed cell with one Scott's-rule bandwidth
  /// σ = 1.059·min(IQR/1.34, sd)·n^(−1/5) (at least 0.5/1.64 cells), truncated to the grid;
  /// the prior kernel is centred with σ = G. Categorical (C choices, K = observed choices + 1):
  /// an observation's kernel is 1 on its choice plus 1/K on every choice, normalized; the prior
  /// is uniform. Each observation weighs 1, the prior 1. Sums to 1.
  func density(_ cells: [Int]) -> [Double] {
    var counts = Array(repeating: 0.0, count: count)
    for c in cells { counts[c] += 1 }
    let n = Double(cells.count)
    var mass = Array(repeating: 0.0, count: count)
    if case .categorical = distribution {
      let (c, k) = (Double(count), Double(counts.filter { $0 > 0 }.count + 1))
      for j in 0..<count { mass[j] = (counts[j] * (1 + 1 / k) + (n - counts[j]) / k) / (1 + c / k) + 1 / c }
      return normalized(mass)
    }
    let sigma = Self.scottBandwidth(cells.sorted())
    for (j, weight) in counts.enumerated() where weight > 0 { add(kernel(mean: Double(j), sigma: sigma), weight: weight, to: &mass) }
    add(kernel(mean: Double(count - 1) / 2, sigma: Double(count)), weight: 1, to: &mass)
    return normalized(mass)
  }

  private func add(_ kernel: [Double], weight: Double, to mass: inout [Double]) {
    for j in mass.indices { mass[j] += weight * kernel[j] }
  }

  private func normalized(_ mass: [Double]) -> [Double] {
    let total = mass.reduce(0, +)
    return mass.map { $0 / total }
  }

  /// A normal's mass on each cell [j − ½, j + ½], over its mass on the whole grid.
  private func kernel(mean: Double, sigma: Double) -> [Double] {
    let edges = (0...count).map { Normal.cdf((Double($0) - 0.5 - mean) / sigma) }
    let total = max(edges[count] - edges[0], 1e-300)
    return (0..<count).map { (edges[$0 + 1] - edges[$0]) / total }
  }

  /// Scott's rule on sorted cell indices (the quartiles as Optuna takes them: the ⌊n/4⌋-th and
  /// the (⌊3n/4⌋ + 1)-th smallest).
  static func scottBandwidth(_ sorted: [Int]) -> Double {
    let n = sorted.count
    let values = sorted.map(Double.init)
    let mean = values.reduce(0, +) / Double(n)
    let sd = (values.reduce(0) { $0 + ($1 - mean) * ($1 - mean) } / Double(max(1, n - 1))).squareRoot()
    let iqr = values[min(3 * n / 4, n - 1)] - values[max(n / 4 - 1, 0)]
    return max(1.059 * min(iqr / 1.34, sd) * pow(Double(n), -0.2), 0.5 / 1.64)
  }
}
