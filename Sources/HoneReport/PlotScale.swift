import Foundation

/// A map from data values to pixels along one axis, with its tick marks: linear (integer:
/// linear with whole-number ticks), log₁₀, or categorical (the value is the index of a label,
/// categories evenly spaced).
struct PlotScale {
  enum Kind { case linear, integer, log, categorical([String]) }
  let kind: Kind
  /// The data range (for log, in log₁₀ units; for categorical, −½…count − ½).
  private let low: Double, high: Double
  /// The pixel positions of `low` and `high`.
  let start: Double, end: Double

  /// A scale covering `values` with 5% padding; a single value gets a unit-wide range.
  init(_ kind: Kind, values: [Double], pixels: (Double, Double)) {
    self.kind = kind
    (start, end) = pixels
    if case .categorical(let labels) = kind {
      (low, high) = (-0.5, Double(max(labels.count, 1)) - 0.5)
      return
    }
    let data = values.filter(\.isFinite).map { if case .log = kind { return log10(max($0, .leastNormalMagnitude)) } else { return $0 } }
    // Clamped so that the span below cannot overflow.
    var (lo, hi) = (max(data.min() ?? 0, -1e300), min(data.max() ?? 1, 1e300))
    if hi - lo < 1e-12 * max(abs(lo), 1) { (lo, hi) = (lo - max(abs(lo) * 0.1, 0.5), hi + max(abs(hi) * 0.1, 0.5)) }
    let pad = (hi - lo) * 0.05
    (low, high) = (lo - pad, hi + pad)
  }

  /// The pixel position of a data value.
  func position(_ value: Double) -> Double {
    let x: Double
    if case .log = kind { x = log10(max(value, .leastNormalMagnitude)) } else { x = value }
    return start + (x - low) / (high - low) * (end - start)
  }

  /// Tick values (in data units) with their labels: "nice" 1-2-5 steps for linear, powers of
  /// ten (and 2, 5 within a short range) for log, every label for categorical.
  var ticks: [(value: Double, label: String)] {
    switch kind {
    case .categorical(let labels): return labels.enumerated().map { (Double($0.offset), $0.element) }
    case .linear, .integer:
      var step = Self.niceStep((high - low) / 5)
      if case .integer = kind { step = max(step, 1) }
      let first = (low / step).rounded(.up)
      return stride(from: first * step, through: high, by: step).map { ($0, Self.label(abs($0) < step * 1e-9 ? 0 : $0)) }
    case .log:
      let decades = Int(low.rounded(.down))...Int(high.rounded(.up))
      let multiples: [Double] = decades.count <= 3 ? [1, 2, 5] : [1]
      let ticks = decades.flatMap { d in multiples.map { m in m * pow(10, Double(d)) } }
        .filter { log10($0) >= low && log10($0) <= high }.map { ($0, Self.label($0)) }
      // A range narrower than the 1-2-5 marks gets its two ends labelled instead.
      return ticks.count >= 2 ? ticks : [low + (high - low) * 0.1, high - (high - low) * 0.1].map { (pow(10, $0), Self.label(pow(10, $0))) }
    }
  }

  /// The smallest of 1, 2, 5 × 10^k at least `raw`.
  static func niceStep(_ raw: Double) -> Double {
    guard raw > 0, raw.isFinite else { return 1 }
    let magnitude = pow(10, (log10(raw)).rounded(.down))
    return [1, 2, 5, 10].map { $0 * magnitude }.first { $0 >= raw * (1 - 1e-9) }!
  }

  /// A short label: up to 4 significant digits.
  static func label(_ value: Double) -> String { String(format: "%.4g", value) }
}
