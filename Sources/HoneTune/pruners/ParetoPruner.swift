import HoneMath

/// Pruning for studies with several objectives, which Optuna lacks. A trial reports one
/// vector per step (`trial.report([Double], step:)`); at its latest step s it is pruned when
/// more than `fraction` of the complete trials that reported at s dominate its vector there
/// (better or equal in every objective, strictly better in one, with each objective's
/// direction). So a trial survives while it is on or near the running Pareto front of the
/// partial results. After `startupTrials` complete trials and `warmupSteps`; fewer than
/// `minTrials` vectors at s never prune. CLI name `pareto`. O(n·m) per decision.
public struct ParetoPruner: Pruner {
  /// The share of dominating trials above which a trial is pruned (0.5: "dominated by most").
  public let fraction: Double
  /// Complete trials needed before any pruning.
  public let startupTrials: Int
  /// Steps that are never pruned.
  public let warmupSteps: Int
  /// Complete trials with a vector at the step needed to prune there.
  public let minTrials: Int

  /// A Pareto pruner; fraction in [0, 1).
  public init(fraction: Double = 0.5, startupTrials: Int = 5, warmupSteps: Int = 0, minTrials: Int = 1) throws {
    guard fraction >= 0, fraction < 1, startupTrials >= 0, warmupSteps >= 0, minTrials >= 1 else {
      throw TuneError.invalidArgument("the Pareto pruner needs 0 <= fraction < 1, startup and warm-up >= 0, minTrials >= 1")
    }
    self.fraction = fraction
    self.startupTrials = startupTrials
    self.warmupSteps = warmupSteps
    self.minTrials = minTrials
  }

  /// Implements `Pruner.shouldPrune`.
  public func shouldPrune(study: StudySnapshot, trial: FrozenTrial) throws -> Bool {
    guard let step = trial.intermediateVectors.keys.max(), step >= warmupSteps, let mine = trial.intermediateVectors[step] else {
      return false
    }
    let completed = try study.completedTrials()
    guard completed.count >= startupTrials else { return false }
    if mine.contains(where: \.isNaN) { return true }
    let directions = study.directions
    func oriented(_ v: [Double]) -> [Double] { zip(v, directions).map { $1 == .minimize ? $0 : -$0 } }
    let others = completed.compactMap { $0.intermediateVectors[step] }.filter { $0.count == mine.count && !$0.contains(where: \.isNaN) }
    guard others.count >= minTrials else { return false }
    let me = oriented(mine)
    let dominating = others.filter { dominates(oriented($0), me) }.count
    return Double(dominating) > fraction * Double(others.count)
  }
}
