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
/// order; duplicates of a front point are all kept. The first front of `nondominatedFronts`
/// (Deb et al. 2002, "A fast and elitist multiobjective genetic algorithm: NSGA-II").
public func paretoFrontIndices(_ points: [[Double]]) -> [Int] {
  nondominatedFronts(points).first ?? []
}
