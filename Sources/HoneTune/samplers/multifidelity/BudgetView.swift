/// The observations a multi-fidelity sampler models: the values of the trials at one budget.
///
/// The budget is a step of `Trial.report` (an epoch, say). As in BOHB (Falkner et al. 2018,
/// "BOHB: Robust and Efficient Hyperparameter Optimization at Scale", §4.2), the model is built
/// on the largest budget at which at least `minimumCount` trials have reported a finite value:
/// a Hyperband or successive-halving pruner stops most trials at its first rungs, so the low
/// budgets fill first and the model moves up as trials are promoted. Each trial that reached
/// the budget is shown as complete with its value there (pruned ones too: they reached it);
/// running trials that have not are kept as running (TPE's constant liar reads them); the rest
/// are left out. A study whose trials report nothing is shown as it is (the final values).
struct BudgetView {
  /// The step whose values are shown (nil: the final values).
  let budget: Int?
  /// The study as the model sees it.
  let study: StudySnapshot
  /// The trials with an observation at `budget`, best first (by the study's one direction).
  let ranked: [FrozenTrial]

  /// The view of `study` for the decision on `trial`, at the largest budget with
  /// `minimumCount(parameterCount)` observations.
  init(_ study: StudySnapshot, excluding trial: FrozenTrial, minimumCount: (Int) -> Int) throws {
    let all = try study.allTrials().filter { $0.number != trial.number }
    let direction = study.directions[0]
    var counts: [Int: Int] = [:]
    var names = Set<String>()
    for t in all where t.state != .failed && t.state != .waiting {
      for (step, value) in t.intermediateValues where value.isFinite { counts[step, default: 0] += 1 }
      if t.state == .complete || t.state == .pruned { names.formUnion(t.params.keys) }
    }
    let needed = minimumCount(names.count)
    let budget = counts.filter { $0.value >= needed }.keys.max()
    var shown: [FrozenTrial] = []
    var observed: [FrozenTrial] = []
    for t in all {
      if let budget {
        if let value = t.intermediateValues[budget], value.isFinite {
          var seen = t
          seen.state = .complete
          seen.values = [value]
          shown.append(seen)
          observed.append(seen)
        } else if t.state == .running {
          shown.append(t)
        }
      } else {
        shown.append(t)
        if t.state == .complete, let value = t.values?.first, value.isFinite { observed.append(t) }
      }
    }
    self.budget = budget
    self.study = budget == nil ? study : study.showing(shown)
    ranked = observed.sorted { direction.isBetter($0.values![0], than: $1.values![0]) }
  }
}
