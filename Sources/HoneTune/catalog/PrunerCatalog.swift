/// What a command knows when it builds a pruner: the study's directions, when it has them
/// (a pruner refuses unsuitable directions itself, in `Pruner.checkDirections`).
public struct PrunerContext: Sendable {
  /// One direction per objective; nil when the study is only loaded later.
  public var directions: [StudyDirection]?

  /// A context for a study with `directions`.
  public init(directions: [StudyDirection]? = nil) { self.directions = directions }
}

/// A row of the pruner catalog.
public typealias PrunerEntry = CatalogEntry<PrunerContext, any Pruner>

/// The pruners HoneTune defines, as catalog rows, with one set of defaults for every command.
public enum TunePruners {
  private static let startup = CatalogOption("startup-trials", default: "5", "Complete trials before it prunes (Optuna's n_startup_trials)")
  private static func warmup(_ steps: Int = 0) -> CatalogOption {
    CatalogOption("warmup-steps", default: "\(steps)", "Steps of each trial that are never pruned (Optuna's n_warmup_steps)")
  }

  /// The median rule with the given settings (the base of several rows).
  private static func median(_ settings: CatalogSettings, warmup: Int = 0) throws -> MedianPruner {
    try MedianPruner(startupTrials: settings.int("startup-trials", default: 5), warmupSteps: settings.int("warmup-steps", default: warmup))
  }

  /// The rows, in the order help texts list them.
  public static let entries: [PrunerEntry] = [
    PrunerEntry("nop", "Never prunes") { _, _ in NopPruner() },
    PrunerEntry("median", "Prunes below the median of the other trials at the same step", options: [startup, warmup()]) { _, settings in
      try median(settings)
    },
    PrunerEntry("percentile", "Prunes below a percentile of the other trials at the same step", options: [
      CatalogOption("percentile", default: "25", "The percentile (0–100) a trial must reach"), startup, warmup(),
    ]) { _, settings in
      try PercentilePruner(percentile: settings.double("percentile", default: 25), startupTrials: settings.int("startup-trials", default: 5),
                           warmupSteps: settings.int("warmup-steps", default: 0))
    },
    PrunerEntry("patient", "The median rule, after a number of steps without improvement", options: [
      CatalogOption("patience", default: "3", "Steps without improvement it tolerates"), startup, warmup(),
    ]) { _, settings in
      try PatientPruner(wrapping: median(settings), patience: settings.int("patience", default: 3))
    },
    PrunerEntry("threshold", "Prunes a value outside fixed bounds", options: [
      CatalogOption("lower", "The lowest value allowed"), CatalogOption("upper", "The highest value allowed"), warmup(),
    ]) { _, settings in
      let lower = try settings.double("lower"), upper = try settings.double("upper")
      guard lower != nil || upper != nil else { throw CatalogError.badValue("the threshold pruner needs --lower or --upper") }
      return try ThresholdPruner(lower: lower ?? -.infinity, upper: upper ?? .infinity, warmupSteps: settings.int("warmup-steps", default: 0))
    },
    PrunerEntry("asha", "Asynchronous successive halving", options: [
      CatalogOption("min-resource", "r, the steps of the first rung (default: from the first trial to finish)"),
      CatalogOption("reduction-factor", default: "4", "η: one trial in η goes on at each rung"),
    ]) { _, settings in
      try SuccessiveHalvingPruner(minResource: settings.int("min-resource"), reductionFactor: settings.int("reduction-factor", default: 4))
    },
    PrunerEntry("hyperband", "Hyperband: brackets of successive halving", options: [
      CatalogOption("min-resource", default: "1", "r, the steps of the smallest rung"),
      CatalogOption("max-resource", "R, the steps of a full trial (default: the last step of the first complete trials)"),
      CatalogOption("reduction-factor", default: "3", "η: one trial in η goes on at each rung"),
    ]) { _, settings in
      try HyperbandPruner(minResource: settings.int("min-resource", default: 1), maxResource: settings.int("max-resource"),
                          reductionFactor: settings.int("reduction-factor", default: 3))
    },
    PrunerEntry("learning-curve", "Stops a curve unlikely to beat the best (Baker et al. 2017), and what its median baseline prunes", options: [
      CatalogOption("delta", default: "0.05", "The largest chance of stopping a curve that would beat the best, split over its remaining steps"),
      CatalogOption("predictor", default: LearningCurvePruner.Predictor.regression.rawValue,
                    "What predicts the final value: regression (ν-SVR on the complete trials) or extrapolation (the trial's own curve)"),
      CatalogOption("startup-trials", default: "5", "Complete trials before its median baseline prunes"), warmup(5),
    ]) { _, settings in
      let name = settings.string("predictor", default: LearningCurvePruner.Predictor.regression.rawValue)
      guard let predictor = LearningCurvePruner.Predictor(rawValue: name.lowercased()) else {
        throw CatalogError.badValue("unknown predictor '\(name)'; use regression or extrapolation")
      }
      return try LearningCurvePruner(delta: settings.double("delta", default: 0.05), startupTrials: 10,
                                     baseline: median(settings, warmup: 5), predictor: predictor)
    },
    PrunerEntry("pareto", "Prunes an intermediate vector dominated by most complete trials (several objectives)", options: [startup, warmup()]) { _, settings in
      try ParetoPruner(startupTrials: settings.int("startup-trials", default: 5), warmupSteps: settings.int("warmup-steps", default: 0))
    },
  ]
}
