/// Search spaces that model-based samplers infer from the history of a define-by-run study,
/// where each trial may have suggested different parameters.
public enum SearchSpace {
  /// The parameters that every given trial has, each with one distribution shared by all of
  /// them, minus those with a single value (Optuna's `IntersectionSearchSpace`). Empty when
  /// there are no trials.
  public static func intersection<Trials: Sequence<FrozenTrial>>(of trials: Trials) -> [String: Distribution] {
    var iterator = trials.makeIterator()
    guard var space = iterator.next()?.distributions else { return [:] }
    while let trial = iterator.next() {
      if space.contains(where: { trial.distributions[$0.key] != $0.value }) {
        space = space.filter { trial.distributions[$0.key] == $0.value }
      }
    }
    return space.filter { !$0.value.isSingle }
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
