/// Search spaces that model-based samplers infer from the history of a define-by-run study,
/// where each trial may have suggested different parameters.
public enum SearchSpace {
  /// The parameters that every given trial (whose state `includes` accepts) has, each with
  /// one distribution shared by all of them, minus those with a single value (Optuna's
  /// `IntersectionSearchSpace`). Empty when there are no trials.
  public static func intersection(of trials: [FrozenTrial], includes: (TrialState) -> Bool = { _ in true }) -> [String: Distribution] {
    // Indices and stored fields only: passing `trials[i]` on would copy the whole trial.
    func included(_ i: Int) -> Bool { includes(trials[i].state) }
    guard let start = trials.indices.first(where: included) else { return [:] }
    let first = trials[start].distributions
    var names = Array(first.keys), distributions = Array(first.values)
    // A trial whose space equals one already checked needs no lookups (storage shares equal
    // spaces, and equal dictionaries sharing storage compare in O(1)).
    var checked = first
    for i in trials.indices.dropFirst(start + 1) where included(i) {
      if trials[i].distributions == checked { continue }
      checked = trials[i].distributions
      var k = 0
      while k < names.count {
        if checked[names[k]] == distributions[k] { k += 1; continue }
        names.remove(at: k)
        distributions.remove(at: k)
      }
    }
    // Every trial had the first one's space: it is the intersection, shared, unless it holds
    // single-valued parameters.
    if names.count == first.count && !distributions.contains(where: \.isSingle) { return first }
    var space: [String: Distribution] = [:]
    space.reserveCapacity(names.count)
    for (name, distribution) in zip(names, distributions) where !distribution.isSingle { space[name] = distribution }
    return space
  }

  /// Group decomposition (Optuna's `_GroupDecomposedSearchSpace`): the parameters split into
  /// disjoint groups such that every trial has either all or none of a group, so that a
  /// conditional space (`if optimizer == "sgd" { momentum … }`) becomes groups that are each
  /// modelled jointly on the trials that have them. Groups in order of first appearance;
  /// single-valued parameters left out.
  public static func groups(of trials: [FrozenTrial]) -> [[String: Distribution]] {
    var groups: [[String: Distribution]] = []
    for trial in trials {
      let names = Set(trial.distributions.keys)
      var next: [[String: Distribution]] = []
      for group in groups {
        let inside = group.filter { names.contains($0.key) && trial.distributions[$0.key] == $0.value }
        let outside = group.filter { inside[$0.key] == nil }
        if !inside.isEmpty { next.append(inside) }
        if !outside.isEmpty { next.append(outside) }
      }
      let seen = Set(groups.flatMap(\.keys))
      let fresh = trial.distributions.filter { !seen.contains($0.key) }
      if !fresh.isEmpty { next.append(fresh) }
      groups = next
    }
    return groups.map { $0.filter { !$0.value.isSingle } }.filter { !$0.isEmpty }
  }
}
