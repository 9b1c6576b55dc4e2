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

/// The ranks of `values` from 0, ties given the mean of the ranks they span.
public func averageRanks(_ values: [Double]) -> [Double] {
  let order = values.indices.sorted { values[$0] < values[$1] }
  var ranks = [Double](repeating: 0, count: values.count)
  var start = 0
  while start < order.count {
    var end = start
    while end + 1 < order.count && values[order[end + 1]] == values[order[start]] { end += 1 }
    for k in start...end { ranks[order[k]] = Double(start + end) / 2 }
    start = end + 1
  }
  return ranks
}

/// Pearson's correlation Σ(x − x̄)(y − ȳ)/√(Σ(x − x̄)²·Σ(y − ȳ)²); 0 when either is constant.
public func pearsonCorrelation(_ x: [Double], _ y: [Double]) -> Double {
  precondition(x.count == y.count, "pearsonCorrelation: \(x.count) and \(y.count) values")
  let (mx, my) = (x.reduce(0, +) / Double(x.count), y.reduce(0, +) / Double(y.count))
  var (sxy, sxx, syy) = (0.0, 0.0, 0.0)
  for (a, b) in zip(x, y) {
    sxy += (a - mx) * (b - my)
    sxx += (a - mx) * (a - mx)
    syy += (b - my) * (b - my)
  }
  return sxx > 0 && syy > 0 ? sxy / (sxx * syy).squareRoot() : 0
}

/// Spearman's rank correlation: Pearson's correlation of the average ranks.
public func spearmanCorrelation(_ x: [Double], _ y: [Double]) -> Double {
  pearsonCorrelation(averageRanks(x), averageRanks(y))
}
