import Foundation
import HoneMath

/// The split of TPE's history into the good ("below", modelled by l(x)) and the rest
/// ("above", g(x)), as Optuna does it (Watanabe 2023 §3.1):
///
/// 1. the best n_below feasible complete trials — by value for one objective; for several,
///    whole non-domination ranks, the last rank thinned by greedy hypervolume subset
///    selection with the reference point max(1.1·w, 0.9·w), w the rank's worst values
///    (MOTPE, Ozaki et al. 2022, "Multiobjective tree-structured Parzen estimator", JAIR 73);
/// 2. then pruned trials, those stopped later first and, at the same step, by their last
///    value (only for one objective; with several, pruned trials go above);
/// 3. then infeasible trials (`Trial.setConstraints`), by total violation;
/// 4. running trials (the constant liar) always above.
///
/// Both parts come back in trial-number order.
enum TPESplit {
  /// The indices of `trials` that go below and above, each in the given order (trial
  /// number order when `trials` is); trials outside `considered` (by index) go nowhere.
  static func split(_ trials: [FrozenTrial], considered: (Int) -> Bool = { _ in true }, directions: [StudyDirection],
                    below count: Int) -> (below: [Int], above: [Int]) {
    var complete: [Int] = [], pruned: [Int] = [], infeasible: [Int] = []
    for i in trials.indices where trials[i].state != .running && considered(i) {
      if FrozenTrial.violation(in: trials[i].systemAttrs) > 0 { infeasible.append(i) }
      else if trials[i].state == .complete { complete.append(i) }
      else if trials[i].state == .pruned { pruned.append(i) }
    }
    var chosen = [Bool](repeating: false, count: trials.count)
    var remaining = count
    func choose<S: Sequence<Int>>(_ indices: S) {
      for i in indices where !chosen[i] { chosen[i] = true; remaining -= 1 }
    }
    if directions.count == 1 {
      let sign = directions[0] == .minimize ? 1.0 : -1.0
      choose(smallest(remaining, of: complete) { sign * trials[$0].values![0] })
    } else {
      choose(multiObjectiveBelow(complete.map { trials[$0].losses(directions) }, count: remaining).map { complete[$0] })
    }
    if directions.count == 1, remaining > 0 {
      let keys = pruned.map { prunedKey(trials[$0], directions[0]) }
      let order = pruned.indices.sorted { keys[$0] < keys[$1] }
      choose(order.prefix(remaining).map { pruned[$0] })
    }
    if remaining > 0 {
      let violation = Dictionary(uniqueKeysWithValues: infeasible.map { ($0, FrozenTrial.violation(in: trials[$0].systemAttrs)) })
      let order = infeasible.sorted { (violation[$0]!, $0) < (violation[$1]!, $1) }
      choose(order.prefix(remaining))
    }
    var below: [Int] = [], above: [Int] = []
    for i in trials.indices where trials[i].state != .failed && trials[i].state != .waiting && considered(i) {
      if chosen[i] { below.append(i) } else { above.append(i) }
    }
    return (below, above)
  }

  /// The `count` elements of `items` with the smallest keys (the earlier on ties), in one
  /// pass keeping a sorted shortlist — O(n·count) at worst, about O(n) when count ≪ n.
  static func smallest(_ count: Int, of items: [Int], key: (Int) -> Double) -> [Int] {
    guard count > 0 else { return [] }
    var shortlist: [(key: Double, item: Int)] = []
    shortlist.reserveCapacity(count + 1)
    for item in items {
      let k = key(item)
      if shortlist.count == count, k >= shortlist[count - 1].key { continue }
      let at = shortlist.firstIndex { k < $0.key } ?? shortlist.count
      shortlist.insert((k, item), at: at)
      if shortlist.count > count { shortlist.removeLast() }
    }
    return shortlist.map(\.item)
  }

  /// A pruned trial's rank key: (−last step, last value as a loss); no report ranks last.
  private static func prunedKey(_ trial: FrozenTrial, _ direction: StudyDirection) -> (Double, Double, Int) {
    guard let last = trial.lastIntermediateValue else { return (1, 0, trial.number) }
    let loss = direction == .minimize ? last.value : -last.value
    return (-Double(last.step), loss.isNaN ? .infinity : loss, trial.number)
  }

  /// The indices of the `count` best loss vectors: whole non-domination ranks, then greedy
  /// hypervolume subset selection within the first rank that does not fit.
  static func multiObjectiveBelow(_ losses: [[Double]], count: Int) -> [Int] {
    var chosen: [Int] = []
    for front in nondominatedFronts(losses) {
      guard chosen.count < count else { break }
      if chosen.count + front.count <= count { chosen += front; continue }
      let points = front.map { losses[$0] }
      let worst = points[0].indices.map { j in points.map { $0[j] }.max()! }
      let reference = worst.map { w -> Double in
        let r = max(1.1 * w, 0.9 * w)
        return r == 0 ? 1e-12 : r
      }
      guard reference.allSatisfy(\.isFinite) else { chosen += front.prefix(count - chosen.count); break }
      chosen += hypervolumeSubsetSelection(points, count: count - chosen.count, reference: reference).map { front[$0] }
    }
    return chosen
  }
}
