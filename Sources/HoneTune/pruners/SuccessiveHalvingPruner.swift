import Foundation

/// Asynchronous successive halving (Li et al. 2020, "A System for Massively Parallel
/// Hyperparameter Tuning" — ASHA), as Optuna's `SuccessiveHalvingPruner`. CLI name `asha`.
///
/// Rung k is reached at step r·η^(s + k) (r the minimum resource, η the reduction factor,
/// s the minimum early-stopping rate). A trial reaching a rung records its value there
/// (system attribute `completed_rung_k`) and continues only if it is in the top 1/η of the
/// values recorded at that rung so far (its own included); otherwise it is pruned. With
/// `minResource` nil, r = max(1, ⌊(largest last step of a complete trial)/100⌋), and nothing
/// is pruned before a trial has completed. Steps may be sparse. O(n) per decision.
public struct SuccessiveHalvingPruner: Pruner {
  /// r (nil: estimated as above).
  public let minResource: Int?
  /// η ≥ 2.
  public let reductionFactor: Int
  /// s ≥ 0.
  public let minEarlyStoppingRate: Int

  /// ASHA with Optuna's defaults (r automatic, η = 4, s = 0).
  public init(minResource: Int? = nil, reductionFactor: Int = 4, minEarlyStoppingRate: Int = 0) throws {
    guard minResource.map({ $0 >= 1 }) ?? true, reductionFactor >= 2, minEarlyStoppingRate >= 0 else {
      throw TuneError.invalidArgument("ASHA needs minResource >= 1, reductionFactor >= 2 and minEarlyStoppingRate >= 0")
    }
    self.minResource = minResource
    self.reductionFactor = reductionFactor
    self.minEarlyStoppingRate = minEarlyStoppingRate
  }

  /// Implements `Pruner.checkDirections`: one objective only.
  public func checkDirections(_ directions: [StudyDirection]) throws {
    _ = try _PrunerSteps.singleDirection(directions, "successive halving")
  }

  /// Implements `Pruner.shouldPrune`.
  public func shouldPrune(study: StudySnapshot, trial: FrozenTrial) throws -> Bool {
    let direction = try _PrunerSteps.singleDirection(study.directions, "successive halving")
    let all = try study.allTrials()
    return try Self.decide(study: study, trial: trial, candidates: all, direction: direction, minResource: minResource,
                           reductionFactor: reductionFactor, rate: minEarlyStoppingRate)
  }

  /// The ASHA decision for `trial` against the rung values recorded by `candidates`.
  static func decide(study: StudySnapshot, trial: FrozenTrial, candidates: [FrozenTrial], direction: StudyDirection,
                     minResource: Int?, reductionFactor: Int, rate: Int) throws -> Bool {
    guard let (step, value) = trial.lastIntermediateValue else { return false }
    let stored = candidates.first { $0.id == trial.id } ?? trial
    var rung = 0
    while stored.state(rungState(rung)) != nil { rung += 1 }
    let resource: Int
    if let minResource {
      resource = minResource
    } else {
      guard let longest = _PrunerSteps.longestCompleteStep(candidates) else { return false }
      resource = max(longest / 100, 1)
    }
    while true {
      let promotionStep = Double(resource) * pow(Double(reductionFactor), Double(rate + rung))
      if Double(step) < promotionStep { return false }
      if value.isNaN { return true }
      let key = rungState(rung)
      try study.setState(key, value, of: trial)
      var competing = candidates.filter { $0.id != trial.id }.compactMap { $0.state(key) }
      competing.append(value)
      if !promotable(value, competing, reductionFactor, direction) { return true }
      rung += 1
    }
  }

  /// The trial state with its value at rung k, under Optuna's name and layout
  /// (`completed_rung_k`, the bare value), which Optuna's pruner reads too.
  static func rungState(_ rung: Int) -> StateKey<Double> { StateKey("asha", "completed_rung_\(rung)", format: .optuna) }

  /// In the top 1/η of the values at the rung (at least the best one).
  static func promotable(_ value: Double, _ competing: [Double], _ reductionFactor: Int, _ direction: StudyDirection) -> Bool {
    let sorted = competing.sorted()
    let index = max(competing.count / reductionFactor - 1, 0)
    return direction == .maximize ? value >= sorted[sorted.count - 1 - index] : value <= sorted[index]
  }
}
