/// The unary R2 indicator (Hansen & Jaszkiewicz 1998; Brockhoff, Wagner & Trautmann 2012,
/// "On the properties of the R2 indicator", GECCO) with the weighted Tchebycheff utility,
/// under minimization:
///
///     R2(A; W, z*) = (1/|W|) Σ_{w ∈ W} min_{a ∈ A} max_j w_j · |z*_j − a_j|
///
/// where z* is an ideal point (at least as good as every point in each objective) and W a
/// set of weight vectors. Lower is better; unlike the hypervolume it costs O(|W|·|A|·m).
public func r2Indicator(_ points: [[Double]], weights: [[Double]], ideal: [Double]) -> Double {
  precondition(!points.isEmpty && !weights.isEmpty, "r2Indicator: needs at least one point and one weight vector")
  var total = 0.0
  for w in weights {
    precondition(w.count == ideal.count, "r2Indicator: a weight vector of dimension \(w.count) and an ideal point of dimension \(ideal.count)")
    var best = Double.infinity
    for a in points {
      precondition(a.count == ideal.count, "r2Indicator: a point of dimension \(a.count) and an ideal point of dimension \(ideal.count)")
      var utility = 0.0
      for j in 0..<ideal.count { utility = max(utility, w[j] * abs(ideal[j] - a[j])) }
      best = min(best, utility)
    }
    total += best
  }
  return total / Double(weights.count)
}

/// The simplex-lattice weight vectors of Das & Dennis (1998): every vector of m
/// non-negative multiples of 1/divisions that sum to 1; C(divisions + m − 1, m − 1) of them.
public func simplexLatticeWeights(objectives m: Int, divisions: Int) -> [[Double]] {
  precondition(m >= 1 && divisions >= 1, "simplexLatticeWeights: needs m >= 1 objectives and divisions >= 1")
  var result: [[Double]] = []
  var current: [Int] = []
  func fill(_ remaining: Int, _ left: Int) {
    if left == 1 {
      result.append((current + [remaining]).map { Double($0) / Double(divisions) })
      return
    }
    for k in 0...remaining {
      current.append(k)
      fill(remaining - k, left - 1)
      current.removeLast()
    }
  }
  fill(divisions, m)
  return result
}
