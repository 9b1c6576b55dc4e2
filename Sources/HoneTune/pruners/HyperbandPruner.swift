import Foundation
import HoneMath

/// Hyperband (Li et al. 2018, "Hyperband: A Novel Bandit-Based Approach to Hyperparameter
/// Optimization") over asynchronous successive halving, as Optuna's `HyperbandPruner`.
/// CLI name `hyperband`.
///
/// With n = ⌊log_η(R/r)⌋ + 1 brackets, bracket i runs ASHA with minimum early-stopping rate i
/// among its own trials only. Each trial joins a bracket at random (a stable hash of its
/// number), with probability proportional to the bracket's budget ⌈n·η^(n−1−i)/(n − i)⌉.
/// With `maxResource` nil, R is the largest last step of the first complete trials; nothing
/// is pruned before one exists.
public struct HyperbandPruner: Pruner {
  /// r ≥ 1.
  public let minResource: Int
  /// R (nil: from the complete trials).
  public let maxResource: Int?
  /// η ≥ 2.
  public let reductionFactor: Int

  /// Hyperband with Optuna's defaults (r = 1, R automatic, η = 3).
  public init(minResource: Int = 1, maxResource: Int? = nil, reductionFactor: Int = 3) throws {
    guard minResource >= 1, maxResource.map({ $0 >= minResource }) ?? true, reductionFactor >= 2 else {
      throw TuneError.invalidArgument("Hyperband needs 1 <= minResource <= maxResource and reductionFactor >= 2")
    }
    self.minResource = minResource
    self.maxResource = maxResource
    self.reductionFactor = reductionFactor
  }

  /// Implements `Pruner.checkDirections`: one objective only.
  public func checkDirections(_ directions: [StudyDirection]) throws {
    _ = try _PrunerSteps.singleDirection(directions, "hyperband")
  }

  /// Implements `Pruner.shouldPrune`.
  public func shouldPrune(study: StudySnapshot, trial: FrozenTrial) throws -> Bool {
    let direction = try _PrunerSteps.singleDirection(study.directions, "hyperband")
    let all = try study.allTrials()
    let resource = maxResource ?? _PrunerSteps.longestCompleteStep(all)
    guard let resource else { return false }
    let budgets = Self.budgets(brackets: brackets(maxResource: resource), reductionFactor: reductionFactor)
    let bracket = Self.bracket(of: trial.number, budgets: budgets)
    let members = all.filter { Self.bracket(of: $0.number, budgets: budgets) == bracket }
    return try SuccessiveHalvingPruner.decide(study: study, trial: trial, candidates: members, direction: direction,
                                              minResource: minResource, reductionFactor: reductionFactor, rate: bracket)
  }

  /// n = ⌊log_η(R/r)⌋ + 1.
  func brackets(maxResource: Int) -> Int {
    Int((log(Double(max(maxResource, minResource)) / Double(minResource)) / log(Double(reductionFactor))).rounded(.down) + 1e-9) + 1
  }

  /// Bracket budgets ⌈n·η^(n−1−i)/(n − i)⌉.
  static func budgets(brackets n: Int, reductionFactor: Int) -> [Int] {
    (0..<n).map { i in Int((Double(n) * pow(Double(reductionFactor), Double(n - 1 - i)) / Double(n - i)).rounded(.up)) }
  }

  /// The bracket of a trial: its number's stable hash, modulo the total budget, falls in one
  /// bracket's share.
  static func bracket(of number: Int, budgets: [Int]) -> Int {
    var n = Int(stableHash("hyperband_\(number)") % UInt64(budgets.reduce(0, +)))
    for (i, budget) in budgets.enumerated() {
      if n < budget { return i }
      n -= budget
    }
    return budgets.count - 1
  }
}
