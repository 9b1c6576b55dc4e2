/// The fronts of the fast non-dominated sort (Deb et al. 2002, "A fast and elitist
/// multiobjective genetic algorithm: NSGA-II", IEEE TEVC 6(2), §III-A), under
/// minimization: front 0 holds the points nothing dominates, front k the points dominated
/// only by points of fronts < k. Indices within a front are in input order. O(m·n²) for
/// n points of m objectives.
public func nondominatedFronts(_ points: [[Double]]) -> [[Int]] {
  let n = points.count
  let m = points.first?.count ?? 0
  precondition(points.allSatisfy { $0.count == m }, "nondominatedFronts: points of different dimensions")
  let flat = points.flatMap { $0 }
  var dominatedBy = [Int](repeating: 0, count: n)   // how many points dominate i
  var dominating = [[Int]](repeating: [], count: n) // the points i dominates
  flat.withUnsafeBufferPointer { x in
    for i in 0..<n {
      for j in (i + 1)..<n {
        // One pass decides i ≺ j, j ≺ i, or neither.
        var iBetter = false, jBetter = false
        for k in 0..<m {
          let a = x[i * m + k], b = x[j * m + k]
          if a < b { iBetter = true } else if b < a { jBetter = true }
          if iBetter && jBetter { break }
        }
        if iBetter && !jBetter {
          dominating[i].append(j); dominatedBy[j] += 1
        } else if jBetter && !iBetter {
          dominating[j].append(i); dominatedBy[i] += 1
        }
      }
    }
  }
  var fronts: [[Int]] = []
  var current = (0..<n).filter { dominatedBy[$0] == 0 }
  while !current.isEmpty {
    fronts.append(current)
    var next: [Int] = []
    for i in current {
      for j in dominating[i] {
        dominatedBy[j] -= 1
        if dominatedBy[j] == 0 { next.append(j) }
      }
    }
    current = next.sorted()
  }
  return fronts
}

/// The rank of every point: the index of its front in `nondominatedFronts` (0 = Pareto front).
public func nondominatedRanks(_ points: [[Double]]) -> [Int] {
  var ranks = [Int](repeating: 0, count: points.count)
  for (rank, front) in nondominatedFronts(points).enumerated() { for i in front { ranks[i] = rank } }
  return ranks
}

/// The crowding distance of each point of one front (Deb et al. 2002, §III-B): the sum over
/// objectives of the gap between a point's two neighbours in that objective, divided by
/// the objective's range; the extreme points of every objective get +∞. Larger means
/// lonelier, which NSGA-II prefers to keep a front spread out. O(m·n log n).
public func crowdingDistances(_ points: [[Double]]) -> [Double] {
  let n = points.count
  guard n > 2 else { return [Double](repeating: .infinity, count: n) }
  var distance = [Double](repeating: 0, count: n)
  for objective in 0..<points[0].count {
    let order = (0..<n).sorted { (points[$0][objective], $0) < (points[$1][objective], $1) }
    let low = points[order[0]][objective], high = points[order[n - 1]][objective]
    distance[order[0]] = .infinity
    distance[order[n - 1]] = .infinity
    guard high > low else { continue }
    for k in 1..<(n - 1) {
      distance[order[k]] += (points[order[k + 1]][objective] - points[order[k - 1]][objective]) / (high - low)
    }
  }
  return distance
}
