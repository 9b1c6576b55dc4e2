/// The mean and the population standard deviation √(Σ(x − x̄)²/n) of `values` (0 and 0 when
/// empty). Two passes, O(n); when the squares overflow (|x − x̄| ≳ 1e154), a third pass sums
/// them scaled by the largest deviation, so the result stays finite for any finite values.
public func meanAndStandardDeviation(_ values: [Double]) -> (mean: Double, standardDeviation: Double) {
  guard !values.isEmpty else { return (0, 0) }
  let mean = values.reduce(0, +) / Double(values.count)
  let variance = values.reduce(0) { $0 + ($1 - mean) * ($1 - mean) } / Double(values.count)
  guard variance.isInfinite else { return (mean, variance.squareRoot()) }
  let largest = values.reduce(0) { max($0, abs($1 - mean)) }
  let scaled = values.reduce(0) { $0 + (($1 - mean) / largest) * (($1 - mean) / largest) } / Double(values.count)
  return (mean, scaled.squareRoot() * largest)
}
