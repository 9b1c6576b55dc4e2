/// True when a dominates b under minimization: aᵢ ≤ bᵢ for every i and aⱼ < bⱼ for some j.
public func dominates(_ a: [Double], _ b: [Double]) -> Bool {
  precondition(a.count == b.count, "dominates: points of different dimension (\(a.count) and \(b.count))")
  var strictly = false
  for (x, y) in zip(a, b) {
    if x > y { return false }
    if x < y { strictly = true }
  }
  return strictly
}

/// The indices of the non-dominated points (the Pareto front) under minimization, in input
/// order; duplicates of a front point are all kept — the first front of `nondominatedFronts`
/// (Deb et al. 2002, "A fast and elitist multiobjective genetic algorithm: NSGA-II").
///
/// Found without sorting the other fronts: the points are visited in lexicographic order, so
/// none can be dominated by a later one, and each is kept when no kept point dominates it
/// (Kung, Luccio & Preparata 1975's filter). O(n log n + n·f·m) for n points, f on the front.
public func paretoFrontIndices(_ points: [[Double]]) -> [Int] {
  if points.first?.count == 1 {
    // One objective: the points at the lowest value, found in one pass (a NaN point neither
    // dominates nor is dominated, so it is on the front too).
    guard let lowest = points.lazy.map({ $0[0] }).filter({ !$0.isNaN }).min() else { return Array(points.indices) }
    return points.indices.filter { points[$0][0] == lowest || points[$0][0].isNaN }
  }
  let order = points.indices.sorted { a, b in
    for (x, y) in zip(points[a], points[b]) where x != y { return x < y }
    return a < b
  }
  var front: [Int] = []
  for i in order where !front.contains(where: { dominates(points[$0], points[i]) }) { front.append(i) }
  return front.sorted()
}
