import Foundation

/// A numeric parameter as a coordinate on a line, the space where model-based samplers
/// (TPE, CMA-ES, NSGA-II, GP) work: log-scaled parameters in log space, grid parameters on
/// their grid. Categoricals have no such coordinate (nil).
///
/// - float: [low, high], or [log low, log high] with `log`; a float `step` is a grid;
/// - int: [low, high] on the grid of `step`; with `log`, the continuous range
///   [log(low − ½), log(high + ½)], so every integer owns an equal share of its log-width.
public struct ParamTransform: Sendable, Equatable {
  /// The distribution transformed.
  public let distribution: Distribution
  /// The coordinate of the smallest value.
  public let low: Double
  /// The coordinate of the largest value.
  public let high: Double
  /// The grid spacing of the coordinate; nil when it is continuous.
  public let step: Double?
  /// Whether the coordinate is the logarithm of the value.
  public let isLog: Bool

  /// The transform of a float or int distribution; nil for a categorical.
  public init?(_ distribution: Distribution) {
    self.distribution = distribution
    isLog = distribution.isLog
    switch distribution {
    case .float(let low, let high, let log, let step):
      self.low = log ? Foundation.log(low) : low
      self.high = log ? Foundation.log(high) : high
      self.step = step
    case .int(let low, let high, let log, let step):
      self.low = log ? Foundation.log(Double(low) - 0.5) : Double(low)
      self.high = log ? Foundation.log(Double(high) + 0.5) : Double(high)
      self.step = log ? nil : Double(step)
    case .categorical:
      return nil
    }
  }

  /// [low − step/2, high + step/2]: the continuous range a grid relaxes to, each grid
  /// point owning the cell around it. Equal to [low, high] without a step.
  public var relaxedBounds: (low: Double, high: Double) {
    (low - (step ?? 0) / 2, high + (step ?? 0) / 2)
  }

  /// The coordinate of a value of the distribution (given as its internal representation).
  @inline(__always) public func encode(_ internalValue: Double) -> Double {
    isLog ? Foundation.log(internalValue) : internalValue
  }

  /// The valid value nearest to coordinate `x`: clipped to the range, rounded to the grid,
  /// and, for log-scaled integers, rounded after exponentiating.
  public func decode(_ x: Double) -> ParamValue {
    switch distribution {
    case .float(let lo, let hi, let log, let step):
      if log { return .double(min(max(Foundation.exp(min(max(x, low), high)), lo), hi)) }
      guard let step else { return .double(min(max(x, lo), hi)) }
      let k = ((min(max(x, lo), hi) - lo) / step).rounded()
      return .double(min(lo + k * step, hi))
    case .int(let lo, let hi, let log, let step):
      if log { return .int(min(max(Int(Foundation.exp(min(max(x, low), high)).rounded()), lo), hi)) }
      let k = ((min(max(x, Double(lo)), Double(hi)) - Double(lo)) / Double(step)).rounded()
      return .int(min(lo + Int(k) * step, hi))
    case .categorical: preconditionFailure("categoricals have no coordinate")
    }
  }
}
