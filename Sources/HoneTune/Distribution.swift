import Foundation

/// The set a hyperparameter is drawn from, with Optuna's semantics.
///
/// - `float(low, high, log, step)`: a real in [low, high]; `log` samples uniformly in
///   log space (needs low > 0); `step` restricts to low, low + step, …, high (needs step to
///   divide high − low; not with `log`).
/// - `int(low, high, log, step)`: an integer in [low, high] on the grid low + k·step;
///   `log` needs low ≥ 1 and step 1.
/// - `categorical(choices)`: one of a non-empty list of distinct strings, ints, doubles or bools.
///
/// Every value has an internal representation as a `Double` (the number itself, or the
/// choice's index), which is what samplers model and what storage keeps beside the
/// distribution.
public enum Distribution: Hashable, Sendable {
  case float(low: Double, high: Double, log: Bool = false, step: Double? = nil)
  case int(low: Int, high: Int, log: Bool = false, step: Int = 1)
  case categorical([ParamValue])

  /// Checks the rules above; the error names `name` and says what to fix.
  public func validate(name: String = "parameter") throws {
    func fail(_ reason: String) -> TuneError { .invalidDistribution("'\(name)': \(reason)") }
    switch self {
    case .float(let low, let high, let log, let step):
      guard low.isFinite, high.isFinite, (high - low).isFinite else { throw fail("low, high and high - low must be finite numbers") }
      guard low <= high else { throw fail("low (\(low)) must not exceed high (\(high))") }
      if log, low <= 0 { throw fail("a log-scaled range needs low > 0, got \(low)") }
      if let step {
        guard !log else { throw fail("step and log cannot be used together") }
        guard step > 0, step.isFinite else { throw fail("step must be positive, got \(step)") }
        let count = (high - low) / step
        guard count <= Distribution.exactIntegerLimit else { throw fail("step \(step) gives more than 2^53 values; use a larger step") }
        guard abs(count - count.rounded()) <= 1e-9 * max(1, count) else {
          throw fail("step \(step) does not divide the range \(high) - \(low)")
        }
      }
    case .int(let low, let high, let log, let step):
      guard low <= high else { throw fail("low (\(low)) must not exceed high (\(high))") }
      let limit = Int(Distribution.exactIntegerLimit)
      guard (-limit...limit).contains(low), (-limit...limit).contains(high) else {  // abs(Int.min) would trap
        throw fail("integer bounds must be within ±2^53 (\(limit)), where every integer is exact as a double")
      }
      guard step >= 1 else { throw fail("step must be at least 1, got \(step)") }
      if log, low < 1 { throw fail("a log-scaled integer range needs low >= 1, got \(low)") }
      if log, step != 1 { throw fail("step and log cannot be used together") }
      guard (high - low) % step == 0 else { throw fail("step \(step) does not divide the range \(high) - \(low)") }
    case .categorical(let choices):
      guard !choices.isEmpty else { throw fail("a categorical needs at least one choice") }
      guard Set(choices).count == choices.count else {
        throw fail("the choices contain duplicates: \(choices.map(\.description))")
      }
      if choices.contains(where: { if case .double(let d) = $0 { return !d.isFinite } else { return false } }) {
        throw fail("choices must be finite")
      }
    }
  }

  /// 2^53: integers up to this size are exact as doubles, the internal representation.
  public static let exactIntegerLimit: Double = 9_007_199_254_740_992

  /// How many values the distribution has; nil for a continuous float range.
  public var valueCount: Int? {
    switch self {
    case .float(let low, let high, _, let step):
      if low == high { return 1 }
      guard let step else { return nil }
      return Int(((high - low) / step).rounded()) + 1
    case .int(let low, let high, _, let step): return (high - low) / step + 1
    case .categorical(let choices): return choices.count
    }
  }

  /// True when the distribution has exactly one value (nothing to sample).
  public var isSingle: Bool {
    switch self {
    case .float(let low, let high, _, _): return low == high
    case .int(let low, let high, _, _): return low == high
    case .categorical(let choices): return choices.count == 1
    }
  }

  /// True for a float or int range sampled on a log scale.
  public var isLog: Bool {
    switch self {
    case .float(_, _, let log, _), .int(_, _, let log, _): return log
    case .categorical: return false
    }
  }

  /// The value as this distribution holds it (an int for a float distribution becomes a
  /// double, an integral double for an int distribution becomes an int), or nil when the
  /// value is not in the distribution.
  public func coerce(_ value: ParamValue) -> ParamValue? {
    switch self {
    case .float(let low, let high, _, let step):
      guard let x = value.doubleValue, x >= low, x <= high else { return nil }
      if let step {
        let k = (x - low) / step
        guard abs(k - k.rounded()) <= 1e-8 * max(1, k) else { return nil }
      }
      return .double(x)
    case .int(let low, let high, _, let step):
      guard let x = value.doubleValue, x == x.rounded(), x >= Double(low), x <= Double(high) else { return nil }
      let i = Int(x)
      return (i - low) % step == 0 ? .int(i) : nil
    case .categorical(let choices):
      if choices.contains(value) { return value }
      if let x = value.doubleValue {
        return choices.first { $0.doubleValue == x && !($0 == .bool(true) || $0 == .bool(false)) }
      }
      return nil
    }
  }

  /// True when `value` is one of the distribution's values.
  public func contains(_ value: ParamValue) -> Bool { coerce(value) != nil }

  /// The internal representation: the number itself, or the index of the choice.
  public func internalValue(of value: ParamValue) throws -> Double {
    guard let v = coerce(value) else {
      throw TuneError.invalidArgument("value \(value) is not in the distribution \(self.json)")
    }
    if case .categorical(let choices) = self { return Double(choices.firstIndex(of: v)!) }
    return v.doubleValue!
  }

  /// The value of an internal representation (inverse of `internalValue(of:)`).
  public func value(fromInternal x: Double) -> ParamValue {
    switch self {
    case .float: return .double(x)
    case .int: return .int(Int(x.rounded()))
    case .categorical(let choices): return choices[min(max(Int(x.rounded()), 0), choices.count - 1)]
    }
  }

  /// The value at the unit coordinate u ∈ [0, 1): uniform (or log-uniform) for ranges, an
  /// equal share of [0, 1) for each grid point or choice. Random and quasi-random sampling
  /// both go through this map.
  public func value(atUnit u: Double) -> ParamValue {
    let u = min(max(u, 0), 1)
    switch self {
    case .float(let low, let high, let log, let step):
      if let step {
        let count = Int(((high - low) / step).rounded())
        return .double(min(low + Double(min(Int(u * Double(count + 1)), count)) * step, high))
      }
      if log { return .double(min(max(Foundation.exp(Foundation.log(low) + u * (Foundation.log(high) - Foundation.log(low))), low), high)) }
      return .double(min(low + u * (high - low), high))
    case .int(let low, let high, let log, let step):
      if log {
        let a = Foundation.log(Double(low) - 0.5), b = Foundation.log(Double(high) + 0.5)
        return .int(min(max(Int(Foundation.exp(a + u * (b - a)).rounded()), low), high))
      }
      let count = (high - low) / step
      return .int(low + min(Int(u * Double(count + 1)), count) * step)
    case .categorical(let choices):
      return choices[min(Int(u * Double(choices.count)), choices.count - 1)]
    }
  }

  /// Every value, for distributions with finitely many (steps, ints, categoricals); nil
  /// for continuous floats.
  public var allValues: [ParamValue]? {
    switch self {
    case .float(let low, let high, _, let step):
      if low == high { return [.double(low)] }
      guard let step else { return nil }
      let count = Int(((high - low) / step).rounded())
      return (0...count).map { .double(min(low + Double($0) * step, high)) }
    case .int(let low, let high, _, let step):
      return stride(from: low, through: high, by: step).map { .int($0) }
    case .categorical(let choices):
      return choices
    }
  }
}
