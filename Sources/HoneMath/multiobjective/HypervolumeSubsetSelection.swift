/// Greedy hypervolume subset selection (HSSP): `count` of the points chosen one at a time,
/// each the point that adds the most hypervolume to those already chosen (the first on
/// ties). The hypervolume is monotone submodular, so the greedy subset has at least
/// (1 − 1/e) of the best subset's hypervolume (Guerreiro, Fonseca & Paquete 2016, "Greedy
/// hypervolume subset selection in low dimensions", Evolutionary Computation 24(3)). MOTPE
/// uses it to break ties within a non-domination rank. Returns indices in order of choice;
/// all indices when `count` ≥ the number of points.
public func hypervolumeSubsetSelection(_ points: [[Double]], count: Int, reference: [Double]) -> [Int] {
  guard count < points.count else { return Array(points.indices) }
  var chosen: [Int] = []
  var chosenPoints: [[Double]] = []
  var remaining = Array(points.indices)
  var base = 0.0
  // An upper bound of each point's gain: its gain against a subset of the current choice
  // (submodularity), so most candidates need no new hypervolume (lazy greedy).
  var bound = points.map { p in zip(reference, p).reduce(1.0) { $0 * max($1.0 - $1.1, 0) } }
  while chosen.count < count {
    var best = -1, bestGain = -Double.infinity
    for i in remaining.sorted(by: { (bound[$0], -$0) > (bound[$1], -$1) }) {
      if bound[i] < bestGain || (bound[i] == bestGain && i > best) { break }
      let gain = hypervolume(chosenPoints + [points[i]], reference: reference) - base
      bound[i] = gain
      if gain > bestGain || (gain == bestGain && i < best) { best = i; bestGain = gain }
    }
    chosen.append(best)
    chosenPoints.append(points[best])
    base += max(bestGain, 0)
    remaining.removeAll { $0 == best }
  }
  return chosen
}
